import { getHFHubCachePath } from '@huggingface/hub';
import { UsageError } from '../errors.js';

/** Where and how to reach the hub, from the environment variables every Hugging Face tool reads. */
export interface HubSettings {
  /** Base URL without a trailing slash: `HF_ENDPOINT` (mirrors, a local test server) or huggingface.co. */
  readonly endpoint: string;
  /** `HF_TOKEN`, for private and gated repos. */
  readonly token: string | undefined;
  /** `HF_HUB_OFFLINE`: never touch the network, read the cache only. */
  readonly offline: boolean;
  /** The shared cache: `HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
  readonly cacheDir: string;
}

const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** huggingface_hub's spellings of "on" for boolean variables, so HF_HUB_OFFLINE means the same here. */
const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);

/** Read on every call, not at import, so a variable set after start-up (or by a test) counts. */
export function hubSettings(): HubSettings {
  const env = process.env;
  const endpoint = (env['HF_ENDPOINT'] ?? '').trim() || DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^/]/.test(endpoint)) {
    throw new UsageError(`HF_ENDPOINT=${endpoint} is not an http(s) URL; set it to a hub or mirror address such as ${DEFAULT_ENDPOINT}, or unset it`);
  }
  const token = (env['HF_TOKEN'] ?? '').trim();
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    token: token === '' ? undefined : token,
    offline: TRUE_VALUES.has((env['HF_HUB_OFFLINE'] ?? '').trim().toUpperCase()),
    // huggingface.js's own resolution (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, ~/.cache), so albench,
    // huggingface.js and the Python tools share one cache.
    cacheDir: getHFHubCachePath(),
  };
}
