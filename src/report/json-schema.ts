import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ReportError } from '../errors.js';
import { READABLE_SCHEMA_VERSIONS, REPORT_SCHEMA_VERSION, VARIANT_NAMES, type Report, type SchemaVersion } from './types.js';

/**
 * The JSON Schemas (draft 2020-12) of Report v2 and of v1 (still read, by regress), kept by hand
 * beside the TypeScript types in types.ts; the sample-report test holds the two together. Objects
 * are closed (additionalProperties: false) so a misspelt field is an error rather than a silently
 * missing figure. docs/report-schema.md explains every field and the versioning policy.
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
const finite = { type: 'number' } as const;

/** Fields only version 2 has; `v2(version, fields)` leaves them out of version 1's schema. */
const v2 = <T extends Record<string, unknown>>(version: SchemaVersion, fields: T): T | Record<string, never> => (version >= 2 ? fields : {});

const rowValues = closed({
  rows: { type: 'array', items: count },
  labels: { type: 'array', items: { type: 'integer' } },
  scores: { type: 'array', items: finite },
}, ['labels', 'scores']);

const differenceBase = { difference: fraction, examples: count, predictionsDiffering: count, significant: { type: 'boolean' } };
const pairedDifference = {
  type: 'object',
  required: ['test'],
  discriminator: { propertyName: 'test' },
  oneOf: [
    closed({
      test: { const: 'mcnemar' }, ...differenceBase, onlyThisCorrect: count, onlyOtherCorrect: count, pValue: { type: 'number', minimum: 0, maximum: 1 },
    }),
    closed({ test: { const: 'paired-bootstrap' }, ...differenceBase, ci95Low: finite, ci95High: finite, resamples: count, seed: count }),
  ],
};

const CLAIM_VERDICTS = ['supported', 'not supported', 'not measured'];

const env = closed({
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
});

const settings = closed({
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
  constraints: closed({ maxSizeBytes: nonNegative, maxLatencyMs: nonNegative, minAccuracy: fraction }, ['maxSizeBytes', 'maxLatencyMs', 'minAccuracy']),
});

/** Version 2 says how each latency was measured: its rounds, their spread, when, under what load, whether reused. */
const latencyPointDef = (version: SchemaVersion) => closed({
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
    measuredAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
    loadAverage1m: nonNegative,
    reused: { type: 'boolean' },
  }),
});

const recommendation = closed({
  kind: { enum: ['best-fit', 'pareto', 'no-fit'] },
  variantIds: { type: 'array', items: text },
  reason: text,
});

const modelDef = (version: SchemaVersion) => closed({
  id: text,
  source: text,
  ...v2(version, { sourceDigest: { type: 'string', pattern: '^[0-9a-f]{64}$' } }),
  modelType: { enum: ['bert', 'albert'] },
  hiddenSize: positiveCount,
  embeddingSize: positiveCount,
  layers: positiveCount,
  groups: positiveCount,
  params: paramCounts,
}, ['sourceDigest']);

const metricDef = (version: SchemaVersion) => closed({
  key: text,
  value: fraction,
  examples: count,
  ci95Low: fraction,
  ci95High: fraction,
  agreementWithFp32: { type: 'number', minimum: 0, maximum: 1 },
  ...v2(version, { differenceVsFp32: pairedDifference }),
}, ['agreementWithFp32', 'differenceVsFp32']);

const variantDef = (version: SchemaVersion) => ({
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
      ...v2(version, { predictions: rowValues }),
      recipe: { type: 'array', items: text },
    }, ['recipe']),
    closed({ id: text, model: text, variant: { enum: VARIANT_NAMES }, state: { const: 'failed' }, error: closed({ code: text, message: text }) }),
  ],
});

const CLAIM_IDS = ['fewer-params', 'smaller-files', 'less-compute', 'faster-inference'];

const claimDef = (version: SchemaVersion) => closed({
  id: { enum: version >= 2 ? [...CLAIM_IDS, 'as-accurate'] : CLAIM_IDS },
  claim: text,
  verdict: { enum: version >= 2 ? [...CLAIM_VERDICTS, 'indistinguishable'] : CLAIM_VERDICTS },
  evidence: text,
});

