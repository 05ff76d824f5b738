import { parseConfig, type EncoderConfig } from '../checkpoint/config.js';
import { UsageError } from '../errors.js';
import { KNOWN_CONFIGS } from './known-configs.js';

export const KNOWN_CONFIG_NAMES = Object.keys(KNOWN_CONFIGS);

export function knownConfig(name: string): { config: EncoderConfig; json: Readonly<Record<string, unknown>> } {
  const json = KNOWN_CONFIGS[name];
  if (json === undefined) throw new UsageError(`unknown config "${name}"; known configs: ${KNOWN_CONFIG_NAMES.join(', ')}`);
  return { config: parseConfig(json, `known config ${name}`), json };
}
