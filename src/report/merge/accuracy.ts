import type { AccuracyAgreement } from '../model/matrix-types.js';
import type { CompletedVariant, RowValues } from '../model/types.js';

const values = (p: RowValues | undefined): readonly number[] | undefined => p?.labels ?? p?.scores;

/** How many rows two prediction lists differ in; undefined when either has none or they cover different rows. */
function rowsDiffering(a: RowValues | undefined, b: RowValues | undefined): number | undefined {
  const va = values(a);
  const vb = values(b);
  if (va === undefined || vb === undefined || a === undefined || b === undefined || JSON.stringify(a.rows) !== JSON.stringify(b.rows)) return undefined;
  return va.filter((x, i) => x !== vb[i]).length;
}

/**
 * The same variant measured in several environments: the file should be the same (by sha256) and a
 * deterministic runtime should then predict the same on every row. A file that differs says the
 * machines made different variants; equal files with differing predictions, a runtime (kernels,
 * execution provider) that computes differently.
 */
export function accuracyAgreement(variantId: string, copies: ReadonlyArray<{ env: number; variant: CompletedVariant }>): AccuracyAgreement {
  const envs = copies.map((c) => c.env);
  const shas = [...new Set(copies.map((c) => c.variant.fileSha256 ?? 'unknown'))];
  const [reference, ...others] = copies;
  const sha = shas.length === 1 && shas[0] !== 'unknown' ? { fileSha256: shas[0] as string } : {};
  if (reference === undefined) return { variantId, envs, agrees: true, detail: 'measured in no environment', ...sha };
  if (shas.length > 1) {
    const listed = shas.map((s) => s.slice(0, 12)).join(', ');
    return { variantId, envs, agrees: false, detail: `the environments measured different files (sha256 ${listed}): rebuilt elsewhere` };
  }
  const disagreements = others.flatMap((o) => {
    const differing = rowsDiffering(reference.variant.predictions, o.variant.predictions);
    const metricA = reference.variant.metrics[0]?.value;
    const metricB = o.variant.metrics[0]?.value;
    if (differing === undefined) return metricA === metricB ? [] : [`environment ${o.env}: ${metricB} vs ${metricA}`];
    const rows = values(o.variant.predictions)?.length ?? 0;
    return differing === 0 ? [] : [`environment ${o.env}: ${differing} of ${rows} predictions differ from environment ${reference.env}'s`];
  });
  if (disagreements.length === 0) return { variantId, envs, agrees: true, detail: 'same file, same predictions in every environment', ...sha };
  return { variantId, envs, agrees: false, detail: `same file, different results: a runtime that computes differently (${disagreements.join('; ')})`, ...sha };
}
