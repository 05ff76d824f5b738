import { closed, count, dateTime, nonNegative, positiveCount, text } from './json-schema-defs.js';
import { DEVICE_NAMES } from './environment.js';
import { tunedSessionDef, tuneRunDef } from './tuned-schema.js';

/**
 * The JSON Schema of deployment-types.ts (version 2, optional fields): the run's deployment settings
 * at the top level, a variant's figures under `#/$defs/variantDeployment` (variants and matrix cells).
 */
const device = { enum: DEVICE_NAMES };
const failed = (deviceDef: unknown) => closed({ device: deviceDef, state: { const: 'failed' }, error: text });
const measuredState = { const: 'measured' };
const occasion = { measuredAt: dateTime, loadAverage1m: nonNegative };
const discriminated = (...oneOf: unknown[]) => ({ type: 'object', required: ['state'], discriminator: { propertyName: 'state' }, oneOf });

export const deploymentRunDef = closed({
  realInputs: closed({
    sampleSize: positiveCount,
    seed: count,
    samples: {
      type: 'array',
      items: closed({
        model: text, rows: { type: 'array', items: count }, tokenCounts: { type: 'array', items: positiveCount }, scoredRows: count,
      }),
    },
  }),
  coldStart: closed({ runs: positiveCount, bandwidthMbitPerSecond: { type: 'number', exclusiveMinimum: 0 } }),
  load: closed({
    device: { const: 'cpu' }, p99BoundMs: { type: 'number', exclusiveMinimum: 0 }, stepMs: positiveCount,
    rateFactor: { type: 'number', exclusiveMinimum: 1 }, maxSteps: positiveCount, rounds: positiveCount, seed: count,
    inputs: { enum: ['real-inputs', 'grid-first-point'] },
  }),
  tune: tuneRunDef,
}, ['realInputs', 'coldStart', 'load', 'tune']);

const realInputCost = discriminated(
  closed({
    device, state: measuredState, meanMs: nonNegative, p50Ms: nonNegative, p99Ms: nonNegative, rmePercent: nonNegative,
    requests: positiveCount, requestsPerSecond: nonNegative, rounds: positiveCount, roundMeansMs: { type: 'array', minItems: 1, items: nonNegative },
    spreadMs: nonNegative, ...occasion,
  }),
  failed(device),
);

const coldStart = discriminated(
  closed({
    device, state: measuredState, totalMs: nonNegative,
    parts: {
      type: 'array',
      minItems: 1,
      items: closed({ part: { enum: ['spawn', 'runtime-import', 'open-page', 'read-file', 'create-session', 'first-run'] }, ms: nonNegative }),
    },
    runTotalsMs: { type: 'array', minItems: 1, items: nonNegative },
    readFrom: { enum: ['os-cache', 'local-server'] },
    peakRssAfterFirstRunBytes: { anyOf: [count, { type: 'null' }] },
    download: closed({ computed: { const: true }, bytes: count, bandwidthMbitPerSecond: { type: 'number', exclusiveMinimum: 0 }, ms: nonNegative }),
    ...occasion,
  }, ['download']),
  failed(device),
);

const loadStep = closed({
  rateRequestsPerSecond: { type: 'number', exclusiveMinimum: 0 }, requests: count, p50Ms: nonNegative, p99Ms: nonNegative, withinBound: { type: 'boolean' },
});

const loadPool = closed({
  workers: positiveCount,
  threadsPerWorker: positiveCount,
  throughputRequestsPerSecond: { anyOf: [nonNegative, { type: 'null' }] },
  roundThroughputs: { type: 'array', minItems: 1, items: { anyOf: [nonNegative, { type: 'null' }] } },
  boundCrossed: { type: 'boolean' },
  steps: { type: 'array', items: loadStep },
});

const load = discriminated(
  closed({ device: { const: 'cpu' }, state: measuredState, pools: { type: 'array', minItems: 1, items: loadPool }, ...occasion }),
  failed({ const: 'cpu' }),
);

export const variantDeploymentDef = closed({
  realInputs: { type: 'array', minItems: 1, items: realInputCost },
  coldStart: { type: 'array', minItems: 1, items: coldStart },
  load,
  tuned: { type: 'array', minItems: 1, items: tunedSessionDef },
}, ['realInputs', 'coldStart', 'load', 'tuned']);
