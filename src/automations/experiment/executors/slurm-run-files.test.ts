import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { readRecord, readStepStatus, readTail, writeRecord } from './slurm-run-files.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cm-slurm-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('cm-slurm.json', () => {
  test('is read back as written', (t) => {
    const dir = tempDir(t);
    const record = {
      jobId: '42',
      submittedAt: '2026-01-01T00:00:00.000Z',
      sbatchArgs: ['--parsable'],
      steps: [{ index: 3, dir: '/x/a' }],
    };
    writeRecord(dir, record);
    assert.deepEqual(readRecord(dir), record);
  });

  const broken: Array<[string, string | undefined, string, RegExp]> = [
    ['missing', undefined, 'file-not-found', /was not sent to Slurm/],
    ['not JSON', '{', 'bad-meta', /cm-slurm\.json: not JSON/],
    ['without a job id', '{"steps": []}', 'bad-meta', /job_id must be a job id/],
    [
      'with a bad step',
      '{"job_id": "1", "steps": [{"index": 0}]}',
      'bad-meta',
      /steps\[0\] must be/,
    ],
  ];
  for (const [name, text, code, message] of broken) {
    test(`${name} is an error naming the file`, (t) => {
      const dir = tempDir(t);
      if (text !== undefined) writeFileSync(join(dir, 'cm-slurm.json'), text);
      assert.throws(
        () => readRecord(dir),
        (e) => e instanceof CmError && e.code === code && message.test(e.message),
      );
    });
  }
});

describe('step status and log files', () => {
  test('a step without a status file has none yet', (t) => {
    assert.equal(readStepStatus(tempDir(t)), undefined);
  });

  test('the tail is the last lines of a log, without a line cut by the read window', (t) => {
    const dir = tempDir(t);
    const short = join(dir, 'short.out');
    writeFileSync(short, 'a\nb\nc\n');
    assert.equal(readTail(short, 2), 'b\nc');
    assert.equal(readTail(short), 'a\nb\nc');
    const long = join(dir, 'long.out');
    writeFileSync(long, `${'x'.repeat(70 * 1024)}\nend 1\nend 2`);
    assert.equal(readTail(long), 'end 1\nend 2');
    assert.equal(readTail(join(dir, 'absent.out')), undefined);
  });
});
