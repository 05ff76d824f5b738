import fs from 'node:fs';
import path from 'node:path';
import { convert } from '../../src/convert/convert.js';
import { CHECKPOINTS, TOKENIZER_FILES, tempDir } from './paths.js';

let converted: Promise<string> | undefined;

/** bert-tiny-cls converted once per test process, with a 1000-word slice of the BERT vocabulary so real text runs through it. */
export function tinyTextModel(): Promise<string> {
  converted ??= (async () => {
    const out = path.join(tempDir(), 'bert-tiny-cls');
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: out, validate: false });
    const vocab = fs.readFileSync(path.join(TOKENIZER_FILES, 'bert-base-uncased', 'vocab.txt'), 'utf8').split('\n').slice(0, 1000);
    fs.writeFileSync(path.join(out, 'vocab.txt'), `${vocab.join('\n')}\n`);
    fs.writeFileSync(path.join(out, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, tokenizer_class: 'BertTokenizer' }));
    return out;
  })();
  return converted;
}
