import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string }; peerDependencies: Record<string, string>;
};
/** The install an s3:// cache needs: the AWS SDK is an optional peer dependency, which npm leaves out unless named. */
const S3_SDK_INSTALL = `@aws-sdk/client-s3@${PACKAGE.peerDependencies['@aws-sdk/client-s3']}`;

/** Shell words of one command line: quotes removed, variables kept as written (only parsing is checked). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/** GitHub expressions as a sample value, so `--shard ${{ matrix.shard }}/3` is one word, as the runner sees it. */
const EXPRESSION_SAMPLES: Readonly<Record<string, string>> = { 'matrix.shard': '0', 'vars.ALBENCH_CACHE_BUCKET': 'my-bucket' };

function withSamples(yaml: string): string {
  return yaml.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => EXPRESSION_SAMPLES[expression] ?? 'EXPRESSION');
}

/** Every albench invocation in a workflow's run scripts (continuation lines joined), as argument lists without the program name. */
function workflowCommandLines(yaml: string): string[][] {
  return withSamples(yaml).replace(/\\\n\s*/g, ' ').split('\n')
    .map((l) => l.replace(/^\s*(-\s+)?(run:\s*)?/, '').trim())
    .filter((l) => /^(npx\s+)?albench\s/.test(l))
    .map((l) => shellWords(l.replace(/^npx\s+/, '')).slice(1));
}

interface Container { readonly command?: readonly string[]; readonly args?: readonly string[] }

/** The args of every container running albench in a Kubernetes manifest, with $(JOB_COMPLETION_INDEX) as Kubernetes fills it in. */
function kubernetesCommandLines(yaml: string): string[][] {
  return parseAllDocuments(yaml).flatMap((doc) => {
    const pod = (doc.toJS() as { spec?: { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } }).spec?.template?.spec;
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]
      .filter((c) => path.basename(c.command?.[0] ?? '') === 'albench')
      .map((c) => (c.args ?? []).map((a) => a.replace(/\$\(JOB_COMPLETION_INDEX\)/g, '0')));
  });
}

interface Example {
  readonly file: string;
  readonly commandLines: (text: string) => string[][];
  /** The albench commands it runs. */
  readonly commands: readonly string[];
}

const EXAMPLE_FILES: readonly Example[] = [
  { file: 'albench-regress.yml', commandLines: workflowCommandLines, commands: ['compare', 'regress'] },
  { file: 'albench-matrix.yml', commandLines: workflowCommandLines, commands: ['compare', 'merge'] },
  { file: 'k8s-indexed-job.yaml', commandLines: kubernetesCommandLines, commands: ['compare', 'merge'] },
];

/**
 * Preloaded before the CLI: every command's action only prints what commander parsed, so a line is
 * checked by the CLI's own definitions (options, choices, argument parsers) without running it.
 */
function parseOnlyHook(): string {
  const file = path.join(tempDir(), 'parse-only.mjs');
  fs.writeFileSync(file, [
    "import { createRequire } from 'node:module';",
    `const { Command } = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))})('commander');`,
    'const action = Command.prototype.action;',
    'Command.prototype.action = function (fn) {',
    '  return action.call(this, (...args) => {',
    '    const cmd = args[args.length - 1];',
    '    process.stdout.write(JSON.stringify({ command: cmd.name(), args: cmd.args, options: cmd.opts() }) + "\\n");',
    '  });',
    '};',
  ].join('\n'));
  return file;
}

function parseLine(hook: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', hook, CLI, ...args], { encoding: 'utf8' });
}

function assertParses(hook: string, args: readonly string[]): void {
  const r = parseLine(hook, args);
  assert.equal(r.status, 0, `albench ${args.join(' ')}\n${r.stderr}`);
  const parsed = JSON.parse(r.stdout.trim()) as { command: string; options: Record<string, unknown> };
  assert.equal(parsed.command, args[0], `albench ${args.join(' ')}`);
  if (parsed.command === 'regress') assert.equal(parsed.options['maxSizeIncrease'], 5, 'the continuation line was read');
}

