import fs from 'node:fs';

/** The package version, read from package.json (two folders up from dist/src/). */
export const ALBENCH_VERSION: string =
  (JSON.parse(fs.readFileSync(new URL('package.json', new URL('../../', import.meta.url)), 'utf8')) as { version: string }).version;
