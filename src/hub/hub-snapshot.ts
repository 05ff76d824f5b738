import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, findWeightsFile, SHARD_INDEX_FILE as SHARD_INDEX, TOKENIZER_FILES, weightFileNames, type WeightsFormat } from '../checkpoint/load.js';
import { readWeightMap } from '../checkpoint/sharded.js';
import { HubError, type HubProblem } from '../errors.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { RepoCache } from './cache-layout.js';
import { downloadBlob } from './download-blob.js';
import { blobProblem, cachedFileProblem } from './verify-cache.js';
import { DEFAULT_REVISION, formatHubId, isCommitHash, type HubModelId } from './hub-id.js';
import { fetchRevisionInfo, type RevisionInfo } from './revision-info.js';
import { hubSettings, type HubSettings } from './settings.js';

/** A revision of a hub model as a local folder (a snapshot in the cache) holding what albench reads. */
export interface HubSnapshot {
  readonly id: HubModelId;
  readonly commit: string;
  readonly dir: string;
  /** Files whose bytes came over the network in this call; empty for a cache hit. */
  readonly downloaded: readonly string[];
  /** Why the hub was not asked (HF_HUB_OFFLINE, unreachable), when the cache answered alone. */
  readonly offlineReason?: string;
}

export interface SnapshotOptions {
  /** Weight format to fetch when a repo has several (the convert command's --weights). */
  readonly prefer?: WeightsFormat;
  readonly progress?: Progress;
  /** Told when an unreachable hub made the cache answer alone (HF_HUB_OFFLINE is asked for, so is not told). */
  readonly warn?: (message: string) => void;
}

/** Failures that mean "no usable answer from the hub right now", where a cached copy is the right answer. */
const USE_CACHE_ON: ReadonlySet<HubProblem> = new Set(['unreachable', 'server']);
const PROGRESS_INTERVAL_MS = 200;

/**
 * Makes sure the cache holds config.json, the weights albench will read (one format, with every
 * shard) and the tokenizer files of `id`, downloading only what is missing, and returns the
 * snapshot folder. Offline (HF_HUB_OFFLINE, or the hub unreachable) it answers from the cache.
 */
export async function fetchSnapshot(id: HubModelId, opts: SnapshotOptions = {}): Promise<HubSnapshot> {
  const settings = hubSettings();
  const cache = new RepoCache(settings.cacheDir, id.repo);
  if (settings.offline) return await fromCache(id, cache, opts.prefer, 'HF_HUB_OFFLINE is set');
  // A commit never changes, so a complete and intact snapshot of one is final: no need to ask the hub.
  // A damaged one is fetched again below.
  if (isCommitHash(id.revision) && missingFiles(cache, id.revision, opts.prefer).length === 0
    && (await damagedFiles(cache, id.revision, opts.prefer)).length === 0) {
    return { id, commit: id.revision, dir: cache.snapshotDir(id.revision), downloaded: [] };
  }
  let info: RevisionInfo;
  try {
    info = await fetchRevisionInfo(id, settings);
  } catch (e) {
    if (!(e instanceof HubError) || !USE_CACHE_ON.has(e.problem)) throw e;
    const cached = await fromCache(id, cache, opts.prefer, e.detail);
    opts.warn?.(`${formatHubId(id)}: ${e.detail}; using the cached snapshot ${cached.commit}, which may be behind the hub`);
    return cached;
  }
  return download(id, info, cache, settings, opts);
}

async function download(id: HubModelId, info: RevisionInfo, cache: RepoCache, settings: HubSettings, opts: SnapshotOptions): Promise<HubSnapshot> {
  const model = formatHubId(id);
  const { commit } = info;
  const progress = opts.progress ?? silentProgress;
  const downloaded: string[] = [];

  const ensure = async (name: string): Promise<void> => {
    const file = info.files.get(name);
    if (file === undefined) {
      throw new HubError(model, 'bad-response',
        `the file listing from ${settings.endpoint} gives no size or hash for ${name}, so its download could not be checked`);
    }
    if (cache.hasFile(commit, name) && (await cachedFileProblem(cache, commit, name, file)) === null) return;
    // The snapshot lacks the file, or its cached copy is not the listed file: a truncated or damaged blob is fetched again.
    const problem = cache.hasBlob(file.oid) ? await blobProblem(cache.blobPath(file.oid), file) : null;
    if (problem !== null) {
      opts.warn?.(`${model}: the cached copy of ${name} ${problem}; downloading it again`);
      fs.rmSync(cache.blobPath(file.oid), { force: true });
    }
    if (!cache.hasBlob(file.oid)) {
      const dest = cache.blobPath(file.oid);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      await downloadBlob({
        ctx: { id, settings, file: name },
        url: `${settings.endpoint}/${id.repo}/resolve/${commit}/${encodeURIComponent(name)}`,
        file,
        dest,
        onProgress: throttled(progress, `${model} ${name}`),
      });
      downloaded.push(name);
    }
    cache.linkFile(commit, name, file.oid);
  };

  if (!info.names.has(CONFIG_FILE)) throw new HubError(model, 'not-found', `has no ${CONFIG_FILE}, so it is not a transformers checkpoint albench can read`);
  const weights = findWeightsFile((f) => info.names.has(f), opts.prefer);
  if (weights === undefined) {
    throw new HubError(model, 'not-found',
      `has none of ${weightFileNames(opts.prefer).join(', ')}, the weight files albench reads`
      + `${opts.prefer ? ' (drop --weights to accept the other format)' : ''}`);
  }
  await ensure(CONFIG_FILE);
  await ensure(weights.file);
  if (weights.file === SHARD_INDEX) {
    for (const shard of shardsOf(path.join(cache.snapshotDir(commit), SHARD_INDEX))) {
      if (!info.names.has(shard)) throw new HubError(model, 'not-found', `${SHARD_INDEX} names the shard ${shard}, which the repo does not have`);
      await ensure(shard);
    }
  }
  for (const name of TOKENIZER_FILES) if (info.names.has(name)) await ensure(name);
  // Written last: until this snapshot is complete, the ref keeps pointing at the last complete one.
  if (id.revision !== commit) cache.writeRef(id.revision, commit);
  return { id, commit, dir: cache.snapshotDir(commit), downloaded };
}