for (const example of EXAMPLE_FILES) {
  describe(`examples/${example.file}`, () => {
    const text = fs.readFileSync(path.join(EXAMPLES, example.file), 'utf8');
    const lines = example.commandLines(text);

    it(`runs ${example.commands.join(' and ')}`, () => {
      assert.deepEqual([...new Set(lines.map((l) => l[0]))].sort(), [...example.commands].sort());
    });

    it('every albench command line parses with this albench\'s CLI', (t) => {
      const hook = parseOnlyHook();
      for (const args of lines) {
        assertParses(hook, args);
        t.diagnostic(`parsed: albench ${args.join(' ')}`);
      }
    });

    it('runs albench on a Node line package.json\'s engines allow', () => {
      const oldest = Number(/^>=(\d+)\./.exec(PACKAGE.engines.node)?.[1]);
      const majors = [...text.matchAll(/node-version: (\d+)|image: node:(\d+)-/g)].map((m) => Number(m[1] ?? m[2]));
      assert.ok(majors.length > 0, 'names a Node version');
      for (const major of majors) assert.ok(major >= oldest, `Node ${major} is at least ${oldest} (${PACKAGE.engines.node})`);
    });

    if (example.file.endsWith('.yml')) {
      it('installs albench as a package with the README\'s install command, not from a source tree', () => {
        assert.match(text, /ONNXRUNTIME_NODE_INSTALL=skip npm install albench@/);
        assert.doesNotMatch(text, /npm ci|npm run build/);
      });
    }
  });
}

describe('the sharded examples', () => {
  it('the workflow: every shard of N on every runner, the S3 cache with credentials from secrets, an artifact each, a merge into the job summary', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'albench-matrix.yml'), 'utf8');
    const workflow = parse(text) as { jobs: Record<string, { strategy?: { matrix: { shard: number[]; runner: string[] } } }> };
    const matrix = workflow.jobs['compare']?.strategy?.matrix;
    assert.deepEqual(matrix?.shard, [0, 1, 2]);
    assert.ok((matrix?.runner.length ?? 0) > 1, 'more than one kind of runner');
    assert.match(text, /--shard \$\{\{ matrix\.shard \}\}\/3 --cache s3:\/\//);
    assert.match(text, /AWS_SECRET_ACCESS_KEY: \$\{\{ secrets\.\w+ \}\}/);
    assert.match(text, /actions\/upload-artifact@v4[\s\S]*actions\/download-artifact@v4/);
    assert.match(text, /albench merge .*\n.*>> "\$GITHUB_STEP_SUMMARY"/);
    const steps = (workflow.jobs['compare'] as { steps?: Array<{ name?: string; run?: string }> }).steps ?? [];
    assert.ok(steps.find((s) => s.name === 'Install albench')?.run?.includes(` ${S3_SDK_INSTALL}\n`), `the S3 cache's job installs ${S3_SDK_INSTALL}`);
  });

  it('the Kubernetes Job: Indexed, --shard $(JOB_COMPLETION_INDEX)/N with N its completions, credentials from a Secret', () => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(EXAMPLES, 'k8s-indexed-job.yaml'), 'utf8')).map((d) => d.toJS() as {
      kind: string;
      spec: { completionMode?: string; completions?: number; template?: { spec: { containers: Array<Container & { envFrom?: unknown[] }>; initContainers?: Container[] } } };
    });
    const shards = docs.find((d) => d.kind === 'Job' && d.spec.completionMode === 'Indexed');
    const compare = shards?.spec.template?.spec.containers[0];
    const args = compare?.args ?? [];
    assert.equal(args[args.indexOf('--shard') + 1], `$(JOB_COMPLETION_INDEX)/${shards?.spec.completions}`);
    assert.match(args[args.indexOf('--cache') + 1] ?? '', /^s3:\/\//);
    assert.deepEqual(compare?.envFrom, [{ secretRef: { name: 'albench-s3' } }]);
    const install = shards?.spec.template?.spec.initContainers?.[0]?.command?.join(' ') ?? '';
    assert.match(install, /npm install .*albench@/);
    assert.ok(install.endsWith(` ${S3_SDK_INSTALL}`), `the S3 cache's pod installs ${S3_SDK_INSTALL}`);
  });
});

describe('the parse check', () => {
  it('refuses a bad line', () => {
    const args = ['regress', '--baseline', 'a.json', '--current', 'b.json', '--max-size-increase', 'lots'];
    const r = spawnSync(process.execPath, ['--import', parseOnlyHook(), CLI, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
  });
});
