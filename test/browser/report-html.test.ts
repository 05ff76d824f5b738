import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src/browser/launch.js';
import { renderHtml } from '../../src/report/render/html.js';
import { readReport } from '../../src/report/read-report.js';
import type { Report } from '../../src/report/model/types.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { sampleReport } from '../helpers/sample-report.js';

interface PageVisit { readonly requests: string[]; readonly errors: string[]; readonly markersPerChart: number[] }

/**
 * Opens a report.html from disk and records what a reader's browser would meet: every request the
 * page makes (it must make none but its own file), every console error and uncaught exception,
 * and the point markers of each chart (those outside the legend).
 */
async function visit(browser: Browser, file: string): Promise<PageVisit> {
  const page = await (await browser.newContext()).newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const markersPerChart = await page.$$eval('svg.chart', (charts) => charts.map((c) => c.querySelectorAll(':scope > .marker').length));
  await page.context().close();
  return { requests, errors, markersPerChart };
}

const completed = (report: Report) => report.variants.filter((v) => v.state === 'completed').length;

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = (await launchChromium('the report test')).browser;
  });
  after(() => browser.close());

  const cases: Array<[string, () => { file: string; report: Report }]> = [
    ['the sample report rendered by html.ts', () => {
      const file = path.join(tempDir(), 'report.html');
      const report = sampleReport();
      fs.writeFileSync(file, renderHtml(report));
      return { file, report };
    }],
    ['the committed example report (docs/example-report)', () => {
      const dir = path.join(REPO_ROOT, 'docs', 'example-report');
      return { file: path.join(dir, 'report.html'), report: readReport(path.join(dir, 'report.json')) };
    }],
  ];
  for (const [name, make] of cases) {
    it(`${name}: no console error, no request but its own file, both charts with a point per completed variant`, async () => {
      const { file, report } = make();
      const seen = await visit(browser, file);
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.requests, [pathToFileURL(file).href]);
      assert.ok(completed(report) > 0);
      assert.deepEqual(seen.markersPerChart, [completed(report), completed(report)]);
    });
  }
});
