// A node:test reporter that writes one JSON line per finished test (file, name, whether it is a
// suite, its skip or todo reason), for run-tests.mjs to check after the run. The spec reporter
// prints one summary for all files together, so a file that ran no test, or a skip, is invisible
// in it; these lines keep each test's file.
export default async function* census(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, name, skip, todo, details } = event.data;
    yield `${JSON.stringify({ file: file ?? null, name, suite: details?.type === 'suite', skip: skip ?? null, todo: todo ?? null })}\n`;
  }
}
