import type { BrowserDevice } from './protocol.js';

/** The onnxruntime-web bundle each device needs: the plain WebAssembly build, or the one with the WebGPU backend. */
export const ORT_BUNDLES: Readonly<Record<BrowserDevice, string>> = { wasm: 'ort.wasm.min.mjs', webgpu: 'ort.webgpu.min.mjs' };

/**
 * The page albench serves: no content, an import map that resolves the bare names page-script.js
 * imports (as Node resolves them from node_modules), and the script itself.
 */
export function pageHtml(device: BrowserDevice): string {
  const importMap = { imports: { 'onnxruntime-web': `/ort/${ORT_BUNDLES[device]}`, tinybench: '/tinybench.js' } };
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>albench browser bench</title>',
    `<script type="importmap">${JSON.stringify(importMap)}</script>`,
    '<script type="module" src="/src/browser/page-script.js"></script>',
    '</head><body></body></html>',
    '',
  ].join('\n');
}
