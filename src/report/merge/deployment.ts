import type { DeploymentRun } from '../model/deployment-types.js';
import type { Report } from '../model/types.js';

/**
 * The deployment settings across merged reports: shards of one run sampled only their own models'
 * rows, so the merged run keeps the first report's settings with every model's sample.
 */

/** What must be the same for two reports' deployment figures to stand side by side: everything but the samples. */
export function deploymentSettingsText(r: Pick<Report, 'deployment'>): string {
  const d = r.deployment;
  if (d === undefined) return 'none';
  const { realInputs, ...rest } = d;
  return JSON.stringify({ ...rest, ...(realInputs === undefined ? {} : { realInputs: { sampleSize: realInputs.sampleSize, seed: realInputs.seed } }) });
}

export function mergedDeployment(reports: ReadonlyArray<Pick<Report, 'deployment'>>): { deployment: DeploymentRun } | Record<string, never> {
  const first = reports.find((r) => r.deployment !== undefined)?.deployment;
  if (first === undefined) return {};
  if (first.realInputs === undefined) return { deployment: first };
  const samples = new Map(reports.flatMap((r) => r.deployment?.realInputs?.samples ?? []).map((s) => [s.model, s] as const));
  return { deployment: { ...first, realInputs: { ...first.realInputs, samples: [...samples.values()] } } };
}
