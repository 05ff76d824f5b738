/**
 * Reading the JSON files of a tokenizer folder into typed values, with a ConfigError that names the
 * file and the field when something has the wrong shape.
 */
import fs from 'node:fs';
import { ConfigError } from '../errors.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object in `file`, or null when the file does not exist. */
export function readJsonObject(file: string): JsonObject | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(file, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new ConfigError(file, jsonSyntaxProblem(error));
  }
  if (!isJsonObject(value)) throw new ConfigError(file, 'must hold a JSON object');
  return value;
}

/** Typed access to one object's fields; `where` names the object in messages (`model.vocab`). */
export class JsonFields {
  constructor(
    readonly file: string,
    private readonly object: JsonObject,
    private readonly where = '',
  ) {}

  /** Whether the field is there and not null. */
  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  raw(key: string): unknown {
    return this.object[key];
  }

  private fail(key: string, expected: string): never {
    throw new ConfigError(this.file, `${this.where}${key} must be ${expected}`);
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'boolean' ? value : this.fail(key, 'true or false');
  }

  optionalString(key: string): string | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : this.fail(key, 'a string');
  }

  optionalNumber(key: string): number | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(key, 'a number');
  }

  child(key: string): JsonFields {
    const value = this.object[key];
    return isJsonObject(value) ? new JsonFields(this.file, value, `${this.where}${key}.`) : this.fail(key, 'an object');
  }

  array(key: string): unknown[] {
    const value = this.object[key];
    return Array.isArray(value) ? value : this.fail(key, 'an array');
  }
}
