/** Option parsers and options shared by several commands of the command line. */
import { InvalidArgumentError, Option } from 'commander';
import { KNOWN_CONFIG_NAMES } from '../arch/known.js';
import { HEADS } from '../arch/types.js';
import { UsageError } from '../errors.js';
import type { SubsetRequest } from '../glue/subset.js';

export const integer = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};

/** For counts and sizes, where 0 would divide by zero or silently mean something else. */
export const positiveInteger = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number >= 1`);
  return n;
};

export const nonNegative = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
  return n;
};

/** For a repeatable `--config <name>`: collects the names, refusing unknown ones. */
export const knownConfigNames = (value: string, previous: string[] | undefined): string[] => {
  if (!KNOWN_CONFIG_NAMES.includes(value)) throw new InvalidArgumentError(`known configs: ${KNOWN_CONFIG_NAMES.join(', ')}`);
  return [...(previous ?? []), value];
};

export const taskOption = () => new Option('--task <task>', 'head to export (default: from config.json architectures)').choices(HEADS);

/** The examples `--limit` or `--sample` (with `--seed`) ask for; all of them when neither is given. */
export function subsetRequest(o: { readonly limit?: number; readonly sample?: number; readonly seed: number }): SubsetRequest {
  if (o.limit !== undefined && o.sample !== undefined) throw new UsageError('give --limit or --sample, not both');
  if (o.limit !== undefined) return { kind: 'limit', limit: o.limit };
  return o.sample !== undefined ? { kind: 'sample', size: o.sample, seed: o.seed } : { kind: 'all' };
}
