import { after, before } from 'node:test';
import { tempDir } from '../helpers/paths.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { shardMergeTests } from '../helpers/shard-merge-suite.js';

// The 3-shard test of #17 against one local S3-compatible server: the shards share the cache through S3.
let server: S3TestServer | undefined;
const saved = { ...process.env };
before(async () => {
  server = await startS3Server();
  Object.assign(process.env, server.env, { ALBENCH_S3_MIRROR: tempDir('albench-shard-mirror-') });
});
after(async () => {
  for (const name of [...Object.keys(server?.env ?? {}), 'ALBENCH_S3_MIRROR']) delete process.env[name];
  Object.assign(process.env, saved);
  await server?.stop();
});

shardMergeTests(() => `s3://${server?.bucket ?? 'not-started'}/shards`, 'one local S3 server');
