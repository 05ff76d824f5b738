import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { IoError, ReportError, UsageError } from '../../src/errors.js';
import { readReport } from '../../src/report/read-report.js';
import { writeReport } from '../../src/report/write-report.js';
import type { Report } from '../../src/report/model/types.js';
import { tempDir } from '../helpers/paths.js';
import { editable, sampleReport } from '../helpers/sample-report.js';

describe('writeReport', () => {
  it('writes the four files into reports/<name>/, and report.json reads back', async () => {
    const reports = path.join(tempDir(), 'reports');
    const dir = await writeReport(sampleReport(), reports, 'bert-vs-albert');
    assert.equal(dir, path.join(reports, 'bert-vs-albert'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['report.csv', 'report.html', 'report.json', 'report.md']);
    assert.deepEqual(readReport(path.join(dir, 'report.json')), sampleReport());
    assert.deepEqual(fs.readdirSync(reports), ['bert-vs-albert'], 'no temporary folder left beside it');
  });

  it('replaces an earlier report, but not a folder albench did not write', async () => {
    const reports = tempDir();
    await writeReport(sampleReport(), reports, 'r');
    const changed = editable(sampleReport());
    changed.createdAt = '2026-11-26T08:00:00Z';
    await writeReport(changed as Report, reports, 'r');
    assert.equal(readReport(path.join(reports, 'r', 'report.json')).createdAt, '2026-11-26T08:00:00Z');

    fs.mkdirSync(path.join(reports, 'mine'));
    fs.writeFileSync(path.join(reports, 'mine', 'notes.txt'), 'keep');
    await assert.rejects(writeReport(sampleReport(), reports, 'mine'), IoError);
    assert.equal(fs.readFileSync(path.join(reports, 'mine', 'notes.txt'), 'utf8'), 'keep');
  });

  it('an invalid report writes nothing: no half of the four files, the earlier report intact', async () => {
    const reports = tempDir();
    await writeReport(sampleReport(), reports, 'r');
    const broken = editable(sampleReport());
    (broken.variants[0] as { sizeBytes: number }).sizeBytes = NaN;
    await assert.rejects(writeReport(broken as Report, reports, 'r'), (e: unknown) => e instanceof ReportError && /report\.json: \/variants\/0\/sizeBytes must be integer/.test(e.message));
    assert.deepEqual(readReport(path.join(reports, 'r', 'report.json')), sampleReport());
    assert.deepEqual(fs.readdirSync(reports), ['r']);
  });

  it('refuses a name that is not a plain folder name', async () => {
    await assert.rejects(writeReport(sampleReport(), tempDir(), '../elsewhere'), UsageError);
  });
});
