// One onnxruntime-node session of an image classifier: opened from a model file with the harness's
// options, told which input takes the images and how a class is read from the outputs (`ArgMax:0`
// when the model has it, as resnet50_v1.onnx, else the argmax of the first output's last axis).
// Runs where it is created: session.run blocks the thread it is called on (onnxruntime-node 1.31).
import { existsSync } from 'node:fs';
import type * as Ort from 'onnxruntime-node';
import { CmError } from '../../core/errors.js';

/** Where inference runs: onnxruntime's CPU or CUDA execution provider. */
export type Device = 'cpu' | 'cuda';

export const DEVICES: readonly Device[] = ['cpu', 'cuda'];

export interface SessionSettings {
  modelPath: string;
  /** onnxruntime's intra-op threads of this session. */
  threads: number;
  device: Device;
}

/** The model as the harness uses it. */
export interface ClassifierInfo {
  /** The input that takes the images. */
  input: string;
  /** Its shape as the model declares it (names for dynamic axes). */
  inputShape: Array<number | string>;
  /** The output the class is read from. */
  output: string;
  /** True when `output` holds class indices (ArgMax:0); else the class is the argmax of its last axis. */
  isArgMax: boolean;
}

export interface Classifier {
  readonly info: ClassifierInfo;
  /** The class index of each image of a batch [N, ...]: `N` integers. */
  classify(batch: Float32Array, dims: readonly number[]): Promise<Int32Array>;
  close(): Promise<void>;
}

/** resnet50_v1.onnx's names (the reference's resnet50-onnxruntime profile). */
const RESNET50_INPUT = 'input_tensor:0';
const RESNET50_ARGMAX = 'ArgMax:0';

const CUDA_HINT =
  'install the CUDA binaries of onnxruntime-node (npm rebuild onnxruntime-node ' +
  '--onnxruntime-node-install=cuda12; CUDA 12 and cuDNN 9 needed), or use --device cpu';

async function importOrt(): Promise<typeof Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (e) {
    throw new CmError('bad-input', `onnxruntime-node cannot be loaded: ${(e as Error).message}`, {
      hint: 'npm install onnxruntime-node (a prebuilt binary exists for linux, macOS and windows)',
      cause: e,
    });
  }
}

function sessionOptions(ort: typeof Ort, s: SessionSettings): Ort.InferenceSession.SessionOptions {
  if (s.device === 'cuda' && !ort.listSupportedBackends().some((b) => b.name === 'cuda'))
    throw new CmError(
      'bad-input',
      '--device cuda: this build of onnxruntime-node has no CUDA execution provider',
      { hint: CUDA_HINT },
    );
  return { intraOpNumThreads: s.threads, executionProviders: [s.device] };
}

async function createSession(ort: typeof Ort, s: SessionSettings): Promise<Ort.InferenceSession> {
  const options = sessionOptions(ort, s);
  try {
    return await ort.InferenceSession.create(s.modelPath, options);
  } catch (e) {
    const said = (e as Error).message.trim();
    if (!existsSync(s.modelPath))
      throw new CmError('file-not-found', `the model ${s.modelPath} does not exist (${said})`, {
        hint: 'give --model the path of an .onnx file',
        cause: e,
      });
    if (s.device === 'cuda' && /cuda/i.test(said))
      throw new CmError('bad-input', `--device cuda: onnxruntime cannot use CUDA: ${said}`, {
        hint: CUDA_HINT,
        cause: e,
      });
    throw new CmError('bad-input', `onnxruntime cannot load the model ${s.modelPath}: ${said}`, {
      hint: 'check that the file is a whole ONNX model (download it again if it is truncated)',
      cause: e,
    });
  }
}

/** Which input and output the harness uses, from the session's metadata. */
export function classifierInfo(
  modelPath: string,
  inputs: readonly Ort.InferenceSession.ValueMetadata[],
  outputNames: readonly string[],
): ClassifierInfo {
  const input =
    inputs.find((i) => i.name === RESNET50_INPUT) ?? (inputs.length === 1 ? inputs[0] : undefined);
  if (input === undefined)
    throw new CmError(
      'bad-input',
      `${modelPath}: the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); ` +
        `the harness feeds images to ${RESNET50_INPUT} or to a model's only input`,
    );
  if (!input.isTensor || input.type !== 'float32')
    throw new CmError(
      'bad-input',
      `${modelPath}: input ${input.name} takes ${input.isTensor ? input.type : 'a non-tensor'}, not float32 images`,
    );
  const isArgMax = outputNames.includes(RESNET50_ARGMAX);
  const output = isArgMax ? RESNET50_ARGMAX : outputNames[0];
  if (output === undefined) throw new CmError('bad-input', `${modelPath}: the model has no output`);
  return { input: input.name, inputShape: [...input.shape], output, isArgMax };
}

/** The class of each of `n` images from the chosen output's values (see ClassifierInfo). */
export function readClasses(
  info: ClassifierInfo,
  data: ArrayLike<number | bigint>,
  dims: readonly number[],
  n: number,
): Int32Array {
  const classes = new Int32Array(n);
  if (info.isArgMax) {
    if (data.length !== n)
      throw new CmError(
        'bad-input',
        `output ${info.output} has ${data.length} values [${dims.join(', ')}] for ${n} images`,
      );
    for (let i = 0; i < n; i++) classes[i] = Number(data[i]);
    return classes;
  }
  const width = dims.at(-1) ?? 0;
  if (width === 0 || data.length !== n * width)
    throw new CmError(
      'bad-input',
      `output ${info.output} has shape [${dims.join(', ')}]; expected ${n} rows of scores`,
    );
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < width; k++)
      if (Number(data[i * width + k]) > Number(data[i * width + best])) best = k;
    classes[i] = best;
  }
  return classes;
}

/** Opens the model (a missing or unreadable one is a CmError naming it and what onnxruntime said). */
export async function openClassifier(settings: SessionSettings): Promise<Classifier> {
  const ort = await importOrt();
  const session = await createSession(ort, settings);
  const info = classifierInfo(settings.modelPath, session.inputMetadata, session.outputNames);
  return {
    info,
    async classify(batch, dims) {
      const feeds = { [info.input]: new ort.Tensor('float32', batch, [...dims]) };
      const out = (await session.run(feeds, [info.output]))[info.output];
      if (out === undefined) throw new Error(`onnxruntime returned no ${info.output}`);
      return readClasses(info, out.data as ArrayLike<number | bigint>, out.dims, dims[0] ?? 0);
    },
    close: () => session.release(),
  };
}
