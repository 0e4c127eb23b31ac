// Progress events of one long task (a download, an extraction): at most one every 200 ms while it
// runs, and one when it ends. The CLI draws them as a bar on a TTY.
import type { EventSink } from '../../core/events.js';

export interface ProgressTask {
  /** `n` more units done; an event goes out when 200 ms passed since the last one. */
  add(n: number): void;
  /** The task ended: the final event. */
  finish(): void;
}

/** `from`: units already done before this task started (the resumed part of a download). */
export function progressTask(
  emit: EventSink,
  o: { id: string; label: string; total?: number | undefined; from?: number },
): ProgressTask {
  const from = o.from ?? 0;
  const t0 = Date.now();
  let done = from;
  let last = 0;
  const send = (finished: boolean): void =>
    emit({
      type: 'progress',
      id: o.id,
      label: o.label,
      done,
      total: o.total,
      rate: ((done - from) * 1000) / Math.max(1, Date.now() - t0),
      finished,
    });
  return {
    add(n) {
      done += n;
      const now = Date.now();
      if (now - last >= 200) {
        last = now;
        send(false);
      }
    },
    finish: () => send(true),
  };
}
