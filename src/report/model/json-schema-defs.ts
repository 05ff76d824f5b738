import { DEVICE_NAMES, VARIANT_NAMES, type SchemaVersion } from './types.js';

/** The pieces of the report's JSON Schema (json-schema.ts assembles them per version), one per object of types.ts. */
export const count = { type: 'integer', minimum: 0 } as const;
export const positiveCount = { type: 'integer', minimum: 1 } as const;
export const nonNegative = { type: 'number', minimum: 0 } as const;
/** An ISO 8601 date and time with its offset, as Date.prototype.toISOString writes it. */
export const dateTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' } as const;
export const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const fraction = { type: 'number', minimum: -1, maximum: 1 } as const;
export const text = { type: 'string', minLength: 1 } as const;

export const closed = (properties: Record<string, unknown>, optional: readonly string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const paramCounts = closed({ unique: count, executed: count });
export const finite = { type: 'number' } as const;

/** Fields only version 2 has; `v2(version, fields)` leaves them out of version 1's schema. */
export const v2 = <T extends Record<string, unknown>>(version: SchemaVersion, fields: T): T | Record<string, never> => (version >= 2 ? fields : {});

export const rowValues = closed({
  rows: { type: 'array', items: count },
  labels: { type: 'array', items: { type: 'integer' } },
  scores: { type: 'array', items: finite },
}, ['labels', 'scores']);

const probability = { type: 'number', minimum: 0, maximum: 1 } as const;
const differenceBase = { difference: fraction, examples: count, predictionsDiffering: count, significant: { type: 'boolean' } };
const pairedDifference = {
  type: 'object',
  required: ['test'],
  discriminator: { propertyName: 'test' },
  oneOf: [
    closed({ test: { const: 'mcnemar' }, ...differenceBase, onlyThisCorrect: count, onlyOtherCorrect: count, pValue: probability }),
    closed({
      test: { const: 'paired-bootstrap' }, ...differenceBase, metric: text, pValue: probability,
      ci95Low: finite, ci95High: finite, resamples: count, seed: count,
    }, ['metric', 'pValue']),
  ],
};

const CLAIM_VERDICTS = ['supported', 'not supported', 'not measured'];


/** The session settings beside the threads, as env.session holds them (tuned-schema.ts adds the intra-op threads for a full setting). */
export const sessionBesideThreads = {
  interOpThreads: positiveCount,
  graphOptimizationLevel: { enum: ['basic', 'all'] },
  executionMode: { enum: ['sequential', 'parallel'] },
};

export const envDef = (version: SchemaVersion) => closed({
  cpuModel: text,
  cpuFlags: { type: 'array', items: text },
  logicalCores: positiveCount,
  memoryBytes: count,
  os: text,
  node: text,
  onnxruntime: text,
  device: { enum: version >= 2 ? DEVICE_NAMES : ['cpu', 'cuda'] },
  executionProvider: text,
  threads: positiveCount,
  ...v2(version, {
    session: closed(sessionBesideThreads),
    devices: { type: 'array', minItems: 1, items: closed({ device: { enum: DEVICE_NAMES }, runtime: text, threads: positiveCount }) },
  }),
}, ['session', 'devices']);

const memoryFacts = closed({ peakRssAfterLoadBytes: count, peakRssAfterRunsBytes: count, covers: text }, ['covers']);

export const deviceLatency = {
  type: 'object',
  required: ['state'],
  discriminator: { propertyName: 'state' },
  oneOf: [
    closed({
      device: { enum: DEVICE_NAMES }, state: { const: 'timed' }, latency: { type: 'array', items: { $ref: '#/$defs/latencyPoint' } },
      memory: { anyOf: [memoryFacts, { type: 'null' }] },
    }),
    closed({ device: { enum: DEVICE_NAMES }, state: { const: 'unsupported' }, op: text, message: text }),
    closed({ device: { enum: DEVICE_NAMES }, state: { const: 'unavailable' }, reason: text }),
    closed({ device: { enum: DEVICE_NAMES }, state: { const: 'failed' }, error: text }),
  ],
};

const transformersJs = closed({
  state: { enum: ['agrees', 'disagrees', 'fails', 'not installed'] },
  dtype: text, file: text, agreement: count, examples: count, error: text, reused: { type: 'boolean' },
}, ['dtype', 'file', 'agreement', 'examples', 'error', 'reused']);

/** Dev rows no variant was scored on, int8-static's calibration data where the task has no train split. */
const calibrationSlice = closed({ size: positiveCount, seed: count });

export const settings = closed({
  task: text,
  subset: {
    type: 'object',
    required: ['kind'],
    discriminator: { propertyName: 'kind' },
    oneOf: [
      closed({ kind: { const: 'all' }, calibrationSlice }, ['calibrationSlice']),
      closed({ kind: { const: 'limit' }, limit: positiveCount, calibrationSlice }, ['calibrationSlice']),
      closed({ kind: { const: 'sample' }, size: positiveCount, seed: count, calibrationSlice }, ['calibrationSlice']),
    ],
  },
  batchSizes: { type: 'array', items: positiveCount },
  sequenceLengths: { type: 'array', items: positiveCount },
  variants: { type: 'array', items: { enum: VARIANT_NAMES } },
  warmupIterations: count,
  constraints: closed(
    { maxSizeBytes: nonNegative, maxLatencyMs: nonNegative, minAccuracy: fraction, maxDropPoints: nonNegative },
    ['maxSizeBytes', 'maxLatencyMs', 'minAccuracy', 'maxDropPoints'],
  ),
});

/** int8-auto's search: what it measured on the train sample and what it kept in float. */
const autoQuant = closed({
  recipe: text,
  metricKey: text,
  sample: closed({ split: { const: 'train' }, examples: positiveCount, seed: { type: 'integer' } }),
  budget: closed({ maxDropPoints: nonNegative, minMetric: fraction, targetMetric: { type: 'number' } }, ['maxDropPoints', 'minMetric']),
  fp32Metric: fraction,
  allQuantizedMetric: fraction,
  finalMetric: fraction,
  allQuantizedDivergence: nonNegative,
  finalDivergence: nonNegative,
  keptBytesAdded: count,
  candidates: count,
  searchSeconds: nonNegative,
  groups: {
    type: 'array',
    items: closed({
      label: text, role: text, layers: { type: 'array', items: count }, weight: text, bytesAdded: count,
      divergence: nonNegative, metric: fraction, keptInFloat: { type: 'boolean' },
    }),
  },
});

/** Version 2 says how each latency was measured: its rounds, their spread, when, under what load, whether reused. */
export const latencyPointDef = (version: SchemaVersion) => closed({
  batchSize: positiveCount,
  sequenceLength: positiveCount,
  p50Ms: nonNegative,
  p90Ms: nonNegative,
  p99Ms: nonNegative,
  meanMs: nonNegative,
  stdevMs: nonNegative,
  rmePercent: nonNegative,
  samples: positiveCount,
  flops: nonNegative,
  achievedGflopsPerSecond: nonNegative,
  ...v2(version, {
    rounds: positiveCount,
    roundP50sMs: { type: 'array', minItems: 1, items: nonNegative },
    spreadMs: nonNegative,
    measuredAt: dateTime,
    loadAverage1m: nonNegative,
    reused: { type: 'boolean' },
  }),
});

export const recommendation = closed({
  kind: { enum: ['best-fit', 'pareto', 'no-fit'] },
  variantIds: { type: 'array', items: text },
  reason: text,
});

export const modelDef = (version: SchemaVersion) => closed({
  id: text,
  source: text,
  ...v2(version, { sourceDigest: sha256 }),
  modelType: { enum: ['bert', 'albert'] },
  hiddenSize: positiveCount,
  embeddingSize: positiveCount,
  layers: positiveCount,
  groups: positiveCount,
  params: paramCounts,
}, ['sourceDigest']);

export const metricDef = (version: SchemaVersion) => closed({
  key: text,
  value: fraction,
  examples: count,
  ci95Low: fraction,
  ci95High: fraction,
  agreementWithFp32: { type: 'number', minimum: 0, maximum: 1 },
  ...v2(version, { differenceVsFp32: pairedDifference }),
}, ['agreementWithFp32', 'differenceVsFp32']);

export const variantDef = (version: SchemaVersion) => ({
  type: 'object',
  required: ['state'],
  discriminator: { propertyName: 'state' },
  oneOf: [
    closed({
      id: text,
      model: text,
      variant: { enum: VARIANT_NAMES },
      state: { const: 'completed' },
      file: text,
      sizeBytes: count,
      params: paramCounts,
      metrics: { type: 'array', items: { $ref: '#/$defs/metric' } },
      latency: { type: 'array', items: { $ref: '#/$defs/latencyPoint' } },
      memory: memoryFacts,
      ...v2(version, { predictions: rowValues, latencyByDevice: { type: 'array', minItems: 1, items: deviceLatency }, transformersJs }),
      recipe: { type: 'array', items: text },
      autoQuant,
      ...v2(version, { fileSha256: sha256, deployment: { $ref: '#/$defs/variantDeployment' } }),
    }, ['recipe', 'autoQuant', 'fileSha256', 'latencyByDevice', 'transformersJs', 'deployment']),
    closed({ id: text, model: text, variant: { enum: VARIANT_NAMES }, state: { const: 'failed' }, error: closed({ code: text, message: text }) }),
  ],
});

const CLAIM_IDS = ['fewer-params', 'smaller-files', 'less-compute', 'faster-inference'];

export const claimDef = (version: SchemaVersion) => closed({
  id: { enum: version >= 2 ? [...CLAIM_IDS, 'as-accurate'] : CLAIM_IDS },
  claim: text,
  verdict: { enum: version >= 2 ? [...CLAIM_VERDICTS, 'indistinguishable', 'not comparable'] : CLAIM_VERDICTS },
  evidence: text,
});

