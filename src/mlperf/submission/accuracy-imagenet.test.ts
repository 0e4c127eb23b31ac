import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeImagenetAccuracy,
  decodeClass,
  decodeHex,
  parseAccuracyLog,
  parseValMap,
  type AccuracyDtype,
} from './accuracy-imagenet.js';
import { imagenetAccuracyOfFiles, writeImagenetAccuracyTxt } from './accuracy-imagenet-files.js';

function float32Hex(value: number): string {
  const b = Buffer.alloc(4);
  b.writeFloatLE(value);
  return b.toString('hex').toUpperCase();
}

function accuracyJson(entries: Array<[number, string]>): string {
  const body = entries.map(
    ([idx, data], i) => `{ "seq_id" : ${i}, "qsl_idx" : ${idx}, "data" : "${data}" }`,
  );
  return body.length === 0 ? '[\n]\n' : `[\n${body.join(',\n')}\n]\n`;
}

const VAL_MAP = [
  'ILSVRC2012_val_00000001.JPEG 65',
  'ILSVRC2012_val_00000002.JPEG 970',
  'ILSVRC2012_val_00000003.JPEG 230',
  'ILSVRC2012_val_00000004.JPEG 809',
  'ILSVRC2012_val_00000005.JPEG 516',
  'ILSVRC2012_val_00000006.JPEG 57',
].join('\n');

test('the crafted log with duplicates and wrong labels scores first responses over distinct indices', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'acc-imagenet-'));
  // qsl 0 right, 1 wrong, 0 again wrong (duplicate: ignored), 2 right, 1 again right (ignored),
  // 3 wrong, 5 right as 57.9 (int() truncates).
  const log = accuracyJson([
    [0, float32Hex(65)],
    [1, float32Hex(969)],
    [0, float32Hex(1)],
    [2, float32Hex(230)],
    [1, float32Hex(970)],
    [3, float32Hex(808)],
    [5, float32Hex(57.9)],
  ]);
  await writeFile(join(dir, 'mlperf_log_accuracy.json'), log);
  await writeFile(join(dir, 'val_map.txt'), `${VAL_MAP}\n`);
  const result = await writeImagenetAccuracyTxt({
    accuracyDir: dir,
    valMap: join(dir, 'val_map.txt'),
  });
  assert.equal(result.line, 'accuracy=60.000%, good=3, total=5');
  assert.equal(result.duplicates, 2);
  assert.deepEqual(
    result.mismatches.map((m) => [m.qslIdx, m.image, m.expected, m.found]),
    [
      [1, 'ILSVRC2012_val_00000002.JPEG', 970n, 969n],
      [3, 'ILSVRC2012_val_00000004.JPEG', 809n, 808n],
    ],
  );
  assert.equal(
    await readFile(join(dir, 'accuracy.txt'), 'utf8'),
    'accuracy=60.000%, good=3, total=5\n',
  );
});

test('the percentage is printed with Python rounding: 1 of 64 is 1.562, 2 of 3 is 66.667', () => {
  const labels = parseValMap(
    Array.from({ length: 64 }, (_, i) => `img${i} 7`).join('\n'),
    'val_map.txt',
  );
  const oneOf64 = labels.map((_, i) => ({ qslIdx: i, data: float32Hex(i === 0 ? 7 : 8) }));
  assert.equal(computeImagenetAccuracy(oneOf64, labels).line, 'accuracy=1.562%, good=1, total=64');
  const twoOf3 = [0, 1, 2].map((i) => ({ qslIdx: i, data: float32Hex(i === 0 ? 0 : 7) }));
  assert.equal(computeImagenetAccuracy(twoOf3, labels).line, 'accuracy=66.667%, good=2, total=3');
});

test('data is decoded as the chosen little-endian dtype, element 0, truncated toward zero', () => {
  const table: Array<[string, AccuracyDtype, bigint]> = [
    ['0000E041', 'float32', 28n],
    ['0000e041', 'float32', 28n],
    ['CDCCDCC1', 'float32', -27n],
    ['0000E0410000803F', 'float32', 28n],
    ['41000000', 'int32', 65n],
    ['FFFFFFFF', 'int32', -1n],
    ['4100000000000000', 'int64', 65n],
    ['00 00 E0 41', 'float32', 28n],
  ];
  for (const [hex, dtype, expected] of table) {
    assert.equal(decodeClass(decodeHex(hex, 'x'), dtype, 'x'), expected, `${hex} as ${dtype}`);
  }
});

test('malformed entries are errors naming the file and the entry', async () => {
  const labels = parseValMap(VAL_MAP, 'val_map.txt');
  const table: Array<[string, RegExp]> = [
    [accuracyJson([[0, '0000E04']]), /acc\.json: entry 0 \(qsl_idx 0\): data '0000E04' is not hex/],
    [
      accuracyJson([
        [0, float32Hex(65)],
        [1, 'ZZ00E041'],
      ]),
      /acc\.json: entry 1 \(qsl_idx 1\): data 'ZZ00E041'/,
    ],
    [
      accuracyJson([[2, '0000']]),
      /entry 0 \(qsl_idx 2\): 2 data bytes are not a non-empty float32 array/,
    ],
    [accuracyJson([[3, '']]), /entry 0 \(qsl_idx 3\): 0 data bytes/],
    [
      accuracyJson([
        [0, float32Hex(65)],
        [6, float32Hex(1)],
      ]),
      /entry 1 \(qsl_idx 6\): no label \(the label file has 6 lines\)/,
    ],
    [accuracyJson([]), /acc\.json: no entries/],
    ['[{"qsl_idx": "1", "data": "00"}]', /acc\.json: entry 0: qsl_idx must be an integer/],
    ['{', /acc\.json: not valid JSON/],
  ];
  for (const [text, message] of table) {
    assert.throws(
      () =>
        computeImagenetAccuracy(parseAccuracyLog(text, 'acc.json'), labels, { file: 'acc.json' }),
      (e: Error & { code?: string }) => e.code === 'bad-input' && message.test(e.message),
      text,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'acc-imagenet-'));
  await writeFile(join(dir, 'val.txt'), 'a.JPEG 1\nb.JPEG x\n');
  await writeFile(join(dir, 'acc.json'), accuracyJson([[0, float32Hex(1)]]));
  await assert.rejects(
    imagenetAccuracyOfFiles({ accuracyLog: join(dir, 'acc.json'), valMap: join(dir, 'val.txt') }),
    /val\.txt:2: label 'x' is not an integer/,
  );
  await writeFile(join(dir, 'good.txt'), 'a.JPEG 1\n');
  await assert.rejects(
    imagenetAccuracyOfFiles({
      accuracyLog: join(dir, 'missing.json'),
      valMap: join(dir, 'good.txt'),
    }),
    (e: Error & { code?: string }) =>
      e.code === 'file-not-found' && e.message.includes('missing.json'),
  );
});
