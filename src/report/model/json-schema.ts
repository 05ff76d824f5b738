import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ReportError } from '../../errors.js';
import {
  claimDef, closed, dateTime, envDef, latencyPointDef, metricDef, modelDef, recommendation, rowValues, settings, text, v2, variantDef,
} from './json-schema-defs.js';
import { deploymentRunDef, variantDeploymentDef } from './deployment-schema.js';
import { matrixDef, shardDef } from './matrix-schema.js';
import { READABLE_SCHEMA_VERSIONS, REPORT_SCHEMA_VERSION, type Report, type SchemaVersion } from './types.js';

/**
 * The JSON Schemas (draft 2020-12) of Report v2 and of v1 (still read, by regress), kept by hand
 * beside the TypeScript types in types.ts; the sample-report test holds the two together. Objects
 * are closed (additionalProperties: false) so a misspelt field is an error rather than a silently
 * missing figure. docs/report-schema.md explains every field and the versioning policy.
 */
/** The schema of one readable version: 2 (what compare writes) or 1 (older reports regress still reads). */
export function reportJsonSchema(version: SchemaVersion) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `albench-report-v${version}`,
    title: `albench report, schema version ${version}`,
    ...closed({
      schemaVersion: { const: version },
      albenchVersion: text,
      createdAt: dateTime,
      env: { $ref: '#/$defs/env' },
      settings: { $ref: '#/$defs/settings' },
      models: { type: 'array', items: { $ref: '#/$defs/model' } },
      variants: { type: 'array', items: { $ref: '#/$defs/variant' } },
      ...v2(version, { gold: rowValues }),
      recommendation: { $ref: '#/$defs/recommendation' },
      claims: { type: 'array', items: { $ref: '#/$defs/claim' } },
      ...v2(version, { shard: shardDef, matrix: matrixDef, deployment: deploymentRunDef }),
    }, ['gold', 'shard', 'matrix', 'deployment']),
    $defs: {
      env: envDef(version), settings, latencyPoint: latencyPointDef(version), recommendation,
      model: modelDef(version), metric: metricDef(version), variant: variantDef(version), claim: claimDef(version),
      ...v2(version, { variantDeployment: variantDeploymentDef }),
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
