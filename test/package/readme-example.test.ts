import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { exampleProject, readmeLibraryExample, typecheck } from './example-project.js';

describe('README library example', () => {
  it('compiles against albench\'s exports map and type declarations', () => {
    const { status, output } = typecheck(exampleProject(readmeLibraryExample(), REPO_ROOT));
    assert.equal(status, 0, output);
  });

  it('the check fails on a type error (it really type-checks)', () => {
    const { status, output } = typecheck(exampleProject(`${readmeLibraryExample()}\nconst n: number = 'not a number';\n`, REPO_ROOT));
    assert.notEqual(status, 0);
    assert.match(output, /TS2322/);
  });
});