async function fromCache(id: HubModelId, cache: RepoCache, prefer: WeightsFormat | undefined, why: string): Promise<HubSnapshot> {
  const commit = isCommitHash(id.revision) ? id.revision : cache.readRef(id.revision);
  const missing = commit === undefined ? [] : missingFiles(cache, commit, prefer);
  const revisionFlag = id.revision === DEFAULT_REVISION ? '' : ` --revision ${id.revision}`;
  const online = `run again with network access${why.startsWith('HF_HUB_OFFLINE') ? ' and HF_HUB_OFFLINE unset' : ''}`;
  if (commit !== undefined && missing.length === 0) {
    const damaged = await damagedFiles(cache, commit, prefer);
    if (damaged.length === 0) return { id, commit, dir: cache.snapshotDir(commit), downloaded: [], offlineReason: why };
    const names = damaged.map((d) => d.name).join(' ');
    throw new HubError(formatHubId(id), 'corrupt', `the cached ${damaged.map((d) => `${d.name} ${d.problem}`).join('; ')}, and ${why}; `
      + `${online} to fetch it again, or repair the cache with huggingface_hub: hf download ${id.repo} ${names}${revisionFlag} --force-download`);
  }
  const lacking = commit === undefined ? `no download of revision "${id.revision}" is recorded` : `snapshot ${commit} lacks ${missing.join(', ')}`;
  throw new HubError(formatHubId(id), 'not-cached', `not in the Hugging Face cache at ${cache.root} (${lacking}), and ${why}; `
    + `${online} to download it, or download it into that cache with huggingface_hub: hf download ${id.repo}${revisionFlag}`);
}

/**
 * The files albench would read from a cached snapshot (config.json, the weights with every shard,
 * the tokenizer files it has) whose bytes are not the ones their blob's name is the hash of.
 */
async function damagedFiles(cache: RepoCache, commit: string, prefer: WeightsFormat | undefined): Promise<Array<{ name: string; problem: string }>> {
  const has = (name: string) => cache.hasFile(commit, name);
  const weights = findWeightsFile(has, prefer);
  const names = [CONFIG_FILE, ...(weights === undefined ? [] : [weights.file]), ...TOKENIZER_FILES.filter(has)];
  const damaged: Array<{ name: string; problem: string }> = [];
  for (const name of names) {
    const problem = await cachedFileProblem(cache, commit, name);
    if (problem !== null) damaged.push({ name, problem });
  }
  // An index whose blob is damaged names no shards that can be trusted; it is reported above.
  if (weights?.file === SHARD_INDEX && damaged.length === 0) {
    for (const shard of shardsOf(path.join(cache.snapshotDir(commit), SHARD_INDEX))) {
      const problem = await cachedFileProblem(cache, commit, shard);
      if (problem !== null) damaged.push({ name: shard, problem });
    }
  }
  return damaged;
}

/** What a cached snapshot lacks for albench to read it: config.json, a weight file, shards. */
function missingFiles(cache: RepoCache, commit: string, prefer: WeightsFormat | undefined): string[] {
  const has = (name: string) => cache.hasFile(commit, name);
  const missing = has(CONFIG_FILE) ? [] : [CONFIG_FILE];
  const weights = findWeightsFile(has, prefer);
  if (weights === undefined) missing.push(weightFileNames(prefer).join(' or '));
  else if (weights.file === SHARD_INDEX) missing.push(...shardsOf(path.join(cache.snapshotDir(commit), SHARD_INDEX)).filter((s) => !has(s)));
  return missing;
}

const shardsOf = (indexFile: string): string[] => [...new Set(readWeightMap(indexFile).values())];

/** Byte counts as progress lines, at most every PROGRESS_INTERVAL_MS, and always the last. */
function throttled(progress: Progress, label: string): (received: number, total: number) => void {
  let last = 0;
  return (received, total) => {
    const now = Date.now();
    if (received < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    progress.step(`downloading ${label}: ${size(received, total)} of ${size(total, total)}`);
  };
}

/** In the unit of the file's total, so the two numbers of one line compare at a glance. */
function size(bytes: number, total: number): string {
  return total < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
