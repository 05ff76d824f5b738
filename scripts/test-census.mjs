import path from 'node:path';
// A node:test reporter that writes one JSON line per finished test (the file that ran it, its name,
// whether it is a suite, its skip or todo reason), for run-tests.mjs to check after the run. The
// spec reporter prints one summary for all files together, so a file that ran no test, or a skip,
// is invisible in it; these lines keep each test's file.
//
// An event's `file` is where the test was declared, which for a test declared in a helper module
// (test/helpers/shard-merge-suite.ts) is the helper, not the test file that ran it. node:test
// reports each test file's tests together, before the `test:complete` of that file's own top-level
// entry (named by its path), even when files run concurrently; so a test is credited to the file
// whose entry completes next. Tests left over when the stream ends keep their declaring file.
// Node 20 names a file's entry by its absolute path, Node 22 and 24 by the path as given (relative to
// the working folder); its `file` is absolute in both.
const isFileEntry = (data) => data.nesting === 0 && data.file !== undefined && path.resolve(data.name) === data.file;

export default async function* census(source) {
  let pending = [];
  const flush = (ranIn) => {
    const lines = pending.map((t) => `${JSON.stringify({ ...t, file: ranIn ?? t.file })}\n`);
    pending = [];
    return lines.join('');
  };
  for await (const event of source) {
    if (event.type === 'test:complete' && isFileEntry(event.data)) yield flush(event.data.file);
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || isFileEntry(event.data)) continue;
    const { file, name, skip, todo, details } = event.data;
    pending.push({ file: file ?? null, name, suite: details?.type === 'suite', skip: skip ?? null, todo: todo ?? null });
  }
  yield flush(null);
}
