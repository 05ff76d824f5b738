import { closed, count, dateTime, deviceLatency, envDef, positiveCount, recommendation, sha256, text } from './json-schema-defs.js';

/** The JSON Schema of matrix-types.ts (version 2 only): a partial report's shard, a merged report's matrix. */
const machine = { type: 'string', pattern: '^[0-9a-f]{16}$' } as const;
const window = { startedAt: dateTime, finishedAt: dateTime, machine };

export const shardDef = closed({ index: count, count: positiveCount, models: { type: 'array', items: text }, ...window });

export const matrixDef = closed({
  environments: { type: 'array', minItems: 1, items: envDef(2) },
  parts: {
    type: 'array',
    items: closed({
      env: count,
      shard: closed({ index: count, count: positiveCount }),
      window: closed(window),
      variantIds: { type: 'array', items: text },
    }, ['shard', 'window']),
  },
  cells: {
    type: 'array',
    items: closed({
      variantId: text,
      env: count,
      latency: { type: 'array', items: { $ref: '#/$defs/latencyPoint' } },
      memory: closed({ peakRssAfterLoadBytes: count, peakRssAfterRunsBytes: count, covers: text }, ['covers']),
      latencyByDevice: { type: 'array', minItems: 1, items: deviceLatency },
      deployment: { $ref: '#/$defs/variantDeployment' },
    }, ['latencyByDevice', 'deployment']),
  },
  recommendations: { type: 'array', items: closed({ env: count, recommendation }) },
  accuracy: {
    type: 'array',
    items: closed({
      variantId: text, fileSha256: sha256, envs: { type: 'array', items: count }, agrees: { type: 'boolean' }, detail: text,
    }, ['fileSha256']),
  },
  latencyNotComparable: { type: 'array', items: closed({ env: count, reason: text }) },
});
