/**
 * Reading the JSON files of a tokenizer folder into typed values, with a ConfigError that names the
 * file and the field when something has the wrong shape.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { parseSideJson, readSideFileBytes } from './side-files.js';

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object in `name` of `folder`, or null when the folder has no such file; read as side files are (inside, capped). */
export function readJsonObject(folder: string, name: string): JsonObject | null {
  const bytes = readSideFileBytes(folder, name);
  return bytes === null ? null : parseSideJson(bytes, path.join(folder, name));
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
