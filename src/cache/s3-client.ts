import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { IoError, UsageError } from '../errors.js';
import { AWS_S3_CLIENT, resolveOptionalPeer } from '../util/optional-peer.js';
import { safeLine } from '../util/safe-text.js';
import { albenchCacheHome, S3_SCHEME } from './store.js';

/** Where an S3 cache lives: `s3://bucket/prefix` (the prefix may be empty). */
export interface S3Location {
  readonly bucket: string;
  /** Without leading or trailing `/`; '' for the bucket's top. */
  readonly prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/prefix`; a usage error names what is wrong with it. */
export function parseS3Location(location: string): S3Location {
  const rest = location.slice(S3_SCHEME.length);
  const [bucket = '', ...parts] = rest.split('/');
  if (!BUCKET.test(bucket)) {
    throw new UsageError(`--cache ${safeLine(location)}: "${safeLine(bucket)}" is not an S3 bucket name; write s3://<bucket>/<prefix>`);
  }
  const segments = parts.filter((p) => p !== '');
  // The prefix also names the local mirror's folders, so it may not climb out of them.
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\\'))) {
    throw new UsageError(`--cache ${safeLine(location)}: the prefix may not contain ".", ".." or "\\" segments`);
  }
  return { bucket, prefix: segments.join('/') };
}

export function describeLocation(at: S3Location): string {
  return `${S3_SCHEME}${at.bucket}${at.prefix === '' ? '' : `/${at.prefix}`}`;
}

/** The endpoint of an S3-compatible server (MinIO, Ceph, R2, a test server), when one is set instead of AWS. */
function customEndpoint(): string | undefined {
  const env = process.env;
  return env['ALBENCH_S3_ENDPOINT'] || env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'] || undefined;
}

/**
 * Where entries of an S3 cache are copied to be used: $ALBENCH_S3_MIRROR, else albench/s3/ under the
 * XDG cache folder, then the bucket and prefix, so two caches never share a mirror.
 */
export function mirrorRoot(at: S3Location): string {
  const base = process.env['ALBENCH_S3_MIRROR'] || path.join(albenchCacheHome(), 's3');
  return path.join(base, at.bucket, ...at.prefix.split('/').filter((p) => p !== ''));
}

/** How long an S3 request may wait on the network by default: long for a healthy server, short beside a stalled one's minutes. */
const DEFAULT_S3_TIMEOUT_MS = 30_000;

/**
 * $ALBENCH_S3_TIMEOUT_MS, else DEFAULT_S3_TIMEOUT_MS: how long connecting may take, and how long a
 * connection may go without a byte sent or received, before the request fails.
 */
function s3TimeoutMs(): number {
  const given = process.env['ALBENCH_S3_TIMEOUT_MS'];
  if (given === undefined || given === '') return DEFAULT_S3_TIMEOUT_MS;
  const ms = Number(given);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new UsageError(`ALBENCH_S3_TIMEOUT_MS=${safeLine(given)}: give a whole number of milliseconds above 0 (default ${DEFAULT_S3_TIMEOUT_MS})`);
  }
  return ms;
}

/** The AWS SDK's S3 module and a client made from it. */
export interface S3Connection {
  readonly sdk: typeof import('@aws-sdk/client-s3');
  readonly client: S3Client;
}

const ignore = (): void => undefined;
/**
 * Every failed S3 request reaches the user as albench's one line naming the cache and what to do (s3Failure).
 * The SDK's own warnings would be lines about its internals beside it: unless given a logger it prints some
 * to the console (for one, that a failed upload is not retried, just before the cache tries it again).
 */
const SILENT = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * A client from the AWS SDK's standard environment (credentials chain, AWS_REGION, default
 * us-east-1). A custom endpoint gets path-style addressing, which S3-compatible servers expect.
 * Checksums are sent and checked only where S3 requires them: the SDK's newer default (trailing
 * checksums on every upload) is not understood by every S3-compatible server, and albench checks
 * every file against its manifest's sha256 anyway.
 * The SDK sets no timeout for S3: a server that accepts a request and never answers (or never reads
 * its body) would hold it until the server gives up, minutes later. A connection that cannot be made,
 * or goes quiet, within s3TimeoutMs() fails the request instead (the SDK retries it, except an
 * upload, which the cache retries). The limit is on silence, not on the whole request, so a large
 * model uploading slowly but steadily is not cut off.
 * The SDK is an optional peer dependency: without it this refuses first, naming its install command.
 */
export async function connectS3(at: S3Location): Promise<S3Connection> {
  resolveOptionalPeer(AWS_S3_CLIENT, `${describeLocation(at)}: an S3 cache`);
  // The SDK's notice that its future releases need a newer Node is not something albench's user can act on.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // Loaded only for an S3 cache: the SDK is hundreds of modules, which no other albench command should pay for loading.
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = customEndpoint();
  const timeout = s3TimeoutMs();
  const client = new sdk.S3Client({
    requestHandler: { connectionTimeout: timeout, socketTimeout: timeout },
    logger: SILENT,
    region: process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1',
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { sdk, client };
}

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function httpStatus(e: unknown): number | undefined {
  return (e as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

export function errorName(e: unknown): string {
  const shape = e as SdkErrorShape | null;
  return shape?.name ?? '';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

/**
 * One line for a failed S3 request: which cache, what went wrong, what to do. Only the error's
 * name and status are kept from the SDK (never a request, header or credential).
 */
export function s3Failure(at: S3Location, what: string, e: unknown): IoError {
  const where = describeLocation(at);
  const name = errorName(e);
  const code = (e as SdkErrorShape | null)?.code ?? '';
  const status = httpStatus(e);
  const endpoint = customEndpoint() ?? 'AWS S3';
  let message: string;
  // The SDK also names a reset connection a TimeoutError (code ECONNRESET or EPIPE): that one is not silence.
  if (name === 'TimeoutError' && (code === '' || code === 'ETIMEDOUT')) {
    message = `${where}: ${endpoint} did not answer within ${s3TimeoutMs() / 1000} s while ${what}; check ALBENCH_S3_ENDPOINT (or AWS_ENDPOINT_URL) `
      + 'and the network, or allow more time with ALBENCH_S3_TIMEOUT_MS';
  } else if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name)) {
    message = `${where}: cannot reach ${endpoint} (${code || name}) while ${what}; check ALBENCH_S3_ENDPOINT (or AWS_ENDPOINT_URL) and the network`;
  } else if (name === 'CredentialsProviderError') {
    message = `${where}: no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile or role)`;
  } else if (name === 'NoSuchBucket' || (what === 'opening the cache' && status === 404)) {
    message = `${where}: bucket ${at.bucket} does not exist at ${endpoint}; create it or name another with --cache (or $ALBENCH_CACHE)`;
  } else if (status === 403 || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    message = `${where}: access denied while ${what}; check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) `
      + 'allow listing the bucket and reading and writing objects under the prefix';
  } else {
    message = `${where}: ${what} failed (${name || 'error'}${status === undefined ? '' : `, HTTP ${status}`}); try again, or use a local --cache folder`;
  }
  return new IoError(safeLine(message), e);
}
