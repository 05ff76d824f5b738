import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UnsupportedError } from '../../src/errors.js';
import { OPTIONAL_PEERS, resolveOptionalPeer } from '../../src/util/optional-peer.js';
import { REPO_ROOT } from '../helpers/paths.js';

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

describe('optional peer dependencies', () => {
  it('are package.json\'s optional peers, with its ranges, and devDependencies so the tests run them', () => {
    const peers = Object.fromEntries(OPTIONAL_PEERS.map((p) => [p.name, p.range]));
    assert.deepEqual(pkg.peerDependencies, peers);
    for (const { name, range } of OPTIONAL_PEERS) {
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is an optional peer`);
      assert.equal(pkg.devDependencies?.[name], range, `${name} is a devDependency with the peer range`);
      // Either would make npm install it with albench by default.
      assert.equal(pkg.dependencies?.[name], undefined, `${name} is not a dependency`);
      assert.equal(pkg.optionalDependencies?.[name], undefined, `${name} is not an optional dependency`);
    }
  });

  it('resolve to a file without loading the package when installed', () => {
    for (const peer of OPTIONAL_PEERS) assert.ok(fs.existsSync(resolveOptionalPeer(peer, 'a test')), peer.name);
  });

  it('missing, refuse in one line naming what needs the package and the command that installs it (exit 1)', () => {
    const missing = { name: 'albench-test-no-such-package', range: '^1.2.3' };
    assert.throws(() => resolveOptionalPeer(missing, '--device wasm'), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError);
      assert.equal(e.message, '--device wasm needs albench-test-no-such-package, which is not installed: npm install albench-test-no-such-package@^1.2.3');
      assert.equal(e.exitCode, 1);
      assert.ok(e.cause instanceof Error && 'code' in e.cause && e.cause.code === 'ERR_MODULE_NOT_FOUND', 'the resolution error is kept as the cause');
      return true;
    });
  });
});
