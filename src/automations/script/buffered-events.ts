// The events of deps that run side by side (--parallel), shown as if they ran one after the other:
// the earliest unfinished dep's events pass through, a later one's are held and given out whole
// once every earlier dep has finished; a status line says what runs. Prints nothing itself.
import type { CmEvent, EventSink } from '../../core/events.js';
import type { CmContext } from '../context.js';

/**
 * `ctx` with events going to `emit` instead (everything else shared, getters included). Actions
 * that a hook calls through `ctx.access` still report to the original sink.
 */
export function withEmit(ctx: CmContext, emit: EventSink): CmContext {
  return Object.create(ctx, { emit: { value: emit, enumerable: true } }) as CmContext;
}

type ProgressEvent = Extract<CmEvent, { type: 'progress' }>;

export interface OrderedEvents {
  /** Where dep `i` emits. */
  sinkOf(i: number): EventSink;
  /** Dep `i` started (for the status line). */
  started(i: number): void;
  /** Dep `i` ended (or will never start): later deps' held events may now go out. */
  finished(i: number): void;
  /** Give out whatever is still held, in order, and end the status line (after a failure too). */
  close(): void;
}

export interface OrderedEventsOptions {
  /** The status line's progress id (one per dep list being run). */
  id: string;
  /** What the status line calls dep `i` (its tags). */
  label(i: number): string;
}

/**
 * Events of `count` deps into `sink` in declaration order. While two or more run, a transient
 * progress event (unit 'deps') names them; the CLI draws it on a TTY only, and redraws it after
 * each event that passes through.
 */
export function orderedEvents(
  sink: EventSink,
  count: number,
  o: OrderedEventsOptions,
): OrderedEvents {
  const held: CmEvent[][] = Array.from({ length: count }, () => []);
  const done: boolean[] = new Array<boolean>(count).fill(false);
  const running = new Set<number>();
  let head = 0;
  let finishedCount = 0;
  let statusShown = false;
  let status: ProgressEvent | undefined;

  const drawStatus = (): void => {
    if (status) sink(status);
  };
  const statusEvent = (): ProgressEvent => ({
    type: 'progress',
    id: o.id,
    label: `running ${[...running]
      .sort((a, b) => a - b)
      .map(o.label)
      .join(', ')}`,
    done: finishedCount,
    total: count,
    unit: 'deps',
    transient: true,
  });
  const updateStatus = (): void => {
    const busy = running.size >= 2 || held.some((h) => h.length > 0);
    if (!busy) {
      if (statusShown) sink({ ...statusEvent(), finished: true });
      statusShown = false;
      status = undefined;
      return;
    }
    status = statusEvent();
    statusShown = true;
    drawStatus();
  };
  const pass = (e: CmEvent): void => {
    sink(e);
    if (statusShown && e.type !== 'progress') drawStatus();
  };
  const advance = (): void => {
    while (head < count && done[head]) {
      head++;
      if (head < count) for (const e of held[head]!.splice(0)) pass(e);
    }
  };
  return {
    sinkOf: (i) => (e) => {
      // A later dep's events wait, also once it has finished, until every earlier one has.
      // Of a held dep's progress bars only the final lines are kept (a replayed bar says nothing).
      if (i <= head) pass(e);
      else if (e.type !== 'progress' || e.finished) held[i]!.push(e);
    },
    started(i) {
      running.add(i);
      updateStatus();
    },
    finished(i) {
      if (done[i]) return;
      done[i] = true;
      finishedCount++;
      running.delete(i);
      advance();
      updateStatus();
    },
    close() {
      for (let i = 0; i < count; i++) done[i] = true;
      running.clear();
      for (const h of held) for (const e of h.splice(0)) pass(e);
      head = count;
      updateStatus();
    },
  };
}
