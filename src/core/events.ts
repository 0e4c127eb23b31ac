// Typed events that library code emits instead of printing; the CLI reporter renders them.
import type { SecretMask } from './secrets.js';

export type CmEvent =
  /** Data meant for stdout (paths found, a loaded meta): suppressed with --json/--out. */
  | { type: 'output'; text: string }
  /** A human message about progress or a result (stderr). */
  | { type: 'info'; text: string }
  /** Why a result is what it is (a search that found nothing), for the person who asked (stderr).
   *  Like output, dropped for actions called from other actions: their caller reads the data. */
  | { type: 'note'; text: string }
  | { type: 'warning'; text: string }
  /** Output of a child process CM runs (git ...), passed through. */
  | { type: 'process-output'; stream: 'stdout' | 'stderr'; text: string }
  /** How far a long task (a download, an extraction, deps run side by side) is: `done` of
   *  `total` units (bytes, entries, deps) at `rate` units/s; the CLI draws a bar on a TTY and
   *  nothing otherwise. */
  | {
      type: 'progress';
      id: string;
      label: string;
      done: number;
      total?: number | undefined;
      rate?: number;
      unit?: 'bytes' | 'files' | 'deps';
      finished?: boolean;
      /** A status line (what runs now): erased, not left on screen, when other output comes. */
      transient?: boolean;
    }
  /** Verbose diagnostics, namespaced (CM_DEBUG=db,repo). */
  | { type: 'debug'; namespace: string; text: string };

export type EventSink = (event: CmEvent) => void;

/** A sink that drops everything: the default for library use. */
export const silentSink: EventSink = () => {};

/** The event with its text (and a progress label) passed through the mask of secrets. */
export function maskEvent(e: CmEvent, mask: SecretMask): CmEvent {
  switch (e.type) {
    case 'output':
    case 'info':
    case 'note':
    case 'warning':
    case 'process-output':
    case 'debug':
      return { ...e, text: mask.text(e.text) };
    case 'progress':
      return { ...e, label: mask.text(e.label) };
    default: {
      const never: never = e;
      return never;
    }
  }
}
