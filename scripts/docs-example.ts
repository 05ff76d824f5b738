/**
 * `npm run docs:example`: regenerates the example report in docs/example-report with the README's
 * main command (bundled models, every default) and redraws the chart picture the README shows from
 * it. `--chart-only` redraws the picture from the committed report without measuring again.
 * `--deployment` instead writes docs/deployment-report: the bundled models on onnxruntime-node, on
 * onnxruntime-web in Node and inside headless Chromium, side by side (docs/deployment.md).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tradeoffCharts } from '../src/report/render/charts.js';
import { readReport } from '../src/report/read-report.js';
import { scatterSvg } from '../src/report/render/svg-chart.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPORTS_DIR = 'docs';
const REPORT_NAME = 'example-report';
const CHART_FILE = path.join('docs', 'images', 'bert-vs-albert-chart.svg');
const CHART = { width: 760, height: 440, gap: 20 };

/** The report's two charts side by side in one standalone SVG file (an <img> in the README). */
function chartPicture(reportFile: string): string {
  const charts = tradeoffCharts(readReport(reportFile)).map(scatterSvg);
  const width = charts.length * CHART.width + (charts.length - 1) * CHART.gap;
  const place = (i: number) => `<svg x="${i * (CHART.width + CHART.gap)}" y="0" width="${CHART.width}" height="${CHART.height}" `;
  const placed = charts.map((svg, i) => svg.replace(/^<svg /, place(i)));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CHART.height}" viewBox="0 0 ${width} ${CHART.height}">`,
    ...placed,
    '</svg>',
    '',
  ].join('\n');
}

const DEPLOYMENT = ['--device', 'cpu,wasm,browser-wasm', '--limit', '100', '--name', 'deployment-report'];

/** `albench compare bert albert` into docs/ with these flags; its exit status (1 when it was killed). */
function compareBundled(flags: readonly string[]): number {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  return spawnSync(process.execPath, [cli, 'compare', 'bert', 'albert', '--reports', REPORTS_DIR, ...flags], { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

if (process.argv.includes('--deployment')) process.exit(compareBundled(DEPLOYMENT));
if (!process.argv.includes('--chart-only')) {
  const status = compareBundled(['--name', REPORT_NAME]);
  if (status !== 0) process.exit(status);
}
const reportFile = path.join(ROOT, REPORTS_DIR, REPORT_NAME, 'report.json');
fs.writeFileSync(path.join(ROOT, CHART_FILE), chartPicture(reportFile));
process.stdout.write(`wrote ${CHART_FILE} from ${path.relative(ROOT, reportFile)}\n`);
