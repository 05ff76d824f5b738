/**
 * Runs inside Chromium, not in Node: the module the page albench serves loads (serve.ts). The page's
 * import map points 'onnxruntime-web' at the bundle for the device measured and 'tinybench' at
 * tinybench's own file, so the timing is bench's measureLatency itself, the same warm-up and stop rule.
 */
import * as ort from 'onnxruntime-web';
import { inputFeeds } from '../bench/inputs.js';
import { measureLatency } from '../bench/latency.js';
import {
  PAGE_API, type BrowserDevice, type ColdStartPageJob, type ColdStartPageReply, type PageApi, type PageEnvironment, type PageJob, type PagePoint,
  type PageReply,
} from './protocol.js';

interface AdapterInfoLike { readonly vendor?: string; readonly architecture?: string; readonly description?: string; readonly isFallbackAdapter?: boolean }
interface AdapterLike { readonly info?: AdapterInfoLike; readonly isFallbackAdapter?: boolean }
interface GpuLike { requestAdapter(): Promise<AdapterLike | null> }

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** What WebGPU offers here: the adapter's name, and why it cannot be used (null when it can). */
async function webgpuState(allowSoftwareAdapter: boolean): Promise<{ adapter: string | null; unavailable: string | null }> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (gpu === undefined) return { adapter: null, unavailable: 'navigator.gpu is absent (this Chromium exposes no WebGPU)' };
  let found: AdapterLike | null;
  try {
    found = await gpu.requestAdapter();
  } catch (e) {
    return { adapter: null, unavailable: `navigator.gpu.requestAdapter() failed: ${messageOf(e)}` };
  }
  if (found === null) return { adapter: null, unavailable: 'navigator.gpu.requestAdapter() found no adapter (no usable GPU)' };
  const info = found.info ?? {};
  const adapter = [info.vendor, info.architecture, info.description].filter((x) => x !== undefined && x !== '').join(' ') || 'unnamed adapter';
  // SwiftShader runs WebGPU on the CPU: its timings would say nothing about what a GPU gives.
  const software = info.architecture === 'swiftshader' || info.isFallbackAdapter === true || found.isFallbackAdapter === true;
  if (!software || allowSoftwareAdapter) return { adapter, unavailable: null };
  return {
    adapter,
    unavailable: `only a software adapter (${adapter}), which emulates a GPU on the CPU; its timings would say nothing about a GPU`
      + ' (browser-bench --allow-software-webgpu times it anyway)',
  };
}

/** WebAssembly runs Chromium without its GPU process (launch.ts), where no adapter could be found: WebGPU is not asked about then. */
const NOT_CHECKED = { adapter: null, unavailable: 'not checked: --device wasm runs Chromium without its GPU process' };

async function environment(device: BrowserDevice, allowSoftwareAdapter: boolean): Promise<PageEnvironment> {
  const webgpu = device === 'webgpu' ? await webgpuState(allowSoftwareAdapter) : NOT_CHECKED;
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    onnxruntimeWebVersion: ort.env.versions.web ?? 'unknown',
    webgpuUnavailable: webgpu.unavailable,
    webgpuAdapter: webgpu.adapter,
  };
}

async function measurePoints(session: ort.InferenceSession, job: PageJob): Promise<PagePoint[]> {
  const points: PagePoint[] = [];
  for (const p of job.points) {
    try {
      const feeds = inputFeeds(ort.Tensor, session.inputNames, p.batchSize, p.sequenceLength, job.tokenIdLimit);
      points.push({ ...p, state: 'completed', latency: await measureLatency(() => session.run(feeds), job.warmupIterations, job.stop) });
    } catch (e) {
      points.push({ ...p, state: 'failed', error: messageOf(e) });
    }
  }
  return points;
}

async function fetchModel(job: Pick<PageJob, 'modelUrl'>): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(job.modelUrl)).arrayBuffer());
}

function createSession(model: Uint8Array, job: Pick<PageJob, 'device' | 'externalData'>): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: [job.device],
    graphOptimizationLevel: 'all',
    ...(job.externalData !== null ? { externalData: [{ path: job.externalData.path, data: job.externalData.url }] } : {}),
  });
}

async function measure(job: PageJob): Promise<PageReply> {
  if (job.device === 'webgpu') {
    const reason = (await webgpuState(job.allowSoftwareAdapter)).unavailable;
    if (reason !== null) return { state: 'unavailable', reason };
  }
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? job.threads : 1;
  const started = performance.now();
  let session: ort.InferenceSession;
  try {
    session = await createSession(await fetchModel(job), job);
  } catch (e) {
    return { state: 'failed', error: messageOf(e) };
  }
  const loadMs = performance.now() - started;
  try {
    return { state: 'measured', loadMs, wasmThreads: ort.env.wasm.numThreads, points: await measurePoints(session, job) };
  } finally {
    await session.release();
  }
}

/** From a page just opened to its first prediction: the model fetched, the session created (WebAssembly compiled), one run. */
async function coldStart(job: ColdStartPageJob): Promise<ColdStartPageReply> {
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? job.threads : 1;
  try {
    const started = performance.now();
    const model = await fetchModel(job);
    const fetched = performance.now();
    const session = await createSession(model, job);
    const created = performance.now();
    await session.run(inputFeeds(ort.Tensor, session.inputNames, job.point.batchSize, job.point.sequenceLength, job.tokenIdLimit));
    const ran = performance.now();
    await session.release();
    return { state: 'measured', readFileMs: fetched - started, createSessionMs: created - fetched, firstRunMs: ran - created };
  } catch (e) {
    return { state: 'failed', error: messageOf(e) };
  }
}

const api: PageApi = { environment, measure, coldStart };
Object.assign(globalThis, { [PAGE_API]: api });
