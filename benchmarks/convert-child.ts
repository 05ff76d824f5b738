import { convert } from '../src/convert/convert.js';

/** Runs one conversion in a fresh process and prints its wall time and peak RSS as JSON. */
const [dir, out, validate] = process.argv.slice(2);
if (dir === undefined || out === undefined) throw new Error('usage: convert-child <checkpoint-dir> <out-dir> [validate]');
const started = performance.now();
const record = await convert({ source: { kind: 'checkpoint', dir }, outDir: out, validate: validate === 'validate' });
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024, stages: record.seconds, maxAbsDiff: record.validation?.maxAbsDiff ?? null })}\n`);
