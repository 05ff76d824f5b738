/**
 * `npm run docs:screenshot`: the README's report picture, docs/images/bert-vs-albert-report.png, as
 * headless Chromium draws the charts of docs/example-report/report.html (run `npm run docs:example`
 * first to measure again). Needs playwright-core and Chromium, as the browser tests do.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../src/browser/launch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPORT = path.join('docs', 'example-report', 'report.html');
const PICTURE = path.join('docs', 'images', 'bert-vs-albert-report.png');
const VIEWPORT = { width: 1100, height: 1000 };

const { browser } = await launchChromium('docs:screenshot');
try {
  const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path.join(ROOT, REPORT)).href, { waitUntil: 'load' });
  if (errors.length > 0) throw new Error(`${REPORT}: ${errors.join('; ')}`);
  const boxes = await page.locator('section.charts svg.chart').evaluateAll((charts) => charts.map((c) => {
    const r = c.getBoundingClientRect();
    return { left: r.left, top: r.top + window.scrollY, right: r.right, bottom: r.bottom + window.scrollY };
  }));
  if (boxes.length === 0) throw new Error(`${REPORT} has no charts`);
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const clip = { x: left, y: top, width: Math.max(...boxes.map((b) => b.right)) - left, height: Math.max(...boxes.map((b) => b.bottom)) - top };
  await page.screenshot({ path: path.join(ROOT, PICTURE), clip, fullPage: true, animations: 'disabled' });
  process.stdout.write(`wrote ${PICTURE} from ${REPORT}\n`);
} finally {
  await browser.close();
}
