import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { areaTable, resizeInterArea, roundHalfEven, type Image8 } from './inter-area.js';

function image(width: number, height: number, pixel: (x: number, y: number) => number[]): Image8 {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 3);
  return { width, height, channels: 3, data };
}

describe('INTER_AREA resize', () => {
  test('rounds to the nearest whole number with ties to even, as cvRound', () => {
    const cases: Array<[number, number]> = [
      [0.5, 0],
      [1.5, 2],
      [2.5, 2],
      [3.49, 3],
      [3.5, 4],
      [254.5, 254],
      [-0.5, 0],
      [-1.5, -2],
    ];
    for (const [v, want] of cases) assert.equal(roundHalfEven(v) + 0, want, `cvRound(${v})`);
  });

  test('a 2x downscale is the mean of each 2x2 block, halves rounded up', () => {
    const src = image(4, 2, (x, y) => [x * 10 + y, 100, x < 2 ? 1 : 2]);
    const out = resizeInterArea(src, 2, 1);
    // (0+1+10+11+2)>>2 = 6, (20+21+30+31+2)>>2 = 26; (1+1+1+1+2)>>2 = 1, (2*4+2)>>2 = 2
    assert.deepEqual([...out.data], [6, 100, 1, 26, 100, 2]);
  });

  test('other whole-number factors round the float32 mean, ties to even', () => {
    const three = resizeInterArea(
      image(3, 3, (x, y) => [x + y * 3, 0, 255]),
      1,
      1,
    );
    assert.deepEqual([...three.data], [4, 0, 255]);
    // 1x2 blocks: 1.5 -> 2, 2.5 -> 2, 3.5 -> 4
    const pairs = resizeInterArea(
      image(1, 2, (_, y) => [1 + y, 2 + y, 3 + y]),
      1,
      1,
    );
    assert.deepEqual([...pairs.data], [2, 2, 4]);
  });

  test('the area table weighs the cells covered, fractional borders by the part covered', () => {
    const t = areaTable(3, 2, 1.5);
    const rows = Array.from({ length: t.size }, (_, k) => [t.dst[k], t.src[k], t.weight[k]]);
    const f = Math.fround;
    assert.deepEqual(rows, [
      [0, 0, f(1 / 1.5)],
      [0, 1, f(0.5 / 1.5)],
      [1, 1, f(0.5 / 1.5)],
      [1, 2, f(1 / 1.5)],
    ]);
  });

  test('a uniform image stays uniform, shrunk or enlarged by any factor', () => {
    for (const [w, h, dw, dh] of [
      [500, 375, 341, 256],
      [7, 5, 3, 2],
      [200, 150, 341, 256],
      [33, 91, 256, 705],
      [300, 90, 880, 264],
    ] as const) {
      for (const v of [0, 1, 3, 77, 128, 254, 255]) {
        const out = resizeInterArea(
          image(w, h, () => [v, 255 - v, 9]),
          dw,
          dh,
        );
        assert.equal(out.data.length, dw * dh * 3);
        const wrong = out.data.findIndex((got, i) => got !== [v, 255 - v, 9][i % 3]);
        assert.equal(wrong, -1, `${w}x${h} -> ${dw}x${dh} of ${v}: value ${wrong} differs`);
      }
    }
  });

  test('the same size is a copy', () => {
    const src = image(5, 4, (x, y) => [x, y, x * y]);
    const out = resizeInterArea(src, 5, 4);
    assert.deepEqual(out.data, src.data);
    assert.notEqual(out.data, src.data);
  });

  test('a horizontal ramp stays a non-decreasing ramp when shrunk or enlarged', () => {
    const src = image(100, 3, (x) => [x * 2, x * 2, x * 2]);
    for (const width of [37, 250]) {
      const out = resizeInterArea(src, width, 3);
      for (let x = 1; x < width; x++) assert.ok(out.data[x * 3]! >= out.data[(x - 1) * 3]!);
      assert.ok(out.data[0]! <= 2 && out.data[(width - 1) * 3]! >= 196);
    }
  });
});
