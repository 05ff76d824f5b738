import fs from 'node:fs';
import path from 'node:path';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';

export interface Sst2Prediction { index: number; label: number; pred: number; logits: [number, number] }

/** SST-2 dev sentences, as is (GLUE's TSV has no quoting; sentences keep their trailing space). */
export function readSst2Dev(): string[] {
  const lines = fs.readFileSync(path.join(BUNDLED_GLUE_DIR, 'SST-2', 'dev.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
  return lines.map((l) => l.split('\t')[0] ?? '');
}

/** PyTorch's predictions.tsv beside a bundled model: index, label, pred, logit_0, logit_1. */
export function readPredictions(modelDir: string): Sst2Prediction[] {
  const lines = fs.readFileSync(path.join(modelDir, 'predictions.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [index, label, pred, l0, l1] = l.split('\t').map(Number) as [number, number, number, number, number];
    return { index, label, pred, logits: [l0, l1] };
  });
}
