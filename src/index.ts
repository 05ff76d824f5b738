/**
 * albench as a library: what `import ... from 'albench'` gives. Each function is the one the CLI
 * command of the same name calls, so options and results match the command's JSON.
 */
export { convert, SUPPORTED_OPSETS, type ConvertOptions, type ConvertRecord, type ConvertSource } from './convert/convert.js';
export { HEADS, type HeadName } from './arch/types.js';
export { KNOWN_CONFIG_NAMES } from './arch/known.js';

export { quantizeCalibrated, quantizeFile, type CalibratedQuantizeOptions, type QuantizeFileOptions, type QuantizeRecord } from './quantize/quantize.js';
export { DEFAULT_OPTIONS as DEFAULT_QUANTIZE_OPTIONS, type QuantizeOptions } from './quantize/options.js';
export { CALIBRATION_DEFAULTS, type CalibrationSettings } from './quantize/calibrate/calibrate.js';

export { optimizeFile, type OptimizeFileOptions, type OptimizeRecord } from './optimize/optimize.js';

export { evaluate, type EvalOptions, type EvalResult } from './eval/evaluate.js';
export type { SubsetRequest } from './glue/subset.js';

export { bench, BENCH_DEFAULTS, type BenchOptions, type ModelSource } from './bench/bench.js';
export { DEVICES, type BenchReport, type Device, type StopRule } from './bench/schema.js';

export { compare, COMPARE_DEFAULTS, type CompareOptions, type CompareResult } from './compare/compare.js';
export { defaultCacheDir } from './cache/cache.js';
export { parseShard, shardPairs, type ShardSpec } from './compare/shard.js';
export { runSuite, type SuiteOptions, type SuiteResult } from './compare/suite/run-suite.js';
export { parseSuiteText, readSuiteFile } from './compare/suite/parse-suite.js';
export type { SuiteSpec } from './compare/suite/suite-spec.js';

export { browserBench, type BrowserBenchOptions } from './browser/browser-bench.js';
export { BROWSER_DEVICES, type BrowserDevice } from './browser/protocol.js';
export type { BrowserBenchReport } from './browser/schema.js';

export { DEFAULT_THRESHOLDS, hasRegression, regress, regressExitCode, type RegressResult, type RegressThresholds } from './report/verdicts/regress.js';
export { readReport } from './report/read-report.js';
export { mergeReports, type MergeInput } from './report/merge/merge.js';
export type { HardwareMatrix, ShardInfo } from './report/model/matrix-types.js';
export { validateReport } from './report/model/json-schema.js';
export { VARIANT_NAMES, type Report, type VariantName, type VariantResult } from './report/model/types.js';

export { deploy, type DeployOptions } from './deploy/deploy.js';
export { DEPLOYMENT_JSON_SCHEMA, deploymentProblem } from './deploy/manifest-schema.js';
export { DEPLOYMENT_SCHEMA_VERSION, type DeploymentManifest } from './deploy/manifest-types.js';
export { DEPLOY_TARGETS, type DeployTarget } from './report/verdicts/targets.js';
export type { DeployConstraints } from './report/verdicts/target-choice.js';

export { inspect, type InspectReport } from './inspect/inspect.js';
export { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from './paths.js';
export type { Progress } from './util/progress.js';
export { AlbenchError } from './errors.js';
export { ALBENCH_VERSION } from './version.js';
