/**
 * `npm run stress:cache -- [--processes N] [--keys M] [--seconds S] [--code DIST]`: many processes
 * sharing one step cache, every key contended by every process. Each pass hands the same M new keys
 * to all N processes at once (stress-cache-worker.ts: a model entry, then a variant entry made from
 * it; one look-up in three a --no-cache run's); passes go on until the store has had at least 200
 * entries published and S seconds have passed. Two stores in turn: a local folder, and S3 (a local
 * s3rver) used through two mirror folders, as by two machines of N/2 processes each. One busy-loop
 * process per core runs throughout. One line per store:
 *
 *   store=local processes=N keys=K published=P lost-races=L hits=H waits=W failures=F incomplete=I
 *
 * keys: entries asked for (two per pass key); published: those standing after their pass; lost-races:
 * results computed whose entry is another writer's; hits: look-ups that found the entry; waits: look-ups
 * that waited for a lock (the cache's own count); failures: processes that exited non-zero, look-ups or
 * reads that threw; incomplete: entries whose files do not match their manifest, or model entries without
 * config.json and tokenizer files (checked by stress-cache-check.ts, not by albench's code). Exit 1 when
 * F or I > 0, or L = 0 (no contention: nothing was tested). --code points the processes at another build's
 * dist/ (an older commit's), to show what it does under the same load.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startS3Server } from '../test/helpers/s3-server.js';
import { entryProblem, entryToken } from './stress-cache-check.js';
import type { PassReport, StepRecord } from './stress-cache-worker.js';

const MIN_PUBLISHED = 200;
const WORKER = new URL('./stress-cache-worker.js', import.meta.url).pathname;

interface Settings { readonly processes: number; readonly keys: number; readonly seconds: number; readonly code: string }

interface Tally { keys: number; published: number; lost: number; hits: number; failures: number; incomplete: Set<string>; details: string[] }

interface Store {
  readonly name: string;
  readonly location: string;
  readonly env: Readonly<Record<string, string>>;
  /** The local folder each process uses its entries from (process i: roots[i % roots.length]). */
  readonly roots: readonly string[];
  /** For S3: each root's mirror folder ($ALBENCH_S3_MIRROR), as two machines would have. */
  readonly mirrors?: readonly string[];
}

