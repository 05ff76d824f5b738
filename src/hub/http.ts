import { HubError } from '../errors.js';
import { ALBENCH_VERSION } from '../version.js';
import { formatHubId, type HubModelId } from './hub-id.js';
import type { HubSettings } from './settings.js';

/** What a request is for, so a failure can say which model and file, and what to do. */
export interface RequestContext {
  readonly id: HubModelId;
  readonly settings: HubSettings;
  readonly file?: string;
}

/**
 * GET with the hub's conventions (bearer token, a User-Agent naming albench). A request that gets
 * no answer at all (refused, DNS, timeout, reset) is a HubError 'unreachable', which callers treat
 * as "offline" and answer from the cache.
 */
export async function hubGet(ctx: RequestContext, url: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': `albench/${ALBENCH_VERSION}`, ...init.headers };
  if (ctx.settings.token !== undefined) headers['Authorization'] = `Bearer ${ctx.settings.token}`;
  try {
    return await fetch(url, { headers, redirect: 'follow', ...(init.signal ? { signal: init.signal } : {}) });
  } catch (e) {
    throw new HubError(formatHubId(ctx.id), 'unreachable', `cannot reach ${ctx.settings.endpoint} (${networkReason(e)})`);
  }
}

/** The most specific reason Node's fetch gives for a request or body that failed. */
export function networkReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    // System codes (ECONNREFUSED, ENOTFOUND) are what users search for; undici's own codes are not.
    const code = (cause as NodeJS.ErrnoException).code;
    return code !== undefined && code.startsWith('E') ? code : cause.message;
  }
  return e.message;
}

/**
 * A failed response as a HubError that says what to do. The hub tells a missing repo from a missing
 * revision or file by `X-Error-Code`; it answers 401 (not 404) for a repo it will not show an
 * anonymous caller, so 401 has to cover "private", "gated" and "does not exist" at once.
 */
export function statusError(ctx: RequestContext, res: Response): HubError {
  const model = formatHubId(ctx.id);
  const { endpoint, token } = ctx.settings;
  const code = res.headers.get('X-Error-Code');
  switch (res.status) {
    case 401:
      return new HubError(model, 'unauthorized', token === undefined
        ? 'the hub refused access (401): the repo is private or gated, or does not exist; '
          + `if it exists, set HF_TOKEN to an access token that can read it (${endpoint}/settings/tokens), otherwise check the id`
        : `the hub refused HF_TOKEN (401): check that the token is valid and can read ${ctx.id.repo}, or check the id`);
    case 403:
      return new HubError(model, 'forbidden',
        `access denied (403): the repo is gated or private and ${token === undefined ? 'HF_TOKEN is not set' : 'the account of HF_TOKEN has no access to it'}; `
        + `request access at ${endpoint}/${ctx.id.repo}, then set HF_TOKEN to a token of that account`);
    case 404:
      if (code === 'RevisionNotFound') {
        return new HubError(model, 'not-found', `revision "${ctx.id.revision}" does not exist (404); check the branch, tag or commit after @`);
      }
      if (code === 'EntryNotFound') return new HubError(model, 'not-found', `${ctx.file ?? 'a file'} is not in revision "${ctx.id.revision}" (404)`);
      return new HubError(model, 'not-found', `no such model on ${endpoint} (404); check the id (org/name), or give the path of a local folder`);
    default:
      return new HubError(model, res.status >= 500 ? 'server' : 'bad-response',
        `${endpoint} answered ${res.status} ${res.statusText}${ctx.file === undefined ? '' : ` for ${ctx.file}`}`);
  }
}