/** The schema of one readable version: 2 (what compare writes) or 1 (older reports regress still reads). */
export function reportJsonSchema(version: SchemaVersion) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `albench-report-v${version}`,
    title: `albench report, schema version ${version}`,
    ...closed({
      schemaVersion: { const: version },
      albenchVersion: text,
      createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
      env: { $ref: '#/$defs/env' },
      settings: { $ref: '#/$defs/settings' },
      models: { type: 'array', items: { $ref: '#/$defs/model' } },
      variants: { type: 'array', items: { $ref: '#/$defs/variant' } },
      ...v2(version, { gold: rowValues }),
      recommendation: { $ref: '#/$defs/recommendation' },
      claims: { type: 'array', items: { $ref: '#/$defs/claim' } },
    }, ['gold']),
    $defs: {
      env, settings, latencyPoint: latencyPointDef(version), recommendation,
      model: modelDef(version), metric: metricDef(version), variant: variantDef(version), claim: claimDef(version),
    },
  } as const;
}

/** The schema of the version compare writes. */
export const REPORT_JSON_SCHEMA = reportJsonSchema(REPORT_SCHEMA_VERSION);

const SCHEMA_DOC = 'see docs/report-schema.md';

const compiled = new Map<SchemaVersion, ReturnType<Ajv2020['compile']>>();
function schemaValidator(version: SchemaVersion): ReturnType<Ajv2020['compile']> {
  let validate = compiled.get(version);
  if (validate === undefined) {
    validate = new Ajv2020({ discriminator: true, allErrors: false }).compile(reportJsonSchema(version));
    compiled.set(version, validate);
  }
  return validate;
}

const isReadable = (v: unknown): v is SchemaVersion => (READABLE_SCHEMA_VERSIONS as readonly unknown[]).includes(v);

/**
 * Checks `json` against the Report schema of its version (2, or 1 for older reports) and returns
 * it typed; `file` only names the source in errors.
 */
export function validateReport(json: unknown, file: string): Report {
  const version = isObject(json) ? json.schemaVersion : undefined;
  if (isObject(json) && !isReadable(version) && (typeof version === 'number' || typeof version === 'string')) {
    const readable = READABLE_SCHEMA_VERSIONS.join(' and ');
    throw new ReportError(file, `schemaVersion ${JSON.stringify(version)} is not supported; this albench reads versions ${readable}`
      + ` (regenerate the report with this albench, ${SCHEMA_DOC})`);
  }
  const validate = schemaValidator(isReadable(version) ? version : REPORT_SCHEMA_VERSION);
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
  return rowValuesProblem(report);
}

/** Row values line up with their rows; every predicted row has a gold value, so paired tests can be recomputed. */
function rowValuesProblem(report: Report): string | null {
  const lengthProblem = (at: string, v: { rows: readonly number[]; labels?: readonly number[]; scores?: readonly number[] }): string | null => {
    const values = v.labels ?? v.scores;
    if (values === undefined || (v.labels !== undefined && v.scores !== undefined)) return `${at} must have exactly one of labels and scores`;
    return values.length === v.rows.length ? null : `${at} has ${v.rows.length} rows but ${values.length} values`;
  };
  const goldRows = report.gold === undefined ? undefined : new Set(report.gold.rows);
  if (report.gold !== undefined) {
    const problem = lengthProblem('/gold', report.gold);
    if (problem !== null) return problem;
  }
  for (const [i, v] of report.variants.entries()) {
    if (v.state !== 'completed' || v.predictions === undefined) continue;
    const problem = lengthProblem(`/variants/${i}/predictions`, v.predictions);
    if (problem !== null) return problem;
    const missing = v.predictions.rows.find((r) => goldRows?.has(r) !== true);
    if (missing !== undefined) return `/variants/${i}/predictions row ${missing} has no gold value in /gold`;
  }
  return null;
}
