import path from 'node:path';
import { convert } from '../../src/convert/convert.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { tempDir } from './paths.js';
import { writeStressModel } from './stress-model.js';

export interface StressPair { readonly name: string; readonly fp32Dir: string; readonly stressDir: string }

/** The two bundled SST-2 models converted once, each with its stress copy (BERT: layers 0 and 1; ALBERT: its shared layer). */
export async function stressPairs(): Promise<StressPair[]> {
  const root = tempDir('albench-tune-');
  const specs = [
    { name: 'bert-sst2-mini', layers: [0, 1] },
    { name: 'albert-sst2-mini', layers: [0] },
  ];
  const pairs: StressPair[] = [];
  for (const { name, layers } of specs) {
    const fp32Dir = path.join(root, name);
    await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, name) }, outDir: fp32Dir, validate: false });
    pairs.push({ name, fp32Dir, stressDir: writeStressModel(fp32Dir, path.join(root, `${name}-stress`), { layers, channel: 0, factor: 3000 }) });
  }
  return pairs;
}
