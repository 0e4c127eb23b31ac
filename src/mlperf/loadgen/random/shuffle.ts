// std::shuffle as libstdc++ implements it: two positions per engine draw for lists short enough
// that the product of two range sizes fits the engine, forward Fisher-Yates otherwise.

import { Mt19937 } from './mt19937.js';
import { uniformInt } from './uniform-int.js';

const ENGINE_RANGE = Mt19937.max - Mt19937.min;

/** Shuffles `list` in place (and returns it), consuming engine draws exactly as libstdc++ does. */
export function shuffle<T>(list: T[], rng: Mt19937): T[] {
  const length = list.length;
  if (length === 0) return list;
  if (Math.floor(ENGINE_RANGE / length) >= length) {
    shuffleInPairs(list, rng);
  } else {
    for (let i = 1; i < length; i++) swap(list, i, uniformInt(rng, 0, i));
  }
  return list;
}

/** Short lists: one draw in [0, R(R+1) - 1] picks the partners of positions i and i+1 (R = i+1). */
function shuffleInPairs<T>(list: T[], rng: Mt19937): void {
  const length = list.length;
  let i = 1;
  if (length % 2 === 0) {
    swap(list, i, uniformInt(rng, 0, 1));
    i = 2;
  }
  while (i < length) {
    const range = i + 1;
    const x = uniformInt(rng, 0, range * (range + 1) - 1);
    swap(list, i, Math.floor(x / (range + 1)));
    swap(list, i + 1, x % (range + 1));
    i += 2;
  }
}

function swap<T>(list: T[], i: number, j: number): void {
  const held = list[i] as T;
  list[i] = list[j] as T;
  list[j] = held;
}
