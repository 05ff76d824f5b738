/**
 * Every failure a user can cause is one of these classes. The CLI prints `message` (one line,
 * naming the file and what to do) and exits with `exitCode`; stack traces only with --debug.
 */
import { redactUrlCredentials } from './redact.js';

type ErrorCode =
  | 'BAD_CHECKPOINT'
  | 'BAD_CONFIG'
  | 'BAD_DATA'
  | 'BAD_ONNX'
  | 'BAD_REPORT'
  | 'UNSUPPORTED'
  | 'VALIDATION_FAILED'
  | 'USAGE'
  | 'IO'
  | 'DEPLOY'
  | 'HUB';

/**
 * Messages never carry credentials written into a URL (HF_ENDPOINT=http://user:pass@host): they
 * are printed and recorded in reports.
 * `cause` keeps the error a typed one wraps when albench did not foresee it (a TypeError in a reader,
 * an I/O error), so --debug and the fuzzers can tell a refusal from a bug; a refusal has none.
 */
export class AlbenchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(redactUrlCredentials(message), cause === undefined ? undefined : { cause });
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
  constructor(file: string, problem: string, cause?: unknown) {
    super('BAD_CHECKPOINT', `${file}: ${problem}`, cause);
    this.file = file;
  }
}

/** config.json that is missing, malformed or describes a model albench cannot build. */
export class ConfigError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string, cause?: unknown) {
    super('BAD_CONFIG', `${file}: ${problem}`, cause);
    this.file = file;
  }
}

/** An evaluation data file (a GLUE TSV) that is missing or does not have its task's layout. */
export class DataError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string, cause?: unknown) {
    super('BAD_DATA', `${file}: ${problem}`, cause);
    this.file = file;
  }
}

/**
 * A report file (report.json, or a JUnit / step-summary output) that cannot be read, is not a
 * valid report, or cannot be written.
 */
export class ReportError extends AlbenchError {
  readonly file: string;
  constructor(file: string, problem: string, cause?: unknown) {
    super('BAD_REPORT', `${file}: ${problem}`, cause);
    this.file = file;
  }
  /** `albench regress` exits 1 for "a threshold was crossed", so unusable input must not look like a regression. */
  override get exitCode(): 1 | 2 {
    return 2;
  }
}

export class OnnxError extends AlbenchError {
  constructor(file: string, problem: string, cause?: unknown) {
    super('BAD_ONNX', `${file}: ${problem}`, cause);
  }
}

export class UnsupportedError extends AlbenchError {
  constructor(message: string, cause?: unknown) {
    super('UNSUPPORTED', message, cause);
  }
}

export class ValidationError extends AlbenchError {
  constructor(message: string, cause?: unknown) {
    super('VALIDATION_FAILED', message, cause);
  }
}

export class UsageError extends AlbenchError {
  constructor(message: string, cause?: unknown) {
    super('USAGE', message, cause);
  }
}

export class IoError extends AlbenchError {
  constructor(message: string, cause?: unknown) {
    super('IO', message, cause);
  }
}

/**
 * `albench deploy` cannot choose or package a variant: the report lacks the target's timings, no
 * variant meets the constraints, or the variant's file is missing or changed in the cache.
 */
export class DeployError extends AlbenchError {
  constructor(message: string, cause?: unknown) {
    super('DEPLOY', message, cause);
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
  constructor(model: string, problem: HubProblem, detail: string, cause?: unknown) {
    super('HUB', `${model}: ${detail}`, cause);
    this.model = model;
    this.problem = problem;
    this.detail = redactUrlCredentials(detail);
  }
}
