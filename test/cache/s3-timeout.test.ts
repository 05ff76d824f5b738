import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { IoError, UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/paths.js';
import { S3_TEST_CREDENTIALS } from '../helpers/s3-server.js';

/**
 * An S3 endpoint that accepts connections and then goes quiet: it answers nothing at all, or it answers
 * the bucket check and "no such object" but never answers an upload (reading its body, as a server
 * stuck on a write would). Without a timeout each such request waits until the server gives up.
 */
class QuietServer {
  readonly requests: string[] = [];
  private readonly server = http.createServer((req, res) => {
    this.requests.push(`${req.method} ${req.url?.split('?')[0]}`);
    req.resume();
    if (this.answersUntilUpload && req.method === 'HEAD') {
      res.writeHead(/^\/albench-test\/?$/.test(req.url?.split('?')[0] ?? '') ? 200 : 404).end();
    } else if (this.answersUntilUpload && req.method === 'GET') {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
    }
  });

  constructor(private readonly answersUntilUpload: boolean) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** The S3 cache's errors within a bounded time, with a 0.5 s limit on silence: seconds, not the minutes a server takes to give up. */
const TIMEOUT_MS = '500';
const BOUND_MS = 20_000;
/** Where a request that hangs for good (no limit) fails the test instead of stalling the suite. */
const HANG = { timeout: 60_000 };

describe('the S3 cache against a server that stops answering', () => {
  const saved = { ...process.env };
  const servers: QuietServer[] = [];
  const use = async (answersUntilUpload: boolean): Promise<string> => {
    const server = new QuietServer(answersUntilUpload);
    servers.push(server);
    const endpoint = await server.start();
    Object.assign(process.env, S3_TEST_CREDENTIALS, {
      ALBENCH_S3_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', ALBENCH_S3_TIMEOUT_MS: TIMEOUT_MS, ALBENCH_S3_MIRROR: tempDir('albench-mirror-'),
    });
    return endpoint;
  };
  before(() => {
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_PROFILE']) delete process.env[name];
  });
  after(() => {
    for (const server of servers) server.stop();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('opening the cache fails with an error naming the endpoint, the limit and the variable that raises it', HANG, async () => {
    const endpoint = await use(false);
    const started = Date.now();
    const error = await StepCache.open('s3://albench-test/p').then(() => assert.fail('opened'), (e: unknown) => e);
    assert.ok(Date.now() - started < BOUND_MS, `took ${Date.now() - started} ms`);
    assert.ok(error instanceof IoError, String(error));
    assert.equal(error.message, `s3://albench-test/p: ${endpoint} did not answer within 0.5 s while opening the cache; `
      + 'check ALBENCH_S3_ENDPOINT (or AWS_ENDPOINT_URL) and the network, or allow more time with ALBENCH_S3_TIMEOUT_MS');
  });

  it('an upload never answered is tried again, then fails naming the object, and leaves no entry in the mirror', HANG, async (t) => {
    const endpoint = await use(true);
    const printed = t.mock.method(console, 'warn');
    const cache = await StepCache.open('s3://albench-test/p');
    const started = Date.now();
    const error = await cache.store('bench', { k: 1 }, (dir) => {
      fs.writeFileSync(path.join(dir, 'data.bin'), 'x');
      return 1;
    })
      .then(() => assert.fail('stored'), (e: unknown) => e);
    assert.ok(Date.now() - started < BOUND_MS, `took ${Date.now() - started} ms`);
    assert.ok(error instanceof IoError, String(error));
    const key = /while writing (p\/bench\/[0-9a-f]{64}\/[0-9a-f]{64}\/data\.bin);/.exec(error.message)?.[1];
    assert.ok(key !== undefined, error.message);
    assert.match(error.message, new RegExp(`^s3://albench-test/p: ${endpoint} did not answer within 0\\.5 s while writing `));
    const puts = servers.at(-1)?.requests.filter((r) => r === `PUT /albench-test/${key}`);
    assert.equal(puts?.length, 3, 'PUT_ATTEMPTS tries of the upload');
    assert.deepEqual(printed.mock.calls.map((c) => c.arguments), [], 'the error is the one line; the SDK prints nothing beside it');
    assert.deepEqual(fs.readdirSync(path.join(process.env['ALBENCH_S3_MIRROR'] ?? '', 'albench-test', 'p', 'bench')), [],
      'an entry not in S3 is not in the mirror either, so the next run stores it again');
  });

  it('a limit that is not a whole number of milliseconds is refused as usage, naming the variable', async () => {
    await use(true);
    for (const bad of ['0', '-5', '1.5', '30s']) {
      process.env['ALBENCH_S3_TIMEOUT_MS'] = bad;
      await assert.rejects(StepCache.open('s3://albench-test/p'), (e: unknown) => e instanceof UsageError
        && e.message === `ALBENCH_S3_TIMEOUT_MS=${bad}: give a whole number of milliseconds above 0 (default 30000)`);
    }
  });
});
