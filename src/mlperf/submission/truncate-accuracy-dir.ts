// Applies the accuracy-log truncation to an `accuracy/` folder on disk (accuracy.txt and
// mlperf_log_accuracy.json side by side), idempotently like the official tool.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import {
  appendHashLine,
  isAlreadyTruncated,
  sha256Hex,
  truncateAccuracyLogBytes,
} from './truncate-accuracy-log.js';

export interface TruncationOutcome {
  /** sha256 of the original log; undefined when the folder was already truncated. */
  hash: string | undefined;
  isSkipped: boolean;
  originalSize: number;
  finalSize: number;
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new CmError('file-not-found', `${path} missing (${(e as Error).message})`, {
      cause: e,
      hint: 'generate accuracy.txt (the accuracy script) before truncating',
    });
  }
}

/** Hashes `<dir>/mlperf_log_accuracy.json` into `<dir>/accuracy.txt`, then truncates the log. */
export async function truncateAccuracyDir(accuracyDir: string): Promise<TruncationOutcome> {
  const logPath = join(accuracyDir, 'mlperf_log_accuracy.json');
  const txtPath = join(accuracyDir, 'accuracy.txt');
  const log = await readOrFail(logPath);
  const txt = (await readOrFail(txtPath)).toString('utf8');
  if (isAlreadyTruncated(txt, log.length)) {
    return { hash: undefined, isSkipped: true, originalSize: log.length, finalSize: log.length };
  }
  const hash = sha256Hex(log);
  const truncated = truncateAccuracyLogBytes(log);
  await writeFile(txtPath, appendHashLine(txt, hash));
  await writeFile(logPath, truncated);
  return { hash, isSkipped: false, originalSize: log.length, finalSize: truncated.length };
}
