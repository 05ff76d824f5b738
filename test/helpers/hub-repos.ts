import fs from 'node:fs';
import path from 'node:path';
import { readSafetensorsF32, writeSafetensors } from './checkpoint-copy.js';
import { commitHash, type FakeFile, type FakeRepo } from './fake-hub.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from './paths.js';

/** Hub repos built from the bert-tiny-cls fixture, with tokenizer files from the bundled BERT. */
export const TINY = 'albench-test/bert-tiny';
export const SHARDED = 'albench-test/bert-tiny-sharded';
export const PRIVATE = 'albench-test/private-tiny';
export const GATED = 'albench-test/gated-tiny';
export const TOKEN = 'hf_fake_test_token';

export const MAIN_COMMIT = commitHash('main');
export const V2_COMMIT = commitHash('v2');

const fixture = (file: string) => fs.readFileSync(path.join(CHECKPOINTS, 'bert-tiny-cls', file));
const tokenizer = (file: string) => fs.readFileSync(path.join(REPO_ROOT, 'models', 'bert-sst2-mini', file));
const git = (content: Buffer | string): FakeFile => ({ content: Buffer.from(content), lfs: false });
const lfs = (content: Buffer): FakeFile => ({ content, lfs: true });

export function tinyFiles(configEdits: Record<string, unknown> = {}): Record<string, FakeFile> {
  const config = { ...(JSON.parse(fixture('config.json').toString('utf8')) as Record<string, unknown>), ...configEdits };
  return {
    '.gitattributes': git('*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n'),
    'README.md': git('# bert-tiny\n'),
    'config.json': git(JSON.stringify(config, null, 2)),
    'model.safetensors': lfs(fixture('model.safetensors')),
    'pytorch_model.bin': lfs(fixture('pytorch_model.bin')),
    'tokenizer_config.json': git(tokenizer('tokenizer_config.json')),
    'special_tokens_map.json': git(tokenizer('special_tokens_map.json')),
    'vocab.txt': git(tokenizer('vocab.txt')),
  };
}

/** main and the tag v2 at different commits; v2's config.json differs, the weights are shared. */
export function tinyRepo(access?: FakeRepo['access']): FakeRepo {
  return {
    commits: { [MAIN_COMMIT]: tinyFiles(), [V2_COMMIT]: tinyFiles({ _name_or_path: 'bert-tiny-v2' }) },
    refs: { main: MAIN_COMMIT, v2: V2_COMMIT },
    ...(access ? { access } : {}),
  };
}

/** The fixture's tensors split over two safetensors shards with a model.safetensors.index.json. */
export function shardedRepo(): FakeRepo {
  const tensors = Object.entries(readSafetensorsF32(path.join(CHECKPOINTS, 'bert-tiny-cls', 'model.safetensors')));
  const half = Math.ceil(tensors.length / 2);
  const shardNames = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const dir = tempDir();
  const weightMap: Record<string, string> = {};
  const files: Record<string, FakeFile> = { 'config.json': git(fixture('config.json')) };
  shardNames.forEach((name, i) => {
    const part = tensors.slice(i * half, (i + 1) * half);
    for (const [key] of part) weightMap[key] = name;
    writeSafetensors(path.join(dir, name), Object.fromEntries(part));
    files[name] = lfs(fs.readFileSync(path.join(dir, name)));
  });
  files['model.safetensors.index.json'] = git(JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  return { commits: { [MAIN_COMMIT]: files }, refs: { main: MAIN_COMMIT } };
}

export function allRepos(): Record<string, FakeRepo> {
  return {
    [TINY]: tinyRepo(),
    [SHARDED]: shardedRepo(),
    [PRIVATE]: tinyRepo({ kind: 'private', token: TOKEN }),
    [GATED]: tinyRepo({ kind: 'gated', token: TOKEN }),
  };
}
