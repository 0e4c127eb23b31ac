// The evolution strategy: a generational genetic algorithm over dimension indexes (binary
// tournament, uniform crossover, per-gene mutation, elitist NSGA-II survival by Pareto front and
// crowding), which never proposes a point twice and diversifies a population that stops improving.
import { layersOf, rankOrder } from './ranking.js';
import { createRandom, type Random } from './random.js';
import {
  dimensionSize,
  keyOf,
  pointAt,
  pointOf,
  size,
  type Point,
  type SearchSpace,
} from './search-space.js';
import { checkMax, TuneLedger, type Evaluation, type TuneObjective, type Tuner } from './tuner.js';

/** The population size for a budget: about 2·√budget, between 4 and 32. */
export function populationFor(budget: number): number {
  return Math.min(32, Math.max(4, Math.round(2 * Math.sqrt(budget))));
}

/** Generations in a row without a new non-dominated point before the population is diversified. */
const STALL_LIMIT = 3;
/** Probability that two parents are crossed (else the child starts as a copy of the first). */
const CROSSOVER_RATE = 0.9;
/** Tries to mutate a child into an unseen point before falling back to a random point. */
const MUTATION_TRIES = 16;

interface EvolutionOptions {
  space: SearchSpace;
  budget: number;
  seed: number;
  objectives: readonly TuneObjective[];
}

/** A tuner that evolves a population of points of `space` for at most `budget` evaluations. */
export function createEvolutionTuner(options: EvolutionOptions): Tuner {
  const { space, budget, objectives } = options;
  const ledger = new TuneLedger(objectives.length);
  const breeder = new Breeder(space, createRandom(options.seed), ledger);
  const capacity = populationFor(budget);
  const pending: Point[] = [];
  let population: Evaluation[] = [];
  /** The non-dominated evaluations so far: a new point is an improvement unless one of them weakly dominates it. */
  let archive: Evaluation[] = [];
  let merged = 0;
  let stalled = 0;

  /** The next batch: the first population, or children of the survivors of the last batch. */
  const breed = (): void => {
    const count = Math.min(capacity, budget - ledger.proposed);
    const batch = ledger.evaluated.slice(merged);
    const improved = batch.some(isImprovement);
    merged = ledger.evaluated.length;
    archive = [...archive, ...batch.filter(isImprovement)];
    const layers = layersOf(
      archive.map((e) => e.values),
      objectives,
    );
    archive = archive.filter((_, i) => layers[i] === 1);
    population = survivors([...population, ...batch], capacity, objectives);
    stalled = improved ? 0 : stalled + 1;
    if (population.length === 0) {
      pending.push(...breeder.randomPoints(count));
    } else if (stalled >= STALL_LIMIT) {
      // Converged: keep the elite, and explore around it and anywhere else in the space.
      stalled = 0;
      population = population.slice(0, Math.max(1, Math.floor(capacity / 4)));
      const nearElite = Math.floor(count / 2);
      pending.push(...breeder.children(population, nearElite, 'restart'));
      pending.push(...breeder.randomPoints(count - nearElite));
    } else {
      pending.push(...breeder.children(population, count, 'normal'));
    }
  };

  const isImprovement = (e: Evaluation): boolean =>
    e.values !== undefined &&
    !archive.some((a) => weaklyDominates(a.values!, e.values!, objectives));

  return {
    next(max) {
      checkMax(max);
      const points: Point[] = [];
      while (points.length < max) {
        if (pending.length === 0) {
          if (ledger.outstanding > 0 || ledger.proposed >= budget) break;
          breed();
          if (pending.length === 0) break;
        }
        const point = pending.shift()!;
        breeder.release(point);
        points.push(ledger.propose(point));
      }
      return points;
    },
    tell(point, values) {
      ledger.tell(point, values);
    },
    get done() {
      return ledger.proposed >= budget && ledger.outstanding === 0;
    },
    get evaluations() {
      return ledger.evaluated.length;
    },
    budget,
  };
}

/** The best `capacity` of `pool`, best first (Pareto front, then crowding distance, then age). */
function survivors(
  pool: readonly Evaluation[],
  capacity: number,
  objectives: readonly TuneObjective[],
): Evaluation[] {
  const order = rankOrder(
    pool.map((e) => e.values),
    objectives,
  );
  return order.slice(0, capacity).map((i) => pool[i]!);
}

/** Whether `a` is no worse than `b` in every objective (equal values included). */
function weaklyDominates(
  a: readonly number[],
  b: readonly number[],
  objectives: readonly TuneObjective[],
): boolean {
  return objectives.every((o, i) => (o.goal === 'min' ? a[i]! <= b[i]! : a[i]! >= b[i]!));
}

