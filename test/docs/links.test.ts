import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { githubAnchor, headingAnchors, markdownLinks } from '../helpers/markdown-links.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** README.md and the pages of docs/ (the generated reports in its subfolders are not pages). */
function pages(): string[] {
  const docs = fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

/** Every relative link of a page that points at no file, or at a heading its target lacks, as `page:line: target (why)`. */
function deadLinks(page: string): string[] {
  const from = path.join(REPO_ROOT, page);
  return markdownLinks(fs.readFileSync(from, 'utf8')).flatMap(({ target, line }) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return [];
    const [file = '', anchor] = target.split('#', 2);
    const to = file === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(file));
    const dead = (why: string): string[] => [`${page}:${line}: ${target} (${why})`];
    if (!fs.existsSync(to)) return dead('no such file');
    if (anchor === undefined) return [];
    if (!to.endsWith('.md')) return dead('an anchor into a file that is not Markdown');
    return headingAnchors(fs.readFileSync(to, 'utf8')).has(anchor) ? [] : dead(`no heading with that anchor in ${path.relative(REPO_ROOT, to)}`);
  });
}

describe('Markdown links', () => {
  it('makes anchors as GitHub does', () => {
    assert.equal(githubAnchor('GLUE suite: families x variants x tasks (`compare --suite`)'), 'glue-suite-families-x-variants-x-tasks-compare---suite');
    assert.equal(githubAnchor('1 shard vs 3 shards at once on this machine'), '1-shard-vs-3-shards-at-once-on-this-machine');
    assert.equal(githubAnchor('`env`'), 'env');
    assert.equal(githubAnchor('See [the schema](report-schema.md)'), 'see-the-schema');
  });

  it('takes headings outside code only, numbering repeats', () => {
    const anchors = headingAnchors('# Title\n\n```sh\n# a shell comment\n```\n## Notes\n## Notes\n');
    assert.deepEqual([...anchors], ['title', 'notes', 'notes-1']);
  });

  it('finds links and images outside code, wrapped or not, with their lines', () => {
    const links = markdownLinks('[a](a.md) `[b](b.md)`\n![c](c.png) [wrapped\ntext](d.md#x)\n```\n[e](e.md)\n```\n');
    assert.deepEqual(links, [{ target: 'a.md', line: 1 }, { target: 'c.png', line: 2 }, { target: 'd.md#x', line: 2 }]);
  });

  it('every relative link in README.md and docs/*.md points at a file and heading that exist', () => {
    assert.deepEqual(pages().flatMap(deadLinks), []);
  });

  it('README.md links every page of docs/', () => {
    const readme = path.join(REPO_ROOT, 'README.md');
    const linked = new Set(markdownLinks(fs.readFileSync(readme, 'utf8')).map(({ target }) => path.resolve(REPO_ROOT, target.split('#')[0] ?? '')));
    assert.deepEqual(pages().filter((p) => p !== 'README.md' && !linked.has(path.join(REPO_ROOT, p))), []);
  });
});
