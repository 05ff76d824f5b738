import { Ajv2020 } from 'ajv/dist/2020.js';
import { closed, count, dateTime, finite, nonNegative, positiveCount, sha256, text } from '../report/model/json-schema-defs.js';
import { DEVICE_NAMES } from '../report/model/types.js';
import { DEPLOYMENT_SCHEMA_VERSION } from './manifest-types.js';
import { DEPLOY_TARGETS } from '../report/verdicts/targets.js';

/** The JSON Schema (draft 2020-12) of deployment.json, beside its types in manifest-types.ts; docs/deploy.md explains each field. */
const latency = closed({ p50Ms: nonNegative, p99Ms: nonNegative });
const point = closed({ batchSize: positiveCount, sequenceLength: positiveCount, p50Ms: nonNegative, p99Ms: nonNegative });
const nullable = (schema: object) => ({ anyOf: [{ type: 'null' }, schema] });
const interval = closed({ method: { enum: ['wald-paired-proportions', 'paired-bootstrap'] }, low: finite, high: finite });
const fraction = { type: 'number', minimum: -1, maximum: 1 };
const pairedTest = {
  type: 'object',
  required: ['test', 'difference', 'examples', 'predictionsDiffering', 'significant'],
  properties: {
    test: { enum: ['mcnemar', 'paired-bootstrap'] }, difference: fraction, examples: count, predictionsDiffering: count, significant: { type: 'boolean' },
  },
};

export const DEPLOYMENT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `albench-deployment-v${DEPLOYMENT_SCHEMA_VERSION}`,
  title: `albench deployment.json, schema version ${DEPLOYMENT_SCHEMA_VERSION}`,
  ...closed({
    deploymentSchemaVersion: { const: DEPLOYMENT_SCHEMA_VERSION },
    albenchVersion: text,
    createdAt: dateTime,
    target: { enum: DEPLOY_TARGETS },
    device: { enum: DEVICE_NAMES },
    variant: closed({ id: text, model: text, variant: text, file: text, fileSha256: sha256, sizeBytes: count }),
    runtime: closed({ name: { enum: ['onnxruntime-node', 'transformers.js'] }, measuredWith: text }),
    session: closed({
      executionProvider: { enum: ['cpu', 'cuda', 'wasm', 'webgpu'] },
      intraOpThreads: positiveCount,
      interOpThreads: positiveCount,
      graphOptimizationLevel: { enum: ['basic', 'all'] },
      executionMode: { enum: ['sequential', 'parallel'] },
      settingsFrom: { enum: ['tuned', 'timed'] },
      transformersJs: closed({ dtype: text, model_file_name: text }, ['model_file_name']),
    }, ['transformersJs']),
    expected: closed({
      coldStartMs: nullable(nonNegative),
      realInputs: nullable(latency),
      gridFirstPoint: point,
      tuned: nullable(point),
      underLoad: nullable(closed({
        workers: positiveCount, threadsPerWorker: positiveCount, throughputRequestsPerSecond: nullable(nonNegative), p99BoundMs: nonNegative,
        atThroughput: nullable(latency),
      })),
    }),
    accuracy: closed({
      metric: text, value: finite, examples: count, ci95Low: finite, ci95High: finite,
      vsFp32: nullable(closed({ test: pairedTest, interval })),
    }),
    constraints: closed({ maxSizeMb: nonNegative, maxDropPoints: nonNegative, p99BoundMs: nonNegative }, ['maxSizeMb', 'maxDropPoints', 'p99BoundMs']),
    reason: text,
    report: closed({ path: text, sha256 }),
  }),
} as const;

let compiled: ReturnType<Ajv2020['compile']> | undefined;

/** The schema's first complaint about `json` ("/expected/coldStartMs must be >= 0"), or null when it is a valid deployment.json. */
export function deploymentProblem(json: unknown): string | null {
  compiled ??= new Ajv2020({ allErrors: false }).compile(DEPLOYMENT_JSON_SCHEMA);
  if (compiled(json)) return null;
  const e = compiled.errors?.[0];
  return e === undefined ? 'is not a valid deployment.json' : `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`;
}
