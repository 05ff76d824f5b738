import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { knownConfig } from '../src/arch/known.js';
import { MODEL_SPECS } from '../src/arch/registry.js';
import { randomStateDict } from '../src/convert/random-weights.js';
import { MODEL_PATH, RECORD_FILE } from '../src/model-folder/layout.js';

/**
 * bench:convert — writes bert-base- and albert-base-size safetensors checkpoints (random weights,
 * classification heads) and runs `albench convert` on each as a user does, in a process of its own:
 * with the default validation and with --no-validate. Per model it prints wall time (spawn to exit,
 * Node start-up included), the peak RSS summed over every process convert runs in (its own VmHWM,
 * worker threads included, plus any process it starts), and the peak RSS of an onnxruntime session
 * alone on the written file (session-child.ts), which any validation in onnxruntime needs.
 *
 *   node dist/benchmarks/convert-bench.js [--cli <label>=<path to dist/cli.js>]... [--runs <n>]
 *
 * With several --cli (a parent commit's build and this one), runs alternate between them, so a
 * loaded machine weighs on each alike; figures are medians. Prints figures; asserts nothing.
 */
const HERE = path.dirname(new URL(import.meta.url).pathname);
const HOOK = pathToFileURL(path.join(HERE, 'peak-rss-hook.js')).href;
const MODELS = [
  { config: 'bert-base-uncased', architecture: 'BertForSequenceClassification' },
  { config: 'albert-base-v2', architecture: 'AlbertForSequenceClassification' },
] as const;
const BUDGET_OVER_SESSION_BYTES = 150e6;

interface Side { readonly label: string; readonly cli: string; readonly commit: string }
interface Measured {
  readonly wallSeconds: number;
  /** CPU time of every thread, for a machine too loaded for wall times to mean much. */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly otherProcesses: number;
  readonly load1: number;
}
interface Converted extends Measured { readonly validateSeconds: number; readonly maxAbsDiff: number | null }

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const sec = (s: number) => `${s.toFixed(2)} s`;

function commitOf(cli: string): string {
  const root = path.resolve(path.dirname(cli), '..');
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' with uncommitted changes'}`;
}

function parseArgs(argv: readonly string[]): { sides: Side[]; runs: number } {
  const sides: Side[] = [];
  let runs = 3;
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--runs') runs = Number(value);
    else if (flag === '--cli' && value.includes('=')) {
      const cli = path.resolve(value.slice(value.indexOf('=') + 1));
      sides.push({ label: value.slice(0, value.indexOf('=')), cli, commit: commitOf(cli) });
    } else throw new Error(`unknown argument ${flag} (use --cli <label>=<path to dist/cli.js>, --runs <n>)`);
  }
  if (sides.length === 0) {
    const cli = path.join(HERE, '..', 'cli.js');
    sides.push({ label: 'this', cli, commit: commitOf(cli) });
  }
  return { sides, runs };
}

function writeCheckpoint(dir: string, model: (typeof MODELS)[number]): number {
  const { config, json } = knownConfig(model.config);
  const sd = randomStateDict(config, MODEL_SPECS[config.modelType].layout(config), 'sequence-classification', 1);
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of sd.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const fd = fs.openSync(path.join(dir, 'model.safetensors'), 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  fs.writeSync(fd, prefix);
  fs.writeSync(fd, Buffer.from(text));
  for (const t of sd.tensors.values()) fs.writeSync(fd, t.bytes());
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...json, architectures: [model.architecture] }));
  return fs.statSync(path.join(dir, 'model.safetensors')).size;
}

/** Processes started by `pid` and by them, polled while it runs; each one's highest VmHWM seen. */
function watchDescendants(pid: number): () => Map<number, number> {
  const seen = new Map<number, number>();
  const read = (file: string) => { try { return fs.readFileSync(file, 'utf8'); } catch { return ''; } };
  const poll = (parent: number) => {
    for (const tid of (() => { try { return fs.readdirSync(`/proc/${parent}/task`); } catch { return []; } })()) {
      for (const child of read(`/proc/${parent}/task/${tid}/children`).split(' ').filter(Boolean).map(Number)) {
        const hwm = Number(/^VmHWM:\s+(\d+) kB$/m.exec(read(`/proc/${child}/status`))?.[1] ?? 0) * 1024;
        seen.set(child, Math.max(seen.get(child) ?? 0, hwm));
        poll(child);
      }
    }
  };
  const timer = setInterval(() => poll(pid), 100);
  return () => {
    clearInterval(timer);
    return seen;
  };
}

/** Runs `node <args>` with the peak-RSS hook; wall time from spawn to exit. */
async function measure(args: readonly string[], work: string): Promise<Measured> {
  const rssFile = path.join(work, 'peak-rss.json');
  fs.rmSync(rssFile, { force: true });
  const load1 = os.loadavg()[0] as number;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', HOOK, ...args], {
    env: { ...process.env, ALBENCH_PEAK_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = watchDescendants(child.pid ?? 0);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallSeconds = (performance.now() - t0) / 1000;
  const others = stop();
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`);
  const own = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { peakRssBytes: number; cpuSeconds: number };
  const peakRssBytes = own.peakRssBytes + [...others.values()].reduce((a, b) => a + b, 0);
  return { wallSeconds, cpuSeconds: own.cpuSeconds, peakRssBytes, otherProcesses: others.size, load1 };
}

