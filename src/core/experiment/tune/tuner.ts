// The ask/tell contract between a tuning strategy and the runner that executes its points (the
// runner decides when and how many run at once), and the bookkeeping every strategy shares:
// which points were proposed, which still await a result, and the results told so far.
import type { Goal } from '../objectives.js';
import { keyOf, type Point } from './search-space.js';

/**
 * A result key the tuner optimises, smaller (min) or larger (max) being better. The experiment's
 * Objective (parseObjectives in ../objectives.ts) is one; the tuner does not use its tolerance.
 */
export interface TuneObjective {
  readonly key: string;
  readonly goal: Goal;
}

/** Objective values in objective order; undefined for a failed point. */
export type Values = readonly number[] | undefined;

/** How a tuner chooses its points. */
export type TuneStrategy = 'exhaustive' | 'random' | 'evolution';

/** A strategy asked for points and told their results, one point at a time. */
export interface Tuner {
  /**
   * Up to `max` new points (never one proposed before). An empty list means: wait for outstanding
   * results, or, when `done`, stop. With no result outstanding it is empty only when `done`.
   */
  next(max: number): Point[];
  /**
   * The objective values of a point `next` proposed, in objective order; undefined (or a value that
   * is not a finite number) for a failed point, which ranks below every point that has values.
   */
  tell(point: Point, values: readonly number[] | undefined): void;
  /** True when no point will be proposed any more and every result is in. */
  readonly done: boolean;
  /** How many results were told. */
  readonly evaluations: number;
  /** The most points this tuner proposes (the budget, capped at the size of the space). */
  readonly budget: number;
}

/** A point and what was told about it. */
export interface Evaluation {
  readonly point: Point;
  readonly values: Values;
}

/** The proposed points, the outstanding ones and the evaluations, in the order they were told. */
export class TuneLedger {
  readonly #objectives: number;
  readonly #proposed = new Set<string>();
  readonly #outstanding = new Map<string, Point>();
  readonly #evaluated: Evaluation[] = [];

  constructor(objectives: number) {
    this.#objectives = objectives;
  }

  /** Whether the point with this key was proposed. */
  has(key: string): boolean {
    return this.#proposed.has(key);
  }

  /** Hands `point` out: it is outstanding until told. */
  propose(point: Point): Point {
    const key = keyOf(point);
    if (this.#proposed.has(key)) throw new Error(`point ${key} was proposed twice`);
    this.#proposed.add(key);
    this.#outstanding.set(key, point);
    return point;
  }

  /** Records the result of an outstanding point; values that are not all finite make it failed. */
  tell(point: Point, values: readonly number[] | undefined): Evaluation {
    const key = keyOf(point);
    const mine = this.#outstanding.get(key);
    if (!mine)
      throw new Error(
        this.#proposed.has(key) ? `point ${key} was told twice` : `point ${key} was never proposed`,
      );
    if (values !== undefined && values.length !== this.#objectives)
      throw new Error(
        `point ${key} was told ${values.length} values for ${this.#objectives} objectives`,
      );
    this.#outstanding.delete(key);
    const ok =
      values !== undefined && values.every((v) => typeof v === 'number' && Number.isFinite(v));
    const evaluation = { point: mine, values: ok ? [...values] : undefined };
    this.#evaluated.push(evaluation);
    return evaluation;
  }

  get proposed(): number {
    return this.#proposed.size;
  }

  get outstanding(): number {
    return this.#outstanding.size;
  }

  /** Every evaluation, in the order the results were told. */
  get evaluated(): readonly Evaluation[] {
    return this.#evaluated;
  }
}

/** Throws (a bug in the runner) unless `max` is a whole number >= 0. */
export function checkMax(max: number): void {
  if (!Number.isSafeInteger(max) || max < 0) throw new Error(`next(${max}): max must be >= 0`);
}
