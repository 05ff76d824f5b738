import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ReportError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, VARIANT_NAMES, type Report } from './types.js';

/**
 * The JSON Schema (draft 2020-12) of Report v1, kept by hand beside the TypeScript types in
 * types.ts; the sample-report test holds the two together. Objects are closed
 * (additionalProperties: false) so a misspelt field is an error rather than a silently missing figure.
 * docs/report-schema.md explains every field and the versioning policy.
 */
const count = { type: 'integer', minimum: 0 } as const;
const positiveCount = { type: 'integer', minimum: 1 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const fraction = { type: 'number', minimum: -1, maximum: 1 } as const;
const text = { type: 'string', minLength: 1 } as const;

const closed = (properties: Record<string, unknown>, optional: readonly string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const paramCounts = closed({ unique: count, executed: count });

export const REPORT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'albench-report-v1',
  title: 'albench report, schema version 1',
  ...closed({
    schemaVersion: { const: REPORT_SCHEMA_VERSION },
    albenchVersion: text,
    createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
    env: { $ref: '#/$defs/env' },
    settings: { $ref: '#/$defs/settings' },
    models: { type: 'array', items: { $ref: '#/$defs/model' } },
    variants: { type: 'array', items: { $ref: '#/$defs/variant' } },
    recommendation: { $ref: '#/$defs/recommendation' },
    claims: { type: 'array', items: { $ref: '#/$defs/claim' } },
  }),
  $defs: {
    env: closed({
      cpuModel: text,
      cpuFlags: { type: 'array', items: text },
      logicalCores: positiveCount,
      memoryBytes: count,
      os: text,
      node: text,
      onnxruntime: text,
      device: { enum: ['cpu', 'cuda'] },
      executionProvider: text,
      threads: positiveCount,
    }),
    settings: closed({
      task: text,
      subset: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [
          closed({ kind: { const: 'all' } }),
          closed({ kind: { const: 'limit' }, limit: positiveCount }),
          closed({ kind: { const: 'sample' }, size: positiveCount, seed: count }),
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
    }),
    model: closed({
      id: text,
      source: text,
      modelType: { enum: ['bert', 'albert'] },
      hiddenSize: positiveCount,
      embeddingSize: positiveCount,
      layers: positiveCount,
      groups: positiveCount,
      params: paramCounts,
    }),
    metric: closed({
      key: text,
      value: fraction,
      examples: count,
      ci95Low: fraction,
      ci95High: fraction,
      agreementWithFp32: { type: 'number', minimum: 0, maximum: 1 },
    }, ['agreementWithFp32']),
    latencyPoint: closed({
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
    }),
    variant: {
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
          memory: closed({ peakRssAfterLoadBytes: count, peakRssAfterRunsBytes: count }),
          autoQuant: { $ref: '#/$defs/autoQuant' },
        }, ['autoQuant']),
        closed({
          id: text,
          model: text,
          variant: { enum: VARIANT_NAMES },
          state: { const: 'failed' },
          error: closed({ code: text, message: text }),
        }),
      ],
    },
    autoQuant: closed({
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
    }),
    recommendation: closed({
      kind: { enum: ['best-fit', 'pareto', 'no-fit'] },
      variantIds: { type: 'array', items: text },
      reason: text,
    }),
    claim: closed({
      id: { enum: ['fewer-params', 'smaller-files', 'less-compute', 'faster-inference'] },
      claim: text,
      verdict: { enum: ['supported', 'not supported', 'not measured'] },
      evidence: text,
    }),
  },
} as const;

const SCHEMA_DOC = 'see docs/report-schema.md';

let compiled: ReturnType<Ajv2020['compile']> | undefined;
function schemaValidator(): ReturnType<Ajv2020['compile']> {
  compiled ??= new Ajv2020({ discriminator: true, allErrors: false }).compile(REPORT_JSON_SCHEMA);
  return compiled;
}

/** Checks `json` against Report v1 and returns it typed; `file` only names the source in errors. */
export function validateReport(json: unknown, file: string): Report {
  const version = isObject(json) ? json.schemaVersion : undefined;
  if (isObject(json) && version !== REPORT_SCHEMA_VERSION && (typeof version === 'number' || typeof version === 'string')) {
    throw new ReportError(file, `schemaVersion ${JSON.stringify(version)} is not supported; this albench reads version ${REPORT_SCHEMA_VERSION}`
      + ` (regenerate the report with this albench, ${SCHEMA_DOC})`);
  }
  const validate = schemaValidator();
  if (!validate(json)) {
    const first = validate.errors?.[0];
    throw new ReportError(file, `${first ? describeSchemaError(first) : 'is not a valid report'} (${SCHEMA_DOC})`);
  }
  const report = json as Report;
  const problem = crossReferenceProblem(report);
  if (problem !== null) throw new ReportError(file, `${problem} (${SCHEMA_DOC})`);
  return report;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeSchemaError(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(top level)' : e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}: missing property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${at}: unknown property "${String(p.additionalProperty)}"`;
    case 'enum':
      return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    case 'discriminator':
      return `${at}/${String(p.tag)} is missing or not one of the known kinds`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/** What JSON Schema cannot say: ids are unique and completed variants point at models in the same report. */
function crossReferenceProblem(report: Report): string | null {
  const modelIds = new Set<string>();
  for (const [i, m] of report.models.entries()) {
    if (modelIds.has(m.id)) return `/models/${i}/id "${m.id}" appears twice`;
    modelIds.add(m.id);
  }
  const variantIds = new Set<string>();
  for (const [i, v] of report.variants.entries()) {
    if (v.id !== `${v.model}/${v.variant}`) return `/variants/${i}/id must be "${v.model}/${v.variant}" (model/variant), not "${v.id}"`;
    if (variantIds.has(v.id)) return `/variants/${i}/id "${v.id}" appears twice`;
    variantIds.add(v.id);
    // A model that could not even be read has no facts to list; only its failed variants name it.
    if (!modelIds.has(v.model) && v.state === 'completed') return `/variants/${i}/model "${v.model}" is not in /models`;
  }
  for (const [i, id] of report.recommendation.variantIds.entries()) {
    if (!variantIds.has(id)) return `/recommendation/variantIds/${i} "${id}" is not in /variants`;
  }
  return null;
}
