import type { GridPoint } from '../bench/grid.js';
import { medianRun } from '../bench/deployment/cold-start.js';
import { openModelUnderTest, tokenIdLimit } from '../bench/model-under-test.js';
import { roundOrder } from '../bench/rounds.js';
import type { Progress } from '../util/progress.js';
import { openPage, pageEnvironment } from './page-session.js';
import { launchChromium } from './launch.js';
import { PAGE_API, type BrowserDevice, type ColdStartPageJob, type ColdStartPageReply, type PageApi } from './protocol.js';
import { startPageServer } from './serve.js';

/**
 * Cold start in a browser: from a fresh page in the running browser to the first prediction, as a
 * visitor meets it. The page's opening (its scripts and onnxruntime-web's JavaScript) is timed from
 * Node; the model's fetch from albench's local server, the session (WebAssembly compiled) and the
 * first run inside the page. The download over a real connection is computed by the caller.
 */
export interface BrowserColdStartOptions {
  readonly models: ReadonlyArray<{ readonly path: string; readonly label: string }>;
  readonly device: BrowserDevice;
  readonly threads: number;
  readonly runs: number;
  readonly point: GridPoint;
  readonly progress: Progress;
}

type PartName = 'open-page' | 'read-file' | 'create-session' | 'first-run';

export type BrowserColdStart =
  | {
      readonly state: 'measured'; readonly totalMs: number; readonly parts: ReadonlyArray<{ readonly part: PartName; readonly ms: number }>;
      readonly runTotalsMs: number[];
    }
  | { readonly state: 'failed'; readonly error: string };

interface Run { readonly totalMs: number; readonly parts: ReadonlyArray<{ readonly part: PartName; readonly ms: number }> }

function runOf(openMs: number, r: Extract<ColdStartPageReply, { state: 'measured' }>): Run {
  const parts = [
    { part: 'open-page' as const, ms: openMs }, { part: 'read-file' as const, ms: r.readFileMs },
    { part: 'create-session' as const, ms: r.createSessionMs }, { part: 'first-run' as const, ms: r.firstRunMs },
  ];
  return { totalMs: parts.reduce((sum, p) => sum + p.ms, 0), parts };
}

/** Every model `runs` times, each in a fresh page, the order reversing each run; the median run by total is reported. */
export async function browserColdStarts(o: BrowserColdStartOptions): Promise<BrowserColdStart[]> {
  const server = await startPageServer(o.device);
  try {
    const { browser } = await launchChromium('compare --cold-start', { webgpu: o.device === 'webgpu' });
    try {
      const unavailable = (await pageEnvironment(browser, server, o.device, false)).webgpuUnavailable;
      if (o.device === 'webgpu' && unavailable !== null) return o.models.map(() => ({ state: 'failed', error: `not available here: ${unavailable}` }));
      const runs: Run[][] = o.models.map(() => []);
      const errors: Array<string | undefined> = o.models.map(() => undefined);
      for (const [round, order] of roundOrder(o.models.length, o.runs).entries()) {
        for (const i of order) {
          const m = o.models[i];
          if (m === undefined || errors[i] !== undefined) continue;
          o.progress.step(`cold start ${round + 1}/${o.runs} in Chromium (${o.device}): ${m.label}`);
          const job: ColdStartPageJob = {
            device: o.device, threads: o.threads, point: o.point, ...server.addModel(m.path), tokenIdLimit: tokenIdLimit(openModelUnderTest(m.path)),
          };
          const started = performance.now();
          const page = await openPage(browser, server);
          const openMs = performance.now() - started;
          try {
            const reply = await page.evaluate(([api, j]) => (globalThis as unknown as Record<string, PageApi>)[api]!.coldStart(j), [PAGE_API, job] as const);
            if (reply.state === 'measured') runs[i]?.push(runOf(openMs, reply));
            else errors[i] = `run ${round + 1}: ${reply.error}`;
          } catch (e) {
            errors[i] = `run ${round + 1}: the page stopped: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`;
          } finally {
            await page.context().close();
          }
        }
      }
      return o.models.map((_, i) => {
        const middle = medianRun(runs[i] ?? []);
        const error = errors[i] ?? (middle === undefined ? 'no run completed' : undefined);
        if (error !== undefined || middle === undefined) return { state: 'failed', error: error ?? 'no run completed' };
        return { state: 'measured', ...middle, runTotalsMs: (runs[i] ?? []).map((r) => r.totalMs) };
      });
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}
