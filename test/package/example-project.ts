import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

/** The TypeScript block of the README's "Library" section, exactly as a reader copies it. */
export function readmeLibraryExample(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Library'));
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(code, 'README.md has a "## Library" section with a ```ts block');
  return code;
}

/** A strict TypeScript project holding `code` as example.ts; `albench` resolves to `albenchDir`. */
export function exampleProject(code: string, albenchDir: string): string {
  const dir = tempDir('albench-example-');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(albenchDir, path.join(dir, 'node_modules', 'albench'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  fs.writeFileSync(path.join(dir, 'example.ts'), code);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')], types: ['node'],
    },
    files: ['example.ts'],
  }));
  return dir;
}

export function typecheck(dir: string): { status: number | null; output: string } {
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
