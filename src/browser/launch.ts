import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { UnsupportedError } from '../errors.js';

/**
 * Headless Chromium through playwright-core, both optional: playwright-core is a devDependency and
 * Chromium comes from the system (Debian's chromium package), so albench imports it only here, when
 * a browser is asked for.
 */

export const CHROMIUM_ENV = 'ALBENCH_CHROMIUM';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const NEEDS = 'needs playwright-core and Chromium: npm install playwright-core; apt-get install chromium'
  + ` (or set ${CHROMIUM_ENV} to a Chromium executable)`;

/**
 * --no-sandbox: Chromium refuses to start as root with its sandbox. The background-networking,
 * component-update and sync switches keep it from calling home: a measurement makes no request but
 * the page's own, and a closed network would refuse those calls loudly.
 */
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--no-default-browser-check',
];
/**
 * WebAssembly needs no GPU process. WebGPU needs it, and on Linux Chromium still ships WebGPU behind
 * --enable-unsafe-webgpu, over Vulkan: without these every adapter request answers null, GPU or not.
 */
const NO_GPU_ARGS = ['--disable-gpu'];
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

export function chromiumExecutable(): string {
  return process.env[CHROMIUM_ENV] ?? DEFAULT_CHROMIUM;
}

/** playwright-core and the Chromium executable, or an error saying how to get them: compare checks this before any work. */
export async function findChromium(what: string): Promise<{ playwright: typeof import('playwright-core'); executable: string }> {
  const executable = chromiumExecutable();
  if (!fs.existsSync(executable)) throw new UnsupportedError(`${what} ${NEEDS}; ${executable} does not exist`);
  try {
    return { playwright: await import('playwright-core'), executable };
  } catch (e) {
    throw new UnsupportedError(`${what} ${NEEDS}; playwright-core is not installed`, e);
  }
}

/** `webgpu`: with the GPU process and WebGPU enabled (browser-bench --device webgpu); else without a GPU. */
export async function launchChromium(what: string, options: { readonly webgpu?: boolean } = {}): Promise<{ browser: Browser; executable: string }> {
  const { playwright, executable } = await findChromium(what);
  const args = [...CHROMIUM_ARGS, ...(options.webgpu === true ? WEBGPU_ARGS : NO_GPU_ARGS)];
  try {
    return { browser: await playwright.chromium.launch({ executablePath: executable, args }), executable };
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new UnsupportedError(`${what}: Chromium (${executable}) did not start: ${first}`, e);
  }
}
