/**
 * Every failure a user can cause is one of these classes. The CLI prints `message` (one line,
 * naming the file and what to do) and exits with `exitCode`; stack traces only with --debug.
 */
export type ErrorCode =
  | 'BAD_CHECKPOINT'
  | 'BAD_CONFIG'
  | 'BAD_DATA'
  | 'BAD_ONNX'
  | 'BAD_REPORT'
  | 'UNSUPPORTED'
  | 'VALIDATION_FAILED'
  | 'USAGE'
  | 'IO'
  | 'HUB';

export class AlbenchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
  /** 2 for bad usage (wrong flags), 1 for everything the input or the run got wrong. */
  get exitCode(): 1 | 2 {
    return this.code === 'USAGE' ? 2 : 1;
  }
}

/** A checkpoint file (weights, index, archive) that cannot be read safely. */
export class CheckpointError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super('BAD_CHECKPOINT', `${file}: ${problem}`);
    this.file = file;
  }
}

/** config.json that is missing, malformed or describes a model albench cannot build. */
export class ConfigError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super('BAD_CONFIG', `${file}: ${problem}`);
    this.file = file;
  }
}

/** An evaluation data file (a GLUE TSV) that is missing or does not have its task's layout. */
export class DataError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super('BAD_DATA', `${file}: ${problem}`);
    this.file = file;
  }
}

/**
 * A report file (report.json, or a JUnit / step-summary output) that cannot be read, is not a
 * valid report, or cannot be written.
 */
export class ReportError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super('BAD_REPORT', `${file}: ${problem}`);
    this.file = file;
  }
  /** `albench regress` exits 1 for "a threshold was crossed", so unusable input must not look like a regression. */
  override get exitCode(): 1 | 2 {
    return 2;
  }
}

export class OnnxError extends AlbenchError {
  constructor(file: string, problem: string) {
    super('BAD_ONNX', `${file}: ${problem}`);
  }
}

export class UnsupportedError extends AlbenchError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

export class ValidationError extends AlbenchError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message);
  }
}

export class UsageError extends AlbenchError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class IoError extends AlbenchError {
  constructor(message: string) {
    super('IO', message);
  }
}

/** Why a Hugging Face Hub model could not be had; callers branch on it (fall back to the cache, retry). */
export type HubProblem =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unreachable'
  | 'server'
  | 'interrupted'
  | 'corrupt'
  | 'bad-response'
  | 'not-cached';

/** A hub model id that could not be downloaded or found in the local cache; `model` is the id as given. */
export class HubError extends AlbenchError {
  readonly model: string;
  readonly problem: HubProblem;
  /** The message without the model, for wrapping into another message about the same model. */
  readonly detail: string;
  constructor(model: string, problem: HubProblem, detail: string) {
    super('HUB', `${model}: ${detail}`);
    this.model = model;
    this.problem = problem;
    this.detail = detail;
  }
}