/** Makes new points (unseen, distinct) from a ranked population, with one random stream. */
class Breeder {
  readonly #space: SearchSpace;
  readonly #random: Random;
  readonly #ledger: TuneLedger;
  readonly #sizes: number[];
  readonly #total: number;
  /** Keys of points made but not yet proposed. */
  readonly #reserved = new Set<string>();

  constructor(space: SearchSpace, random: Random, ledger: TuneLedger) {
    this.#space = space;
    this.#random = random;
    this.#ledger = ledger;
    this.#sizes = space.dimensions.map(dimensionSize);
    this.#total = size(space);
  }

  /** The point leaves the reserve as the ledger takes it. */
  release(point: Point): void {
    this.#reserved.delete(keyOf(point));
  }

  /** Up to `count` new points drawn uniformly from the unseen ones. */
  randomPoints(count: number): Point[] {
    const points: Point[] = [];
    for (let k = 0; k < count; k++) {
      const point = this.#randomUnseen();
      if (!point) break;
      points.push(this.#reserve(point));
    }
    return points;
  }

  /**
   * Up to `count` children of `population` (best first). After a restart the children are
   * mutants of the elite, with more genes changed, rather than crosses.
   */
  children(population: readonly Evaluation[], count: number, mode: 'normal' | 'restart'): Point[] {
    const points: Point[] = [];
    for (let k = 0; k < count; k++) {
      const first = this.#tournament(population);
      const second = this.#tournament(population);
      const cross = mode === 'normal' && this.#random.float() < CROSSOVER_RATE;
      const start = cross ? this.#crossover(first, second) : [...first];
      const child = this.#mutateUnseen(start, mode === 'restart' ? 2 : 1) ?? this.#randomUnseen();
      if (!child) break;
      points.push(this.#reserve(child));
    }
    return points;
  }

  #reserve(point: Point): Point {
    this.#reserved.add(keyOf(point));
    return point;
  }

  #isTaken(point: Point): boolean {
    const key = keyOf(point);
    return this.#ledger.has(key) || this.#reserved.has(key);
  }

  /** The better of two random members (the population is ranked: the lower index wins). */
  #tournament(population: readonly Evaluation[]): readonly number[] {
    const a = this.#random.below(population.length);
    const b = this.#random.below(population.length);
    return population[Math.min(a, b)]!.point.coords;
  }

  /** Each gene from either parent with equal chance. */
  #crossover(a: readonly number[], b: readonly number[]): number[] {
    return a.map((gene, i) => (this.#random.float() < 0.5 ? gene : b[i]!));
  }

  /**
   * `genes` with each gene mutated with probability rate/dimensions (at least one gene changes),
   * retried until the point is unseen; undefined when every try was seen.
   */
  #mutateUnseen(genes: readonly number[], rate: number): Point | undefined {
    const n = genes.length;
    for (let t = 0; t < MUTATION_TRIES; t++) {
      const child = [...genes];
      // Later tries change more genes, to get away from a well-explored neighbourhood.
      const p = Math.min(1, (rate + t / 4) / n);
      let changed = false;
      for (let i = 0; i < n; i++)
        if (this.#random.float() < p && this.#mutateGene(child, i)) changed = true;
      if (!changed) this.#mutateGene(child, this.#random.below(n));
      const point = pointOf(this.#space, child);
      if (!this.#isTaken(point)) return point;
    }
    return undefined;
  }

  /**
   * Changes gene i to another index: a neighbour half of the time in a range (whose order means
   * something), else any other index. False when the dimension has a single value.
   */
  #mutateGene(genes: number[], i: number): boolean {
    const n = this.#sizes[i]!;
    if (n < 2) return false;
    const dimension = this.#space.dimensions[i]!;
    const current = genes[i]!;
    if (dimension.kind === 'range' && n > 2 && this.#random.float() < 0.5) {
      const up = current === 0 ? true : current === n - 1 ? false : this.#random.float() < 0.5;
      genes[i] = up ? current + 1 : current - 1;
    } else {
      const other = this.#random.below(n - 1);
      genes[i] = other >= current ? other + 1 : other;
    }
    return true;
  }

  /** A uniformly drawn point not proposed nor reserved, scanning on when draws keep hitting taken ones. */
  #randomUnseen(): Point | undefined {
    for (let t = 0; t < 32; t++) {
      const point = pointAt(this.#space, this.#random.below(this.#total));
      if (!this.#isTaken(point)) return point;
    }
    const start = this.#random.below(this.#total);
    for (let k = 0; k < this.#total; k++) {
      const point = pointAt(this.#space, (start + k) % this.#total);
      if (!this.#isTaken(point)) return point;
    }
    return undefined;
  }
}
