// The file side of the imagenet accuracy script: reads the accuracy log and val_map.txt, and
// writes accuracy.txt the way CM captures the script's stdout.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import {
  computeImagenetAccuracy,
  parseAccuracyLog,
  parseValMap,
  type AccuracyDtype,
  type ImagenetAccuracy,
} from './accuracy-imagenet.js';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CmError(
      'file-not-found',
      `${path}: cannot read the ${what} (${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
}

/** Accuracy of `accuracyLog` (an mlperf_log_accuracy.json) against the labels in `valMap`. */
export async function imagenetAccuracyOfFiles(options: {
  accuracyLog: string;
  valMap: string;
  dtype?: AccuracyDtype;
}): Promise<ImagenetAccuracy> {
  const labels = parseValMap(await readText(options.valMap, 'label file'), options.valMap);
  const log = await readText(options.accuracyLog, 'accuracy log');
  const entries = parseAccuracyLog(log, options.accuracyLog);
  return computeImagenetAccuracy(entries, labels, {
    dtype: options.dtype,
    file: options.accuracyLog,
  });
}

/** Scores `<accuracyDir>/mlperf_log_accuracy.json` and writes the line to `<accuracyDir>/accuracy.txt`. */
export async function writeImagenetAccuracyTxt(options: {
  accuracyDir: string;
  valMap: string;
  dtype?: AccuracyDtype;
}): Promise<ImagenetAccuracy> {
  const result = await imagenetAccuracyOfFiles({
    accuracyLog: join(options.accuracyDir, 'mlperf_log_accuracy.json'),
    valMap: options.valMap,
    dtype: options.dtype,
  });
  await writeFile(join(options.accuracyDir, 'accuracy.txt'), `${result.line}\n`);
  return result;
}
