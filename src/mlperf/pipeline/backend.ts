// The inference backend's version, as the SUT name and systems/<system>.json quote it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The installed onnxruntime-node's version (e.g. "1.31.1"). */
export function onnxruntimeVersion(): string {
  const require = createRequire(import.meta.url);
  const file = require.resolve('onnxruntime-node/package.json');
  return String((JSON.parse(readFileSync(file, 'utf8')) as { version: unknown }).version);
}
