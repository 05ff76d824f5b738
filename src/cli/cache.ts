import type { Command } from 'commander';
import { listEntries, PRUNE_UNUSED_MINUTES, pruneCache, verifyCache, type CacheEntryInfo } from '../cache/admin.js';
import { defaultCacheDir } from '../cache/cache.js';
import { isRemoteCache } from '../cache/store.js';
import { mirrorRoot, parseS3Location } from '../cache/s3-client.js';
import { UsageError } from '../errors.js';
import { mb } from '../util/format.js';
import { safeLine } from '../util/safe-text.js';
import { nonNegative } from './options.js';

function age(entry: CacheEntryInfo, now: number): string {
  const hours = (now - entry.createdAt.getTime()) / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

function entryLine(entry: CacheEntryInfo, now: number): string {
  const code = entry.currentCode ? 'current code' : 'other code';
  return `${entry.step.padEnd(8)} ${entry.key.slice(0, 16)}  ${mb(entry.bytes, 2).padStart(9)} MB  ${age(entry, now).padStart(8)}  ${code}`;
}

const print = (lines: readonly string[]): void => {
  if (lines.length > 0) process.stdout.write(`${lines.map(safeLine).join('\n')}\n`);
};

/**
 * The admin commands read a folder; an S3 cache is refused, pointing at what does the job there:
 * its entries are immutable and verified on every read, and its local mirror is a cache folder.
 */
function localOnly(command: string, cache: string): string {
  if (!isRemoteCache(cache)) return cache;
  throw new UsageError(`albench cache ${command} works on a cache folder, not on ${cache}: S3 entries are verified whenever they are read; `
    + `list or expire them with your storage's tools (aws s3 ls, a lifecycle rule), or ${command} this machine's mirror: `
    + `--cache ${mirrorRoot(parseS3Location(cache))}`);
}

/** `albench cache list | verify | prune`: compare's step cache, listed, checked and cleaned. */
export function addCacheCommand(program: Command): void {
  const cache = program.command('cache').description("list, verify or prune compare's cache (converted models, variants, evaluations, timings)");
  const cacheOption = ['--cache <dir>', 'the cache folder (an s3:// cache is refused: see its local mirror)', defaultCacheDir()] as const;

  cache.command('list').description('every entry: step, key, size, age, and whether the albench now installed made it')
    .option(...cacheOption)
    .action((o: { cache: string }) => {
      const now = Date.now();
      const entries = listEntries(localOnly('list', o.cache));
      const total = entries.reduce((sum, e) => sum + e.bytes, 0);
      print([...entries.map((e) => entryLine(e, now)), `${entries.length} entries, ${mb(total, 1)} MB in ${o.cache}`]);
    });

  cache.command('verify').description('check every entry against its manifest (sizes, sha256) and its result; exit 1 naming any damaged one')
    .option(...cacheOption)
    .action((o: { cache: string }) => {
      const { checked, damaged } = verifyCache(localOnly('verify', o.cache));
      print(damaged.map((d) => `damaged: ${d.entry.step} ${d.entry.key} (${d.entry.dir}): ${d.problem}`));
      const hint = ' (`albench cache prune` moves them to the trash once no run has used them for --unused-for minutes)';
      print([`${checked} entries checked, ${damaged.length} damaged${damaged.length > 0 ? hint : ''}`]);
      if (damaged.length > 0) process.exitCode = 1;
    });

  cache.command('prune').description('move to the trash damaged entries, entries made by other albench code, and with --older-than, old ones; '
    + 'then empty the trash of what no run can still be reading')
    .option(...cacheOption)
    .option('--older-than <days>', 'also prune entries stored more than this many days ago', nonNegative('--older-than'))
    .option('--unused-for <minutes>', 'prune only entries no run has used (or is computing) for this long, and empty only trash this old',
      nonNegative('--unused-for'), PRUNE_UNUSED_MINUTES)
    .action((o: { cache: string; olderThan?: number; unusedFor: number }) => {
      const { pruned, freedBytes } = pruneCache(localOnly('prune', o.cache), {
        unusedForMinutes: o.unusedFor, ...(o.olderThan === undefined ? {} : { olderThanDays: o.olderThan }),
      });
      print(pruned.map((p) => `moved to the trash: ${p.entry.step} ${p.entry.key}: ${p.reason}`));
      print([`${pruned.length} entries moved to the trash; ${mb(freedBytes, 1)} MB freed by emptying trash older than ${o.unusedFor} minutes in ${o.cache}`]);
    });
}
