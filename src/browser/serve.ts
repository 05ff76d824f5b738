import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONNXRUNTIME_WEB, resolveOptionalPeer } from '../util/optional-peer.js';
import { pageHtml } from './page.js';
import type { BrowserDevice } from './protocol.js';

/**
 * The only server the browser talks to: 127.0.0.1, a free port, and a fixed set of files — the
 * generated page, albench's page modules, onnxruntime-web's dist files, tinybench, and the models
 * registered for this run. Everything else is a 404, so the page cannot reach anything albench did
 * not mean to give it. The page is cross-origin isolated (COOP/COEP) so onnxruntime-web gets
 * SharedArrayBuffer and its WebAssembly threads.
 */

const require = createRequire(import.meta.url);
/** dist/src when compiled: the page's own modules are served from the build, as Node runs them. */
const COMPILED_SRC = fileURLToPath(new URL('..', import.meta.url));
const PAGE_MODULES = ['browser/page-script.js', 'browser/protocol.js', 'bench/inputs.js', 'bench/latency.js', 'util/stats.js', 'util/random.js'];
const ORT_FILE = /^ort[\w.-]*\.(?:mjs|wasm)$/;
const TINYBENCH = require.resolve('tinybench');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
};
const HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };

export interface ServedModel { readonly modelUrl: string; readonly externalData: { readonly path: string; readonly url: string } | null }

export interface PageServer {
  /** The page's address, http://127.0.0.1:<port>/ . */
  readonly url: string;
  /** Makes a model file (and its `_data` file beside it, if any) fetchable by the page. */
  addModel(modelFile: string): ServedModel;
  close(): Promise<void>;
}

function sendFile(res: http.ServerResponse, file: string): void {
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { ...HEADERS, 'Content-Type': type, 'Content-Length': fs.statSync(file).size });
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** The file a request path names, or null: only the fixed set and the registered models. */
function fileFor(urlPath: string, models: ReadonlyMap<string, string>, ortDist: string): string | null {
  if (urlPath === '/tinybench.js') return TINYBENCH;
  const pageModule = PAGE_MODULES.find((m) => urlPath === `/src/${m}`);
  if (pageModule !== undefined) return path.join(COMPILED_SRC, pageModule);
  const ortName = urlPath.startsWith('/ort/') ? urlPath.slice('/ort/'.length) : null;
  if (ortName !== null && ORT_FILE.test(ortName) && fs.existsSync(path.join(ortDist, ortName))) return path.join(ortDist, ortName);
  return models.get(urlPath) ?? null;
}

export async function startPageServer(device: BrowserDevice): Promise<PageServer> {
  // Found here, not when this module loads: onnxruntime-web is an optional peer dependency, and albench must load without it.
  const ortDist = path.dirname(resolveOptionalPeer(ONNXRUNTIME_WEB, 'browser-bench'));
  const models = new Map<string, string>();
  const html = pageHtml(device);
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, HEADERS).end();
    } else if (urlPath === '/') {
      res.writeHead(200, { ...HEADERS, 'Content-Type': CONTENT_TYPES['.html'] }).end(html);
    } else {
      const file = fileFor(urlPath, models, ortDist);
      if (file === null) res.writeHead(404, HEADERS).end();
      else sendFile(res, file);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    addModel(modelFile) {
      const id = `/models/${models.size}/`;
      const name = path.basename(modelFile);
      models.set(`${id}${name}`, modelFile);
      const data = `${modelFile}_data`;
      if (!fs.existsSync(data)) return { modelUrl: `${id}${name}`, externalData: null };
      models.set(`${id}${name}_data`, data);
      return { modelUrl: `${id}${name}`, externalData: { path: `${name}_data`, url: `${id}${name}_data` } };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
