import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { BENCH_DEFAULTS } from '../bench/bench.js';
import { readCpuInfo } from '../bench/env.js';
import { gridPoints } from '../bench/grid.js';
import { INPUTS_DESCRIPTION } from '../bench/inputs.js';
import { openModelUnderTest, tokenIdLimit, type ModelUnderTest } from '../bench/model-under-test.js';
import { roundOrder } from '../bench/rounds.js';
import { checkTimingOptions } from '../bench/runtime-settings.js';
import type { StopRule } from '../bench/schema.js';
import { UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { ALBENCH_VERSION } from '../version.js';
import { combineRounds } from './combine-rounds.js';
import { launchChromium } from './launch.js';
import { openPage, pageEnvironment } from './page-session.js';
import { PAGE_API, type BrowserDevice, type PageApi, type PageJob, type PageReply } from './protocol.js';
import { BROWSER_BENCH_SCHEMA_VERSION, type BrowserBenchReport, type BrowserBenchSettings, type BrowserModelResult } from './schema.js';
import { startPageServer, type PageServer } from './serve.js';

export interface BrowserBenchOptions {
  /** Model folders written by albench convert, or .onnx files; `label` names one (default: its folder's name). */
  readonly models: ReadonlyArray<{ readonly path: string; readonly label?: string }>;
  readonly device: BrowserDevice;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly threads?: number;
  readonly warmupIterations?: number;
  readonly stop?: StopRule;
  /** WebGPU on a software adapter (SwiftShader: the GPU emulated on the CPU) is timed instead of called not available. */
  readonly allowSoftwareWebgpu?: boolean;
  /** Times every model is timed, each in a fresh page (default 1). */
  readonly rounds?: number;
  readonly progress?: Progress;
}

const ORDER = 'one fresh browser page per model and round, the grid points in order within it, after one untimed session load;'
  + ' the models\' order reversed every other round (A B C, C B A, ...)';
/** A page that has not run its script by then will not: a missing file or a syntax error in the served modules. */
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

type ModelFreeJob = Omit<PageJob, 'modelUrl' | 'externalData' | 'tokenIdLimit'>;

async function measureModel(browser: Browser, server: PageServer, m: ModelUnderTest, job: ModelFreeJob): Promise<PageReply> {
  const page = await openPage(browser, server);
  try {
    const full: PageJob = { ...job, ...server.addModel(m.modelFile), tokenIdLimit: tokenIdLimit(m) };
    return await page.evaluate(([api, j]) => (globalThis as unknown as Record<string, PageApi>)[api]!.measure(j), [PAGE_API, full] as const);
  } catch (e) {
    // The page itself went away (a crash, out of memory): this model failed, the next gets a fresh page.
    return { state: 'failed', error: `the page stopped: ${messageOf(e)}` };
  } finally {
    await page.context().close();
  }
}

/** Variants of one folder share its name: the file name tells them apart (bert/model_quantized.onnx). */
function distinctLabels(models: readonly ModelUnderTest[]): ModelUnderTest[] {
  return models.map((m) => (models.filter((o) => o.label === m.label).length === 1 ? m : { ...m, label: `${m.label}/${path.basename(m.modelFile)}` }));
}

function settingsOf(o: BrowserBenchOptions): BrowserBenchSettings {
  if (o.models.length === 0) throw new UsageError('give at least one model folder or .onnx file');
  const { threads, warmupIterations, stop, rounds } = o;
  checkTimingOptions({ ...(threads !== undefined ? { threads } : {}), ...(warmupIterations !== undefined ? { warmupIterations } : {}),
    ...(stop !== undefined ? { stop } : {}), ...(rounds !== undefined ? { rounds } : {}) }, BENCH_DEFAULTS);
  gridPoints(o.batchSizes, o.sequenceLengths);
  return {
    device: o.device, batchSizes: o.batchSizes, sequenceLengths: o.sequenceLengths,
    warmupIterations: o.warmupIterations ?? BENCH_DEFAULTS.warmupIterations, stop: o.stop ?? BENCH_DEFAULTS.stop, rounds: o.rounds ?? 1,
    threads: o.threads ?? readCpuInfo().physicalCores, inputs: `${INPUTS_DESCRIPTION} (as bench feeds them)`, order: ORDER,
  };
}

/** Every model in every round, the order reversing each round; a model that did not measure is not tried again. */
async function measureRounds(models: readonly ModelUnderTest[], rounds: number, measure: (m: ModelUnderTest) => Promise<PageReply>,
  progress: Progress, device: BrowserDevice): Promise<BrowserModelResult[]> {
  const replies: PageReply[][] = models.map(() => []);
  let step = 0;
  for (const [round, order] of roundOrder(models.length, rounds).entries()) {
    for (const i of order) {
      const m = models[i] as ModelUnderTest;
      const mine = replies[i] as PageReply[];
      step += 1;
      if (mine.some((r) => r.state !== 'measured')) continue;
      const roundText = rounds > 1 ? `round ${round + 1}/${rounds}: ` : '';
      progress.step(`[${step}/${models.length * rounds}] ${roundText}${m.label} in Chromium (${device})`);
      mine.push(await measure(m));
    }
  }
  return models.map((m, i) => combineRounds(m, replies[i] ?? []));
}

/**
 * Times each model inside headless Chromium with onnxruntime-web, the page served by albench from
 * 127.0.0.1 (serve.ts). WebGPU that the browser does not expose makes every model 'unavailable',
 * with the reason: a finding about this browser and machine, not a failure.
 */
export async function browserBench(o: BrowserBenchOptions): Promise<BrowserBenchReport> {
  const settings = settingsOf(o);
  const models = distinctLabels(o.models.map((s) => openModelUnderTest(s.path, s.label)));
  const progress = o.progress ?? silentProgress;
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg() as [number, number, number];
  const server = await startPageServer(o.device);
  try {
    const { browser, executable } = await launchChromium('browser-bench', { webgpu: o.device === 'webgpu' });
    try {
      const allowSoftwareAdapter = o.allowSoftwareWebgpu ?? false;
      const environment = await pageEnvironment(browser, server, o.device, allowSoftwareAdapter);
      const job = { device: settings.device, threads: settings.threads, points: gridPoints(o.batchSizes, o.sequenceLengths),
        warmupIterations: settings.warmupIterations, stop: settings.stop, allowSoftwareAdapter };
      const results = await measureRounds(models, settings.rounds, (m) => measureModel(browser, server, m, job), progress, o.device);
      return {
        schemaVersion: BROWSER_BENCH_SCHEMA_VERSION, kind: 'albench-browser-bench', albenchVersion: ALBENCH_VERSION,
        createdAt: new Date().toISOString(), startedAt, loadAverageAtStart,
        browser: { executable, version: browser.version(), ...environment }, settings, models: results,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}

/** Points that failed and models that did not load; 'unavailable' is not counted (it is what this browser offers). */
export function failedBrowserPoints(report: BrowserBenchReport): number {
  return report.models.reduce((n, m) => n + (m.state === 'failed' ? report.settings.batchSizes.length * report.settings.sequenceLengths.length
    : m.state === 'measured' ? m.points.filter((p) => p.state === 'failed').length : 0), 0);
}