async function convertOnce(side: Side, ckpt: string, out: string, validate: boolean, work: string): Promise<Converted> {
  fs.rmSync(out, { recursive: true, force: true });
  const m = await measure([side.cli, 'convert', ckpt, '-o', out, ...(validate ? [] : ['--no-validate'])], work);
  type Record = { seconds: { validate: number }; validation: { maxAbsDiff: number } | null };
  const record = JSON.parse(fs.readFileSync(path.join(out, RECORD_FILE), 'utf8')) as Record;
  return { ...m, validateSeconds: record.seconds.validate, maxAbsDiff: record.validation?.maxAbsDiff ?? null };
}

function copies(file: string, work: string, runs: number): { kernel: number; userSpace: number } {
  const kernel: number[] = [];
  const userSpace: number[] = [];
  const target = path.join(work, 'copy.safetensors');
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    fs.copyFileSync(file, target);
    kernel.push((performance.now() - t0) / 1000);
    fs.rmSync(target);
    // The floor for any tool that must look at the bytes: 4 MiB chunks through one reused buffer.
    t0 = performance.now();
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    const from = fs.openSync(file, 'r');
    const to = fs.openSync(target, 'w');
    for (let n = fs.readSync(from, buf); n > 0; n = fs.readSync(from, buf)) fs.writeSync(to, buf, 0, n);
    fs.closeSync(from);
    fs.closeSync(to);
    userSpace.push((performance.now() - t0) / 1000);
    fs.rmSync(target);
  }
  return { kernel: median(kernel), userSpace: median(userSpace) };
}

interface SideFigures { validated: Converted[]; unvalidated: Converted[]; session: Measured[] }

async function benchModel(model: (typeof MODELS)[number], sides: readonly Side[], runs: number, work: string): Promise<void> {
  const ckpt = path.join(work, model.config);
  fs.mkdirSync(ckpt);
  const size = writeCheckpoint(ckpt, model);
  const copy = copies(path.join(ckpt, 'model.safetensors'), work, runs);
  const figures = new Map<Side, SideFigures>(sides.map((s) => [s, { validated: [], unvalidated: [], session: [] }]));
  const outOf = (s: Side) => path.join(work, `out-${s.label}`);
  for (let r = 0; r < runs; r++) {
    for (const s of sides) figures.get(s)?.validated.push(await convertOnce(s, ckpt, outOf(s), true, work));
    for (const s of sides) figures.get(s)?.unvalidated.push(await convertOnce(s, ckpt, outOf(s), false, work));
    const sessionChild = path.join(HERE, 'session-child.js');
    for (const s of sides) figures.get(s)?.session.push(await measure([sessionChild, path.join(outOf(s), MODEL_PATH), model.config], work));
  }
  report(model.config, size, copy, sides, figures);
}

