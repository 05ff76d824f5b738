import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src/browser/launch.js';
import { readReport } from '../../src/report/read-report.js';
import { renderHtml } from '../../src/report/render/html.js';
import type { Report } from '../../src/report/model/types.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { sampleDeploymentReport } from '../helpers/sample-deployment.js';
import { sampleReport } from '../helpers/sample-report.js';

/** A laptop's window: every table of report.html must read without sideways scrolling there. */
const VIEWPORT = { width: 1280, height: 900 };

interface TableBox {
  readonly index: number; readonly heading: string;
  readonly scrollWidth: number; readonly clientWidth: number; readonly boxScrollWidth: number; readonly boxClientWidth: number;
}

/** Each table's own scroll and client widths, and those of the box it would scroll in (its wrapper). */
async function tableBoxes(browser: Browser, report: Report): Promise<TableBox[]> {
  const file = path.join(tempDir(), 'report.html');
  fs.writeFileSync(file, renderHtml(report));
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return await page.$$eval('table', (tables) => tables.map((t, index) => {
      const box = t.parentElement ?? t;
      const heading = t.closest('section')?.querySelector('h2')?.textContent ?? '';
      return { index, heading, scrollWidth: t.scrollWidth, clientWidth: t.clientWidth, boxScrollWidth: box.scrollWidth, boxClientWidth: box.clientWidth };
    }));
  } finally {
    await page.close();
  }
}

const committed = (folder: string) => () => readReport(path.join(REPO_ROOT, 'docs', folder, 'report.json'));

describe(`report.html at ${VIEWPORT.width} px in headless Chromium`, () => {
  let browser: Browser;
  before(async () => {
    browser = (await launchChromium('the report layout test')).browser;
  });
  after(() => browser.close());

  const cases: Array<[string, () => Report]> = [
    ['the default report (the sample)', sampleReport],
    ['a --deployment report (the sample with deployment figures)', () => sampleDeploymentReport() as Report],
    ['the committed example report', committed('example-report')],
    ['the committed three-device report (cpu, wasm, browser-wasm columns)', committed('deployment-report')],
  ];
  for (const [name, make] of cases) {
    it(`${name}: no table is wider than its box, none scrolls sideways`, async () => {
      const boxes = await tableBoxes(browser, make());
      assert.ok(boxes.length >= 3);
      // A pixel of rounding (borders at fractional widths) is not a scroll bar.
      const wide = boxes.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.boxScrollWidth > b.boxClientWidth);
      assert.deepEqual(wide, []);
    });
  }
});
