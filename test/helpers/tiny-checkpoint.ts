import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS, TOKENIZER_FILES } from './paths.js';

/** A tiny fixture checkpoint with a 1000-word slice of BERT's vocabulary, so GLUE text runs through it; `edit` changes its config.json. */
export function tinyCheckpoint(root: string, fixture: string, name: string, edit: Record<string, unknown> = {}): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['model.safetensors']) fs.copyFileSync(path.join(CHECKPOINTS, fixture, file), path.join(dir, file));
  const config = JSON.parse(fs.readFileSync(path.join(CHECKPOINTS, fixture, 'config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, ...edit }, null, 2));
  const vocab = fs.readFileSync(path.join(TOKENIZER_FILES, 'bert-base-uncased', 'vocab.txt'), 'utf8').split('\n').slice(0, 1000);
  fs.writeFileSync(path.join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, tokenizer_class: 'BertTokenizer' }));
  return dir;
}
