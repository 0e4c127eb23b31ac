// Before a timed series: a full garbage collection, so that the collection the query generation's
// garbage would soon need does not pause the first milliseconds of the run (a pause there is issue
// delay in Server and latency everywhere). Node exposes the collector only behind a V8 flag, set
// here for this process; where that fails, nothing is done.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function settleHeap(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
