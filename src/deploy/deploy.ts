import path from 'node:path';
import { defaultCacheDir, StepCache } from '../cache/cache.js';
import { DeployError } from '../errors.js';
import { readReport } from '../report/read-report.js';
import { sha256FileSync } from '../util/sha256.js';
import { chooseOnDevice, type DeployConstraints } from '../report/verdicts/target-choice.js';
import { findInCache } from './find-in-cache.js';
import { buildManifest } from './manifest.js';
import type { DeploymentManifest } from './manifest-types.js';
import { targetDevice, untimedText, type DeployTarget } from '../report/verdicts/targets.js';
import { writeDeployFolder } from './write-folder.js';

export interface DeployOptions {
  readonly reportFile: string;
  readonly target: DeployTarget;
  readonly outDir: string;
  readonly constraints?: DeployConstraints;
  /** compare's step cache (a folder, or s3://… used through its local mirror); compare's default when absent. */
  readonly cacheDir?: string;
}

/**
 * `albench deploy`: chooses the variant for the target by the report's rule and constraints, finds
 * its file in the step cache by sha256, and writes the folder its runtime loads with deployment.json.
 */
export async function deploy(o: DeployOptions): Promise<DeploymentManifest> {
  const report = readReport(o.reportFile);
  const reportSha256 = sha256FileSync(o.reportFile);
  const device = targetDevice(report, o.target);
  if (device === undefined) throw new DeployError(`${o.reportFile} ${untimedText(report, o.target)}, and deploy from that report`);
  const constraints = o.constraints ?? {};
  const choice = chooseOnDevice(report, device, constraints);
  if (choice.kind === 'no-fit') throw new DeployError(`${choice.reason}. Relax the constraint or deploy from a report with more variants`);
  const { chosen, reason } = choice;
  const v = chosen.headline.variant;
  if (v.fileSha256 === undefined) {
    throw new DeployError(`${v.id} in ${o.reportFile} has no fileSha256 (an older report); run albench compare again and deploy from its report`);
  }
  const fileSha256 = v.fileSha256;
  const cacheRoot = new StepCache(o.cacheDir ?? defaultCacheDir()).root;
  const source = findInCache(cacheRoot, v.file, fileSha256);
  const reportPath = path.resolve(o.reportFile);
  return writeDeployFolder(o.outDir, source, (file) => buildManifest({
    report, reportPath, reportSha256, target: o.target, device, chosen, reason, constraints, file, fileSha256,
  }), o.target);
}
