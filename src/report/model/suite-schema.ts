import { Ajv2020 } from 'ajv/dist/2020.js';
import { ReportError } from '../../errors.js';
import { GLUE_TASKS } from '../../glue/tasks.js';
import { closed, count, dateTime, finite, metricDef, nonNegative, recommendation, settings, text } from './json-schema-defs.js';
import { validateReport } from './json-schema.js';
import { SUITE_SCHEMA_VERSION, type SuiteReport } from './suite-types.js';
import { VARIANT_NAMES } from './types.js';

/**
 * The JSON Schema (draft 2020-12) of the suite report, kept by hand beside suite-types.ts. Objects
 * are closed, as in json-schema.ts; each embedded task report is checked against the Report
 * schema of its own version by validateReport, not repeated here.
 */
const taskId = { enum: GLUE_TASKS.map((t) => t.id) } as const;
const metric = metricDef(2);
/** compare's settings less the task and subset, which each task of the suite sets (SuiteSettings). */
const { task: _task, subset, ...runSettings } = settings.properties;

const cell = closed({
  task: taskId,
  state: { enum: ['completed', 'failed'] },
  metrics: { type: 'array', items: metric },
  score: finite,
  sizeBytes: count,
  p50Ms: nonNegative,
  peakRssBytes: count,
  scoreDeltaVsFp32Points: finite,
  differenceVsFp32: metric.properties.differenceVsFp32,
  error: closed({ code: text, message: text }),
}, ['score', 'sizeBytes', 'p50Ms', 'peakRssBytes', 'scoreDeltaVsFp32Points', 'differenceVsFp32', 'error']);

const row = closed({
  id: text,
  family: text,
  variant: { enum: VARIANT_NAMES },
  cells: { type: 'array', items: cell },
  glueAverage: finite,
  paperStyleAverage: finite,
  meanSizeBytes: nonNegative,
  meanP50Ms: nonNegative,
  glueDeltaVsFp32Points: finite,
}, ['glueAverage', 'paperStyleAverage', 'meanSizeBytes', 'meanP50Ms', 'glueDeltaVsFp32Points']);

export const SUITE_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `albench-suite-report-v${SUITE_SCHEMA_VERSION}`,
  title: `albench GLUE suite report, suite schema version ${SUITE_SCHEMA_VERSION}`,
  ...closed({
    suiteSchemaVersion: { const: SUITE_SCHEMA_VERSION },
    albenchVersion: text,
    createdAt: dateTime,
    name: text,
    settings: closed(runSettings),
    tasks: { type: 'array', minItems: 1, items: closed({ task: taskId, name: text, subset, metrics: { type: 'array', items: text } }) },
    families: {
      type: 'array', minItems: 1,
      items: closed({
        id: text, modelType: { enum: ['bert', 'albert'] },
        checkpoints: { type: 'array', items: closed({ task: taskId, model: { type: 'string' } }) },
      }, ['modelType']),
    },
    averageRule: text,
    paperAverageRule: text,
    rows: { type: 'array', items: row },
    recommendation,
    claims: {
      type: 'array',
      items: closed({ id: text, claim: text, verdict: { enum: ['supported', 'not supported', 'indistinguishable', 'not measured'] }, evidence: text }),
    },
    taskReports: { type: 'array', items: closed({ family: text, task: taskId, report: { type: 'object' } }) },
    shard: closed({ index: count, count: { type: 'integer', minimum: 1 }, runs: { type: 'array', items: closed({ family: text, task: taskId }) } }),
  }, ['shard']),
} as const;

let compiled: ReturnType<Ajv2020['compile']> | undefined;

/** Checks `json` against the suite schema, and each embedded task report against its own; `file` names the source in errors. */
export function validateSuiteReport(json: unknown, file: string): SuiteReport {
  compiled ??= new Ajv2020({ discriminator: true, allErrors: false }).compile(SUITE_JSON_SCHEMA);
  if (!compiled(json)) {
    const e = compiled.errors?.[0];
    const at = e === undefined || e.instancePath === '' ? '(top level)' : e.instancePath;
    throw new ReportError(file, `${at} ${e?.message ?? 'is not a valid suite report'} (see docs/report-schema.md, "Suite reports")`);
  }
  const report = json as SuiteReport;
  report.taskReports.forEach((t, i) => validateReport(t.report, `${file} /taskReports/${i}/report`));
  return report;
}