function report(name: string, size: number, copy: { kernel: number; userSpace: number }, sides: readonly Side[], figures: Map<Side, SideFigures>): void {
  console.log(`\n${name}: random weights, sequence-classification head, ${mb(size)} model.safetensors`);
  console.log(`  copy: fs.copyFileSync ${sec(copy.kernel)}, through user space (4 MiB chunks) ${sec(copy.userSpace)}`);
  const row = (cells: readonly string[]) => console.log(`  ${cells.map((c, i) => c.padEnd(i === 0 ? 8 : 10)).join(' ')}`);
  row(['', 'validated:', '', '', '', '--no-validate:', '', '', 'session', 'budget', 'max']);
  row(['', 'wall', 'validate', 'CPU', 'peak RSS', 'wall', 'CPU', 'peak RSS', 'peak RSS', 'peak RSS', '|diff|']);
  const of = (f: SideFigures) => ({
    v: (pick: (c: Converted) => number) => median(f.validated.map(pick)),
    n: (pick: (c: Converted) => number) => median(f.unvalidated.map(pick)),
    session: median(f.session.map((m) => m.peakRssBytes)),
  });
  for (const s of sides) {
    const f = figures.get(s) as SideFigures;
    const { v, n, session } = of(f);
    row([s.label, sec(v((c) => c.wallSeconds)), sec(v((c) => c.validateSeconds)), sec(v((c) => c.cpuSeconds)), mb(v((c) => c.peakRssBytes)),
      sec(n((c) => c.wallSeconds)), sec(n((c) => c.cpuSeconds)), mb(n((c) => c.peakRssBytes)), mb(session), mb(session + BUDGET_OVER_SESSION_BYTES),
      Math.max(...f.validated.map((c) => c.maxAbsDiff ?? NaN)).toExponential(2)]);
  }
  for (const s of sides) {
    const f = figures.get(s) as SideFigures;
    const list = (cs: readonly Measured[]) => cs.map((c) => `${sec(c.wallSeconds)} ${mb(c.peakRssBytes)} (load ${c.load1.toFixed(1)})`).join(', ');
    console.log(`  ${s.label}, each run with the 1-minute load before it: validated ${list(f.validated)}; --no-validate ${list(f.unvalidated)}; `
      + `session alone ${list(f.session)}`);
    const others = Math.max(...[...f.validated, ...f.unvalidated].map((c) => c.otherProcesses));
    console.log(`  ${s.label}: processes convert started besides its own: ${others} (their peak RSS would be in the sums)`);
  }
  const [base, last] = [sides[0], sides[sides.length - 1]];
  if (base !== undefined && last !== undefined && base !== last) {
    const [b, l] = [of(figures.get(base) as SideFigures), of(figures.get(last) as SideFigures)];
    const ratio = (pick: (c: Converted) => number) => (l.v(pick) / b.v(pick)).toFixed(2);
    console.log(`  ${last.label} / ${base.label} with validation: wall ${ratio((c) => c.wallSeconds)} (goal <= 0.25), CPU ${ratio((c) => c.cpuSeconds)}`);
    const peak = l.v((c) => c.peakRssBytes);
    const budget = l.session + BUDGET_OVER_SESSION_BYTES;
    console.log(`  ${last.label} peak RSS with validation ${mb(peak)} against ${mb(budget)} (session alone + ${mb(BUDGET_OVER_SESSION_BYTES)}): `
      + `${peak <= budget ? 'within' : 'over'} by ${mb(Math.abs(budget - peak))}`);
  }
}

const { sides, runs } = parseArgs(process.argv.slice(2));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-convert-'));
try {
  console.log(`bench:convert: ${os.cpus().length} CPUs, Node ${process.version}, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const s of sides) console.log(`  ${s.label}: ${s.cli} (commit ${s.commit})`);
  console.log(`  ${runs} runs of each, alternating between sides; figures are medians. wall: spawn to exit; validate: the record's seconds.validate;`);
  console.log('  CPU: user + system of all its threads; peak RSS: VmHWM summed over every process convert runs in;');
  console.log(`  session: onnxruntime alone on the written file, created and run on the validation inputs; budget: session + ${mb(BUDGET_OVER_SESSION_BYTES)}`);
  for (const model of MODELS) await benchModel(model, sides, runs, work);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
