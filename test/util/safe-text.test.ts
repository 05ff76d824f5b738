import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrlCredentials } from '../../src/redact.js';
import { jsonSyntaxProblem, safeLine, safeLines } from '../../src/util/safe-text.js';

const SPOOF = 'bert\x1b[2K\r\x1b[32mall checks passed\x1b[0m\x07\x9b1A\x1b]0;title\x07';

describe('safe text: text from files on its way to a terminal or a report', () => {
  it('one line: escape sequences and controls removed, every line break a space', () => {
    assert.equal(safeLine(SPOOF), 'bert all checks passed');
    assert.equal(safeLine('a\r\nb\rc\nd\te\u2028f\0g'), 'a b c d e fg');
  });

  it('several lines: line endings normalised to \\n, controls removed', () => {
    assert.equal(safeLines('a\r\nb\rc\n\x1b[1mBOLD\x1b[0m\x00'), 'a\nb\nc\nBOLD');
  });

  it('a JSON syntax error keeps at most the position, never the file bytes', () => {
    for (const text of ['root:x:0:0:root:/root:/bin/bash', '{"a": hf_secret_token}', '{"a":', '']) {
      let problem = '';
      try {
        JSON.parse(text);
      } catch (e) {
        problem = jsonSyntaxProblem(e);
      }
      assert.match(problem, /^is not valid JSON/);
      assert.doesNotMatch(problem, /root|secret|hf_/);
    }
  });

  it('credentials inside a URL are redacted, the rest of the text kept', () => {
    assert.equal(redactUrlCredentials('cannot reach http://user:pa55@hub.local:8080/x (refused)'), 'cannot reach http://***@hub.local:8080/x (refused)');
    assert.equal(redactUrlCredentials('see https://token@host and ftp://a@b/c'), 'see https://***@host and ftp://***@b/c');
    assert.equal(redactUrlCredentials('mail me@example.com at https://host/a@b'), 'mail me@example.com at https://host/a@b');
  });
});
