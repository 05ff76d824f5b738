import path from 'node:path';

/**
 * The environment a user's shell would give npm: without the npm_* variables (and the
 * onnxruntime-node install flags) that `npm test` passes down from this repository's own config,
 * which would otherwise leak into the installs these tests make in empty folders. The node running
 * the tests comes first on PATH, so npm, npx and albench (each `#!/usr/bin/env node`) run on the
 * Node line under test, whichever node the shell would find first.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || /^ONNXRUNTIME_NODE_INSTALL/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  env['PATH'] = [path.dirname(process.execPath), env['PATH']].filter((p) => p !== undefined && p !== '').join(path.delimiter);
  return { ...env, ...extra };
}