function startWorker(store: Store, index: number, settings: Settings): ChildProcess {
  const mirror = store.mirrors?.[index % store.mirrors.length];
  const env = { ...process.env, ...store.env, ...(mirror === undefined ? {} : { ALBENCH_S3_MIRROR: mirror }) };
  return fork(WORKER, [store.location, String(index), settings.code], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Sends one pass's keys to every live worker; each one's report, or null for one that died. */
function runPass(workers: ChildProcess[], pass: number, keys: readonly string[]): Promise<Array<PassReport | null>> {
  return Promise.all(workers.map((w) => new Promise<PassReport | null>((resolve) => {
    const onExit = (): void => resolve(null);
    w.once('exit', onExit);
    w.once('message', (m: PassReport) => {
      w.off('exit', onExit);
      resolve(m);
    });
    if (w.exitCode === null && w.connected) w.send({ pass, keys });
    else resolve(null);
  })));
}

/** Counts what one pass left: entries standing, their state, and which results lost to another writer's. */
function tallyPass(store: Store, reports: ReadonlyArray<PassReport | null>, tally: Tally): void {
  const records = reports.flatMap((r, i) => (r?.records ?? []).map((rec) => ({ rec, root: store.roots[i % store.roots.length] ?? '' })));
  const entryName = new Map<string, string>();
  const isEntry = (dir: string): boolean => store.roots.includes(path.dirname(path.dirname(dir)));
  for (const { rec } of records) if (isEntry(rec.dir)) entryName.set(`${rec.step}/${rec.key}`, path.basename(rec.dir));
  const standing = new Map<string, string>();
  for (const [id, name] of entryName) {
    const [step = '', key = ''] = id.split('/');
    for (const root of store.roots) {
      const dir = path.join(root, step, name);
      if (!fs.existsSync(dir)) continue;
      standing.set(`${root}:${id}`, dir);
      const problem = entryProblem(dir, step);
      if (problem !== null && !tally.incomplete.has(dir)) {
        tally.incomplete.add(dir);
        tally.details.push(`incomplete ${step} ${key} (${dir}): ${problem}`);
      }
    }
  }
  tally.published += new Set([...standing.keys()].map((k) => k.slice(k.indexOf(':') + 1))).size;
  tally.keys += new Set(records.map(({ rec }) => `${rec.step}/${rec.key}`)).size;
  tally.hits += records.filter(({ rec }) => rec.hit).length;
  tally.lost += records.filter(({ rec, root }) => rec.produced !== null && rec.produced !== lostAgainst(standing, root, rec)).length;
}

function lostAgainst(standing: ReadonlyMap<string, string>, root: string, rec: StepRecord): string | null {
  const dir = standing.get(`${root}:${rec.step}/${rec.key}`);
  return dir === undefined ? null : entryToken(dir);
}

function noteWorkerTrouble(reports: ReadonlyArray<PassReport | null>, tally: Tally): void {
  for (const r of reports) {
    if (r === null) continue;
    tally.failures += r.failures.length;
    tally.details.push(...r.failures.map((f) => `failure: ${f}`));
    for (const { id, detail } of r.incomplete) {
      if (!tally.incomplete.has(id)) tally.details.push(`incomplete, seen by a reader: ${id === detail ? '' : `${id}: `}${detail}`);
      tally.incomplete.add(id);
    }
  }
}

/** One example of each kind of trouble (hashes, paths and numbers set aside), with how often it came. */
function kindsOf(details: readonly string[]): string[] {
  const kinds = new Map<string, { example: string; count: number }>();
  for (const d of details) {
    const kind = d.replace(/\/\S+/g, '<path>').replace(/[0-9a-f]{64}/g, '<key>').replace(/\d+/g, 'N');
    const seen = kinds.get(kind) ?? { example: d, count: 0 };
    kinds.set(kind, { ...seen, count: seen.count + 1 });
  }
  return [...kinds.values()].map((k) => `${k.count}x ${k.example}`);
}

async function stressStore(store: Store, settings: Settings): Promise<string> {
  const workers = Array.from({ length: settings.processes }, (_, i) => startWorker(store, i, settings));
  const exits = workers.map((w) => new Promise<number | null>((resolve) => w.once('exit', (code) => resolve(code))));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const tally: Tally = { keys: 0, published: 0, lost: 0, hits: 0, failures: 0, incomplete: new Set(), details: [] };
  const started = Date.now();
  const limit = Math.max(settings.seconds * 10, 300) * 1000;
  let waits = 0;
  for (let pass = 0; tally.published < MIN_PUBLISHED || Date.now() - started < settings.seconds * 1000; pass++) {
    const keys = Array.from({ length: settings.keys }, (_, i) => `${store.name}-${started}-${pass}-${i}`);
    const reports = await runPass(workers, pass, keys);
    tallyPass(store, reports, tally);
    noteWorkerTrouble(reports, tally);
    waits = reports.reduce((sum, r) => sum + (r?.waits ?? 0), 0) || waits;
    if (reports.every((r) => r === null) || Date.now() - started > limit) break;
  }
  for (const w of workers) if (w.exitCode === null) w.kill();
  const codes = await Promise.all(exits);
  // A worker ended by this script exits by its signal (code null); any exit code of its own is a failure.
  tally.failures += codes.filter((c) => c !== null && c !== 0).length;
  for (const line of kindsOf(tally.details)) process.stderr.write(`  ${store.name}: ${line}\n`);
  return `store=${store.name} processes=${settings.processes} keys=${tally.keys} published=${tally.published} lost-races=${tally.lost} `
    + `hits=${tally.hits} waits=${waits} failures=${tally.failures} incomplete=${tally.incomplete.size}`;
}

function settingsFrom(argv: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...argv], options: { processes: { type: 'string' }, keys: { type: 'string' }, seconds: { type: 'string' }, code: { type: 'string' } },
  });
  const count = (v: string | undefined, fallback: number): number => {
    const n = Number(v ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`stress:cache: ${v} is not a whole number above 0`);
    return n;
  };
  const code = path.resolve(values.code ?? new URL('..', import.meta.url).pathname);
  return { processes: count(values.processes, 4), keys: count(values.keys, 10), seconds: count(values.seconds, 20), code };
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const busy = Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-stress-cache-'));
  let bad = false;
  try {
    process.stdout.write(`stress:cache on ${settings.code}, ${busy.length} busy-loop processes\n`);
    const local = path.join(work, 'local');
    const lines = [await stressStore({ name: 'local', location: local, env: {}, roots: [local] }, settings)];
    const server = await startS3Server();
    try {
      const mirrors = [path.join(work, 'mirror-a'), path.join(work, 'mirror-b')];
      const roots = mirrors.map((m) => path.join(m, server.bucket, 'stress'));
      // s3rver shares the two cores with the busy loops and the processes: requests may wait far longer than on a real server.
      const env = { ...server.env, ALBENCH_S3_TIMEOUT_MS: '120000' };
      lines.push(await stressStore({ name: 's3', location: `s3://${server.bucket}/stress`, env, roots, mirrors }, settings));
    } finally {
      await server.stop();
    }
    for (const line of lines) {
      process.stdout.write(`${line}\n`);
      const n = (field: string): number => Number(new RegExp(` ${field}=(\\d+)`).exec(line)?.[1]);
      if (n('failures') > 0 || n('incomplete') > 0 || n('lost-races') === 0) bad = true;
    }
  } finally {
    for (const b of busy) b.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exitCode = bad ? 1 : 0;
}

await main();
