// A tiny image-classification model as an ONNX file, built from TypeScript (no ONNX tooling, no
// download): input `input` float32 [N,3,H,W], the mean of each channel (ReduceMean over H and W),
// a [3, classes] weight matrix (MatMul), output `logits` [N, classes]. Tests and CI run the MLPerf
// pipeline with it where no real model can be fetched.
import { ProtoWriter } from './protobuf-writer.js';

const FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

export interface TinyClassifier {
  classes: number;
  /** Row-major [3, classes]: weight of channel c for class k at c * classes + k. */
  weights: Float32Array;
}

/** Weights where class k scores channel means by a different mix (deterministic). */
export function tinyClassifierWeights(classes: number): TinyClassifier {
  const weights = new Float32Array(3 * classes);
  for (let c = 0; c < 3; c++)
    for (let k = 0; k < classes; k++) weights[c * classes + k] = Math.sin((c + 1) * (k + 1));
  return { classes, weights };
}

function valueInfo(
  w: ProtoWriter,
  field: number,
  name: string,
  dims: Array<number | string>,
): void {
  w.message(field, (vi) =>
    vi.string(1, name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, FLOAT).message(2, (shape) => {
          for (const d of dims)
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    ),
  );
}

/** The model file's bytes (ONNX IR 8, opset 13). */
export function tinyClassifierOnnx(model: TinyClassifier): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8);
  w.string(2, 'collective-mind');
  w.message(7, (g) => {
    g.message(1, (n) =>
      n
        .string(1, 'input')
        .string(2, 'means')
        .string(3, 'channel_means')
        .string(4, 'ReduceMean')
        .message(5, (a) => a.string(1, 'axes').int(20, ATTR_INTS).int(8, 2).int(8, 3))
        .message(5, (a) => a.string(1, 'keepdims').int(20, ATTR_INT).int(3, 0)),
    );
    g.message(1, (n) =>
      n
        .string(1, 'means')
        .string(1, 'weights')
        .string(2, 'logits')
        .string(3, 'classify')
        .string(4, 'MatMul'),
    );
    g.string(2, 'tiny-classifier');
    g.message(5, (t) => {
      t.int(1, 3).int(1, model.classes).int(2, FLOAT).string(8, 'weights');
      t.bytes(
        9,
        new Uint8Array(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength),
      );
    });
    valueInfo(g, 11, 'input', ['N', 3, 'H', 'W']);
    valueInfo(g, 12, 'logits', ['N', model.classes]);
  });
  w.message(8, (o) => o.string(1, '').int(2, 13));
  return w.finish();
}

/** What the model computes, in plain TypeScript (for tests): logits of one image [3,H,W]. */
export function tinyClassifierLogits(
  model: TinyClassifier,
  image: Float32Array,
  h: number,
  wd: number,
): Float32Array {
  const means = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = 0; i < h * wd; i++) s += image[c * h * wd + i]!;
    return s / (h * wd);
  });
  const out = new Float32Array(model.classes);
  for (let k = 0; k < model.classes; k++)
    out[k] = means.reduce((s, m, c) => s + m * model.weights[c * model.classes + k]!, 0);
  return out;
}
