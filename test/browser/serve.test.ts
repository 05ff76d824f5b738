import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPageServer, type PageServer } from '../../src/browser/serve.js';
import { FIXTURES } from '../helpers/paths.js';

const MODEL = path.join(FIXTURES, 'torch-onnx', 'bert-tiny-cls.onnx');

describe('the page server browser-bench starts', () => {
  let server: PageServer;
  before(async () => {
    server = await startPageServer('wasm');
  });
  after(() => server.close());

  it('listens on 127.0.0.1 only, and the page is cross-origin isolated', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await page.text(), /<script type="importmap">.*ort\.wasm\.min\.mjs/);
  });

  it('serves the page modules, onnxruntime-web, tinybench and the registered model, nothing else', async () => {
    const served = server.addModel(MODEL);
    assert.equal(served.externalData, null);
    for (const url of ['src/browser/page-script.js', 'src/bench/latency.js', 'ort/ort.wasm.min.mjs', 'tinybench.js', served.modelUrl.slice(1)]) {
      const res = await fetch(new URL(url, server.url));
      assert.equal(res.status, 200, url);
      await res.arrayBuffer();
    }
    const refused = ['src/bench/bench.js', 'ort/../package.json', 'ort/%2e%2e/package.json', 'models/0/other.onnx', 'package.json', 'etc/passwd'];
    for (const url of refused) {
      const res = await fetch(new URL(url, server.url));
      assert.equal(res.status, 404, url);
      await res.arrayBuffer();
    }
    assert.equal((await fetch(server.url, { method: 'POST', body: 'x' })).status, 405);
  });
});
