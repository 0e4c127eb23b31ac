// The runners that infer batches for the SUT: one session on the main thread (workers = 0), or K
// worker threads each with its own session. onnxruntime-node's session.run blocks the thread it
// runs on, so only worker threads keep LoadGen's event loop free (issue times, completion stamps)
// and let K batches run at once.
import { Worker } from 'node:worker_threads';
import { CmError, type CmErrorCode } from '../../core/errors.js';
import { openClassifier, type ClassifierInfo, type SessionSettings } from './ort-classifier.js';

/** Something that classifies one batch at a time (the SUT never gives one two batches at once). */
export interface BatchRunner {
  /** Takes ownership of `batch` (a worker thread receives its buffer). */
  classify(batch: Float32Array, dims: readonly number[]): Promise<Int32Array>;
  /**
   * The buffer of the last batch once classified, to fill with the next one (a fresh 19 MB
   * buffer a batch of 32 costs page faults and zeroing); each buffer is handed out once.
   */
  takeSpare?(): Float32Array | undefined;
}

export interface InferenceEngine {
  readonly info: ClassifierInfo;
  readonly runners: readonly BatchRunner[];
  close(): Promise<void>;
}

/** Main thread → worker. */
export interface BatchRequest {
  id: number;
  batch: Float32Array;
  dims: readonly number[];
}

/** Worker → main thread, once per request. */
export type BatchReply =
  | { id: number; classes: Int32Array; batch: Float32Array }
  | { id: number; error: string; batch: Float32Array };

/** Worker → main thread, once, when its session is open (or could not be opened). */
export type WorkerReady =
  | { info: ClassifierInfo }
  | { error: { code?: CmErrorCode; message: string; hint?: string | undefined } };

interface Pending {
  resolve: (classes: Int32Array) => void;
  reject: (e: Error) => void;
}

class WorkerRunner implements BatchRunner {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #exited: Error | undefined;
  #spare: Float32Array | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: BatchReply | WorkerReady) => {
      if (!('id' in m)) return;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      this.#spare = new Float32Array(m.batch.buffer);
      if ('classes' in m) p?.resolve(m.classes);
      else p?.reject(new Error(m.error));
    });
    worker.on('exit', (code) => this.#fail(new Error(`the inference worker exited (${code})`)));
    worker.on('error', (e) => this.#fail(e));
  }

  #fail(e: Error): void {
    this.#exited ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  classify(batch: Float32Array, dims: readonly number[]): Promise<Int32Array> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: BatchRequest = { id, batch, dims };
      this.#worker.postMessage(request, [batch.buffer as ArrayBuffer]);
    });
  }

  takeSpare(): Float32Array | undefined {
    const spare = this.#spare;
    this.#spare = undefined;
    return spare;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** Resolves once the worker's session is open: its model info, or the CmError it met. */
function workerReady(worker: Worker): Promise<ClassifierInfo> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerReady | BatchReply): void => {
      if ('id' in m) return;
      worker.off('message', onMessage);
      if ('info' in m) resolve(m.info);
      else
        reject(
          m.error.code === undefined
            ? new Error(m.error.message)
            : new CmError(m.error.code, m.error.message, { hint: m.error.hint }),
        );
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the inference worker exited (${code})`)));
  });
}

async function startWorkers(settings: SessionSettings, count: number): Promise<InferenceEngine> {
  const url = new URL('./inference-worker.js', import.meta.url);
  const workers = Array.from({ length: count }, () => new Worker(url, { workerData: settings }));
  const runners = workers.map((w) => new WorkerRunner(w));
  const close = async (): Promise<void> => {
    await Promise.all(runners.map((r) => r.terminate()));
  };
  const ready = await Promise.allSettled(workers.map(workerReady));
  const failed = ready.find((r) => r.status === 'rejected');
  if (failed !== undefined || ready[0] === undefined) {
    await close();
    throw failed?.reason ?? new Error('no inference worker was started');
  }
  return { info: (ready[0] as PromiseFulfilledResult<ClassifierInfo>).value, runners, close };
}

/** `workers` = 0: one session on this thread; K > 0: K worker threads, a session each. */
export async function startInferenceEngine(
  settings: SessionSettings,
  workers: number,
): Promise<InferenceEngine> {
  if (workers > 0) return startWorkers(settings, workers);
  const classifier = await openClassifier(settings);
  let spare: Float32Array | undefined;
  const runner: BatchRunner = {
    async classify(batch, dims) {
      const classes = await classifier.classify(batch, dims);
      spare = batch;
      return classes;
    },
    takeSpare() {
      const s = spare;
      spare = undefined;
      return s;
    },
  };
  return { info: classifier.info, runners: [runner], close: () => classifier.close() };
}
