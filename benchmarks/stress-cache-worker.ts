/**
 * One process of `npm run stress:cache` (stress-cache.ts starts several with fork()). For every key
 * of a pass it gets two steps from the cache, as compare does: a "convert" entry holding a model
 * folder (config.json, tokenizer files, onnx/model.onnx), then a "variant" entry made from that
 * folder with copySideFiles. Every producer writes bytes of its own (a token naming it), so an
 * entry that changed under a reader, or a mix of two writers' files, shows. About one look-up in
 * three is a --no-cache run's (reuse: false), which computes and publishes without the lock.
 *
 * It loads the cache code from the build named by argv (default this build), so the same worker
 * stresses an older commit's dist/ too: only StepCache(location, { reuse, warn }), get() and
 * copySideFiles(from, to) are used, which every version has.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODEL_SIDE_FILES } from './stress-cache-check.js';

export interface PassOrder { readonly pass: number; readonly keys: readonly string[] }

/** What a process did with one step of one key. */
export interface StepRecord {
  readonly key: string;
  readonly step: 'convert' | 'variant';
  /** This process's token when it ran the step's produce, else null. */
  readonly produced: string | null;
  readonly hit: boolean;
  /** The folder get() returned. */
  readonly dir: string;
  /** The producer token of the result get() returned. */
  readonly valueToken: string;
}

export interface PassReport {
  readonly pass: number;
  readonly records: readonly StepRecord[];
  /** Look-ups or reads that threw, with the message. */
  readonly failures: readonly string[];
  /** Entries a reader found incomplete: a folder get() returned without a model folder's files, a damaged entry the cache warned about. */
  readonly incomplete: ReadonlyArray<{ readonly id: string; readonly detail: string }>;
  /** The cache's own count of look-ups that waited for a lock (0 where the code has none). */
  readonly waits: number;
}

interface CacheLike {
  get<T>(step: string, parts: unknown, produce: (dir: string) => Promise<T> | T): Promise<{ value: T; dir: string; hit: boolean }>;
  readonly waits?: number;
}
type CacheClass = new (location: string, options: { reuse?: boolean; warn?: (line: string) => void }) => CacheLike;
type CopySideFiles = (from: string, to: string) => void;

interface Made { readonly token: string }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function writeModel(dir: string, token: string): void {
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 8 }));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'WordPiece' } }));
  fs.writeFileSync(path.join(dir, 'vocab.txt'), '[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n');
  fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), Buffer.concat([Buffer.from(token), crypto.randomBytes(200_000)]));
}

/** The model folder's files, read as a run would read them: a missing one is incomplete, a read that throws a failure. */
type Incomplete = PassReport['incomplete'][number];

function readModelFolder(folder: string, report: { failures: string[]; incomplete: Incomplete[] }): void {
  const missing = MODEL_SIDE_FILES.filter((f) => !fs.existsSync(path.join(folder, f)));
  if (missing.length > 0) report.incomplete.push({ id: folder, detail: `a model folder without ${missing.join(', ')}` });
  try {
    JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
    fs.readFileSync(path.join(folder, 'onnx', 'model.onnx'));
  } catch (e) {
    report.failures.push(`reading ${folder}: ${(e as Error).message}`);
  }
}

async function runKey(key: string, noCache: boolean, caches: { normal: CacheLike; fresh: CacheLike }, copy: CopySideFiles,
  report: { records: StepRecord[]; failures: string[]; incomplete: Incomplete[] }): Promise<void> {
  const cache = noCache ? caches.fresh : caches.normal;
  const mine = (step: string) => `${process.pid}-${step}-${crypto.randomBytes(4).toString('hex')}`;
  let produced: string | null = null;
  const convert = await cache.get<Made>('convert', { stress: key }, async (dir) => {
    produced = mine('convert');
    await sleep(Math.random() * 20);
    writeModel(path.join(dir, 'model'), produced);
    return { token: produced };
  });
  report.records.push({ key, step: 'convert', produced, hit: convert.hit, dir: convert.dir, valueToken: convert.value.token });
  const fp32 = path.join(convert.dir, 'model');
  readModelFolder(fp32, report);
  produced = null;
  const variant = await cache.get<Made>('variant', { stress: key }, async (dir) => {
    produced = mine('variant');
    copy(fp32, dir);
    await sleep(Math.random() * 20);
    fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), Buffer.concat([Buffer.from(produced), crypto.randomBytes(100_000)]));
    return { token: produced };
  });
  report.records.push({ key, step: 'variant', produced, hit: variant.hit, dir: variant.dir, valueToken: variant.value.token });
  readModelFolder(variant.dir, report);
}

async function main(): Promise<void> {
  const [location = '', index = '0', code = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')] = process.argv.slice(2);
  const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(code, rel)).href)) as T;
  const { StepCache } = await load<{ StepCache: CacheClass }>('src/cache/cache.js');
  const { copySideFiles } = await load<{ copySideFiles: CopySideFiles }>('src/model-folder/files.js');
  // A warning is a damaged entry seen by a reader: nothing damages entries here but the race itself.
  const damaged: string[] = [];
  const quiet = { warn: (line: string) => damaged.push(line) };
  const caches = { normal: new StepCache(location, quiet), fresh: new StepCache(location, { ...quiet, reuse: false }) };
  const me = Number(index);
  process.on('message', (order: PassOrder) => {
    void (async () => {
      const report = { records: [] as StepRecord[], failures: [] as string[], incomplete: [] as Incomplete[] };
      for (const [i, key] of order.keys.entries()) {
        try {
          await runKey(key, (me + i + order.pass) % 3 === 0, caches, copySideFiles, report);
        } catch (e) {
          report.failures.push(`${key}: ${(e as Error).message}`);
        }
      }
      report.incomplete.push(...damaged.splice(0).map((line) => ({ id: line, detail: 'the cache warned it is damaged' })));
      const waits = (caches.normal.waits ?? 0) + (caches.fresh.waits ?? 0);
      const done: PassReport = { pass: order.pass, ...report, waits };
      process.send?.(done);
    })();
  });
  process.send?.({ ready: true });
}

await main();
