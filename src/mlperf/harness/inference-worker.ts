// The body of one inference worker thread: it opens its own session of the model (a session
// cannot be shared between threads in Node) and classifies the batches the main thread posts.
// The protocol is inference-engine.ts's; this file only runs inside a Worker.
import { parentPort, workerData } from 'node:worker_threads';
import { isCmError } from '../../core/errors.js';
import type { BatchReply, BatchRequest, WorkerReady } from './inference-engine.js';
import { openClassifier, type SessionSettings } from './ort-classifier.js';

const port = parentPort;
if (port === null) throw new Error('inference-worker.js runs in a worker thread only');

try {
  const classifier = await openClassifier(workerData as SessionSettings);
  port.on('message', (m: BatchRequest) => {
    // The batch's buffer goes back too, for the main thread to fill again.
    const back = [m.batch.buffer as ArrayBuffer];
    classifier.classify(m.batch, m.dims).then(
      (classes) =>
        port.postMessage({ id: m.id, classes, batch: m.batch } satisfies BatchReply, [
          classes.buffer as ArrayBuffer,
          ...back,
        ]),
      (e: unknown) =>
        port.postMessage(
          { id: m.id, error: (e as Error).message, batch: m.batch } satisfies BatchReply,
          back,
        ),
    );
  });
  port.postMessage({ info: classifier.info } satisfies WorkerReady);
} catch (e) {
  const error = isCmError(e)
    ? { code: e.code, message: e.message, hint: e.hint }
    : { message: (e as Error).message };
  port.postMessage({ error } satisfies WorkerReady);
}
