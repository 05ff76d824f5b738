import { Option, type Command } from 'commander';
import { deploy } from '../deploy/deploy.js';
import { DEPLOY_TARGETS, type DeployTarget } from '../report/verdicts/targets.js';
import { safeLine } from '../util/safe-text.js';
import { nonNegative } from './options.js';

interface DeployFlags {
  target: DeployTarget; output: string; cache?: string; maxSize?: number; maxDrop?: number; p99Bound?: number;
}

export function addDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description('choose the variant for a target from a compare report and write the folder its runtime loads, with deployment.json')
    .argument('<report>', 'report.json written by albench compare')
    .addOption(new Option('--target <target>', 'where it runs: node (onnxruntime-node, CPU), browser (transformers.js), cuda')
      .choices(DEPLOY_TARGETS).makeOptionMandatory())
    .requiredOption('-o, --output <dir>', 'the folder to write (replaced only when albench deploy wrote it)')
    .option('--max-size <MB>', 'largest model file, in MB (10^6 bytes)', nonNegative('--max-size'))
    .option('--max-drop <points>', 'non-inferior to fp32 at this margin, in points (the lower end of the paired 95% interval)', nonNegative('--max-drop'))
    .option('--p99-bound <ms>', 'largest p99 on the target: at the real inputs when measured, else the grid\'s first point', nonNegative('--p99-bound'))
    .option('--cache <dir>', 'the step cache compare used (default: $ALBENCH_CACHE, else albench/ under the XDG cache folder)')
    .action(async (report: string, o: DeployFlags) => {
      const manifest = await deploy({
        reportFile: report, target: o.target, outDir: o.output,
        constraints: {
          ...(o.maxSize === undefined ? {} : { maxSizeMb: o.maxSize }),
          ...(o.maxDrop === undefined ? {} : { maxDropPoints: o.maxDrop }),
          ...(o.p99Bound === undefined ? {} : { p99BoundMs: o.p99Bound }),
        },
        ...(o.cache === undefined ? {} : { cacheDir: o.cache }),
      });
      process.stdout.write(`${safeLine(`${manifest.variant.id} -> ${o.output} (${manifest.variant.file}); ${manifest.reason}`)}\n`);
    });
}
