/** Option parsers and options shared by several commands of the command line. */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { KNOWN_CONFIG_NAMES } from '../arch/known.js';
import { parseDeviceList } from '../bench/runtime-settings.js';
import { DEVICES, type Device } from '../bench/schema.js';
import { BROWSER_DEVICES, type BrowserDevice } from '../browser/protocol.js';
import { BROWSER_DEVICE_PREFIX, DEVICE_NAMES } from '../report/model/types.js';
import { HEAD_ALIASES, HEADS, parseHead, type HeadName } from '../arch/types.js';
import { IoError, UsageError } from '../errors.js';
import type { SubsetRequest } from '../glue/subset.js';
import { writeFileAtomic } from '../util/atomic.js';

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

/** For a margin or a limit that 0 would make meaningless. */
export const positiveNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0`);
  return n;
};

/** For a repeatable `--config <name>`: collects the names, refusing unknown ones. */
export const knownConfigNames = (value: string, previous: string[] | undefined): string[] => {
  if (!KNOWN_CONFIG_NAMES.includes(value)) throw new InvalidArgumentError(`known configs: ${KNOWN_CONFIG_NAMES.join(', ')}`);
  return [...(previous ?? []), value];
};

const HEAD_CHOICES = HEADS.map((h) => `${h} (or ${Object.keys(HEAD_ALIASES).find((a) => HEAD_ALIASES[a] === h) ?? h})`).join(', ');

const headName = (value: string): HeadName => {
  const head = parseHead(value);
  if (head === undefined) throw new InvalidArgumentError(`choose from ${HEAD_CHOICES}`);
  return head;
};

/** `--task <head>`: albench's head names, or optimum's task names for them. */
export const taskOption = (what = 'head to export (default: from config.json architectures)') => new Option(
  '--task <task>', `${what}: ${HEAD_CHOICES}`,
).argParser(headName);

/** The examples `--limit` or `--sample` (with `--seed`) ask for; all of them when neither is given. */
export function subsetRequest(o: { readonly limit?: number; readonly sample?: number; readonly seed: number }): SubsetRequest {
  if (o.limit !== undefined && o.sample !== undefined) throw new UsageError('give --limit or --sample, not both');
  if (o.limit !== undefined) return { kind: 'limit', limit: o.limit };
  return o.sample !== undefined ? { kind: 'sample', size: o.sample, seed: o.seed } : { kind: 'all' };
}

/** Where `--json` sends the result: stdout (no value, or `-`) in place of the text, or a file, with the text still on stdout. */
export type JsonTarget = { readonly kind: 'none' } | { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly file: string };

const jsonFileName = (value: string): string => {
  if (value !== '-' && !value.endsWith('.json')) {
    throw new InvalidArgumentError(`"${value}" is not a file name ending in .json; to print JSON on stdout, put --json after the other arguments`);
  }
  return value;
};

/** `--json [file]`, the same in every command that has it. */
export const jsonOption = (what: string) => new Option(
  '--json [file]', `${what} as JSON: on stdout in place of the text, or into <file> (ending in .json) with the text on stdout`,
).argParser(jsonFileName);

/** The --json flag's target, checked before any work: a file's folder must exist. */
export function jsonTarget(flag: string | boolean | undefined): JsonTarget {
  if (flag === undefined || flag === false) return { kind: 'none' };
  if (flag === true || flag === '-') return { kind: 'stdout' };
  const folder = path.dirname(path.resolve(flag));
  if (!fs.existsSync(folder)) throw new IoError(`--json ${flag}: the folder ${folder} does not exist`);
  return { kind: 'file', file: flag };
}

/** A command's result as --json asks: JSON on stdout, or the text on stdout and JSON in the file (written atomically). */
export function writeResult(target: JsonTarget, value: unknown, text: () => string): void {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  if (target.kind === 'stdout') {
    process.stdout.write(json);
    return;
  }
  if (target.kind === 'file') writeFileAtomic(target.file, json);
  process.stdout.write(`${text()}\n`);
}


interface DeviceOptions {
  readonly device: Device;
  readonly devices: Device[];
  /** `browser-wasm`, `browser-webgpu`: onnxruntime-web inside headless Chromium, timed after the others. */
  readonly browserDevices?: BrowserDevice[];
}

/**
 * `--device cpu,wasm,browser-wasm`: cpu, cuda and wasm timed in the same rounds, browser devices after
 * them. The first must run in Node: claims, memory and the recommendation use it, and a page measures no memory.
 */
export function deviceOptions(list: string): DeviceOptions {
  const names = list.split(',').map((d) => d.trim());
  const inBrowser = names.filter((d) => d.startsWith(BROWSER_DEVICE_PREFIX)).map((d) => d.slice(BROWSER_DEVICE_PREFIX.length));
  const unknown = inBrowser.filter((d) => !(BROWSER_DEVICES as readonly string[]).includes(d));
  if (unknown.length > 0) {
    throw new UsageError(`--device: unknown ${unknown.map((d) => `${BROWSER_DEVICE_PREFIX}${d}`).join(', ')}; choose from ${DEVICE_NAMES.join(', ')}`);
  }
  const twice = inBrowser.find((d, i) => inBrowser.indexOf(d) !== i);
  if (twice !== undefined) throw new UsageError(`--device: ${BROWSER_DEVICE_PREFIX}${twice} is given twice`);
  if (names[0]?.startsWith(BROWSER_DEVICE_PREFIX)) {
    throw new UsageError(`--device ${list}: put ${DEVICES.join(', ')} first (e.g. --device cpu,${names[0]}): claims, memory and the recommendation`
      + ' use the first device, and a browser page cannot measure its memory');
  }
  const devices = parseDeviceList(names.filter((d) => !d.startsWith(BROWSER_DEVICE_PREFIX)).join(','));
  return { device: devices[0] ?? 'cpu', devices, ...(inBrowser.length > 0 ? { browserDevices: inBrowser as BrowserDevice[] } : {}) };
}
