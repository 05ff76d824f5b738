import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tempDir } from './paths.js';

/** The part of s3rver (untyped, CommonJS) the tests use. */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;

/** s3rver's fixed credentials: it checks request signatures against them. */
export const S3_TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

export interface S3TestServer {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** A bucket that exists on the server. */
  readonly bucket: string;
  /** The environment a process needs to reach the bucket through albench's S3 cache (endpoint, credentials, region, time limit). */
  readonly env: Readonly<Record<string, string>>;
  /** The folder s3rver keeps the objects in (tests corrupt objects through it). */
  readonly directory: string;
  stop(): Promise<void>;
}

/**
 * A local S3-compatible server for tests: s3rver on 127.0.0.1 at a free port the OS picks, silent,
 * keeping its objects in a fresh temporary folder, with one bucket made. Shared by every test that
 * needs object storage (the S3 step cache, shards running at once against one cache).
 */
export async function startS3Server(bucket = 'albench-test'): Promise<S3TestServer> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = tempDir('albench-s3rver-');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  // A request s3rver leaves unanswered fails in seconds, not in the five minutes its HTTP server waits for a body.
  const env = { ...S3_TEST_CREDENTIALS, ALBENCH_S3_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', ALBENCH_S3_TIMEOUT_MS: '5000' };
  return {
    endpoint, bucket, env, directory,
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
