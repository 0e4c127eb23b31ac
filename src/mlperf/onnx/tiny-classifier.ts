// A tiny image-classification model as an ONNX file, built from TypeScript (no ONNX tooling, no
// download): the mean of each channel of a float32 [N,3,H,W] input (ReduceMean over H and W), a
// [3, classes] weight matrix (MatMul) giving logits [N, classes]. Tests and CI run the MLPerf
// pipeline with it where no real model can be fetched. Two layouts: the plain one (`input` →
// `logits`) and one named and shaped as resnet50_v1.onnx is (tinyResnet50Onnx).
import { ProtoWriter } from './protobuf-writer.js';

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** The names MLPerf's resnet50_v1.onnx uses for its input and outputs. */
export const RESNET50_INPUT = 'input_tensor:0';
export const RESNET50_ARGMAX = 'ArgMax:0';
export const RESNET50_SOFTMAX = 'softmax_tensor:0';
/** resnet50_v1.onnx scores 1001 classes: 0 is "background", 1..1000 the ImageNet labels 0..999. */
export const RESNET50_CLASSES = 1001;

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

interface Attribute {
  name: string;
  ints: number[];
}

interface Node {
  op: string;
  inputs: string[];
  output: string;
  attributes?: Attribute[];
}

interface Value {
  name: string;
  elemType: number;
  dims: Array<number | string>;
}

function valueInfo(w: ProtoWriter, field: number, v: Value): void {
  w.message(field, (vi) =>
    vi.string(1, v.name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, v.elemType).message(2, (shape) => {
          for (const d of v.dims)
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    ),
  );
}

function node(g: ProtoWriter, n: Node): void {
  g.message(1, (w) => {
    for (const input of n.inputs) w.string(1, input);
    w.string(2, n.output).string(3, n.output.replace(/:0$/, '')).string(4, n.op);
    for (const a of n.attributes ?? [])
      w.message(5, (attr) => {
        attr.string(1, a.name);
        // A single int is an INT attribute (field 3), several are INTS (field 8).
        if (a.ints.length === 1) {
          attr.int(20, ATTR_INT).int(3, a.ints[0]!);
          return;
        }
        attr.int(20, ATTR_INTS);
        for (const v of a.ints) attr.int(8, v);
      });
  });
}

/** The model file's bytes (ONNX IR 8, opset 13) for a graph of `nodes` over the weights. */
function modelBytes(
  model: TinyClassifier,
  nodes: Node[],
  input: string,
  outputs: Value[],
): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8);
  w.string(2, 'collective-mind');
  w.message(7, (g) => {
    for (const n of nodes) node(g, n);
    g.string(2, 'tiny-classifier');
    g.message(5, (t) => {
      t.int(1, 3).int(1, model.classes).int(2, FLOAT).string(8, 'weights');
      t.bytes(
        9,
        new Uint8Array(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength),
      );
    });
    valueInfo(g, 11, { name: input, elemType: FLOAT, dims: ['N', 3, 'H', 'W'] });
    for (const o of outputs) valueInfo(g, 12, o);
  });
  w.message(8, (o) => o.string(1, '').int(2, 13));
  return w.finish();
}

/** The logits part: channel means of `input`, times the weights, into `logits`. */
function logitsNodes(input: string, logits: string): Node[] {
  return [
    {
      op: 'ReduceMean',
      inputs: [input],
      output: 'means',
      attributes: [
        { name: 'axes', ints: [2, 3] },
        { name: 'keepdims', ints: [0] },
      ],
    },
    { op: 'MatMul', inputs: ['means', 'weights'], output: logits },
  ];
}

/** The plain layout: input `input` float32 [N,3,H,W], output `logits` float32 [N, classes]. */
export function tinyClassifierOnnx(model: TinyClassifier): Uint8Array {
  return modelBytes(model, logitsNodes('input', 'logits'), 'input', [
    { name: 'logits', elemType: FLOAT, dims: ['N', model.classes] },
  ]);
}

/**
 * The layout of resnet50_v1.onnx: input `input_tensor:0` float32 [N,3,H,W]; outputs `ArgMax:0`
 * int64 [N] (the best class, first on ties) and `softmax_tensor:0` float32 [N, classes]. Give it
 * 1001 classes (the default) to score as resnet50 does, class 0 standing for "background".
 */
export function tinyResnet50Onnx(
  model: TinyClassifier = tinyClassifierWeights(RESNET50_CLASSES),
): Uint8Array {
  const nodes: Node[] = [
    ...logitsNodes(RESNET50_INPUT, 'logits'),
    {
      op: 'ArgMax',
      inputs: ['logits'],
      output: RESNET50_ARGMAX,
      attributes: [
        { name: 'axis', ints: [1] },
        { name: 'keepdims', ints: [0] },
      ],
    },
    {
      op: 'Softmax',
      inputs: ['logits'],
      output: RESNET50_SOFTMAX,
      attributes: [{ name: 'axis', ints: [1] }],
    },
  ];
  return modelBytes(model, nodes, RESNET50_INPUT, [
    { name: RESNET50_ARGMAX, elemType: INT64, dims: ['N'] },
    { name: RESNET50_SOFTMAX, elemType: FLOAT, dims: ['N', model.classes] },
  ]);
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

/** The class the model picks for one image [3,H,W] (the first of equal logits, as ArgMax). */
export function tinyClassifierPredict(
  model: TinyClassifier,
  image: Float32Array,
  h: number,
  wd: number,
): number {
  const logits = tinyClassifierLogits(model, image, h, wd);
  let best = 0;
  for (let k = 1; k < logits.length; k++) if (logits[k]! > logits[best]!) best = k;
  return best;
}
