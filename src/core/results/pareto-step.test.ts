import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDerivations, compileFilter, parseDerivations } from '../expr/index.js';
import { paretoFront } from '../experiment/pareto.js';
import { parseObjectives } from '../experiment/objectives.js';
import { MLPERF, ids, row } from './fixture-rows.js';
import { runQuery } from './query.js';
import type { QueryRequest } from './types.js';

test('the Pareto frontier of Result:max,Result_Power:min is the one paretoFront finds', () => {
  const out = runQuery(MLPERF, {
    pareto: {
      objectives: [
        { key: 'Result', goal: 'max' },
        { key: 'Result_Power', goal: 'min' },
      ],
    },
  });
  const front = paretoFront(MLPERF, parseObjectives('Result:max,Result_Power:min'));
  const expected = MLPERF.filter((_, i) => front.onFrontier[i]).map((r) => r._id);
  assert.deepEqual(out.frontier, expected);
  assert.deepEqual(expected, ['e1/d1/r2', 'e1/d1/r3', 'e1/d1/r5']);
  for (const [i, r] of out.rows.entries()) {
    assert.equal(r['_rank'], front.rank[i]);
    assert.equal(r['_frontier'], front.onFrontier[i] ? 1 : undefined);
  }
});

test('the query gives the answers of cm show experiment --derive --where --pareto', () => {
  const derive = 'eff = Result / Result_Power';
  const where = 'Accuracy > 70';
  const shown = applyDerivations(MLPERF, parseDerivations(derive)).rows.filter(
    compileFilter(where),
  );
  const front = paretoFront(shown, parseObjectives('eff:max,Accuracy:max'));
  const out = runQuery(MLPERF, {
    derived: derive,
    filter: where,
    pareto: {
      objectives: [
        { key: 'eff', goal: 'max' },
        { key: 'Accuracy', goal: 'max' },
      ],
      only: true,
    },
  });
  assert.deepEqual(
    out.rows.map((r) => r._id),
    shown.filter((_, i) => front.onFrontier[i]).map((r) => r['_id']),
  );
});

test('a row missing an objective is excluded from the frontier, counted, and given no rank', () => {
  const rows = [
    row('a', { time: 1, acc: 0.5 }),
    row('b', { time: 2, acc: 0.9 }),
    row('c', { time: 3 }),
    row('d', { time: 3, acc: 0.4 }),
  ];
  const out = runQuery(rows, {
    pareto: {
      objectives: [
        { key: 'time', goal: 'min' },
        { key: 'acc', goal: 'max' },
      ],
    },
  });
  assert.equal(out.excluded.paretoMissing, 1);
  assert.deepEqual(
    out.rows.map((r) => [r.uid, r['_frontier'], r['_rank']]),
    [
      ['a', 1, 1],
      ['b', 1, 1],
      ['c', undefined, undefined],
      ['d', undefined, 2],
    ],
  );
});

test('Pareto runs on rows passing the constraints; "only" keeps frontier rows', () => {
  const req: QueryRequest = {
    constraints: [{ expr: 'Result_Power <= 300' }],
    showViolating: true,
    pareto: {
      objectives: [
        { key: 'Result', goal: 'max' },
        { key: 'Result_Power', goal: 'min' },
      ],
    },
  };
  const out = runQuery(MLPERF, req);
  // r5 (2000, 400) is on the frontier of all rows, but violates the constraint.
  assert.deepEqual(out.frontier, ['e1/d1/r2', 'e1/d1/r3']);
  const violator = out.rows.find((r) => r.uid === 'r5')!;
  assert.deepEqual([violator['_violates'], violator['_rank']], [true, undefined]);
  const only = runQuery(MLPERF, { ...req, pareto: { ...req.pareto!, only: true } });
  assert.deepEqual(ids(only.rows), ['r2', 'r3']);
});

test('bad Pareto objectives are reported and no frontier is computed', () => {
  const cases: unknown[] = [[], [{ key: 'Result', goal: 'up' }], [{ goal: 'max' }]];
  for (const objectives of cases) {
    const out = runQuery(MLPERF, { pareto: { objectives } as never });
    assert.deepEqual(
      out.errors.map((e) => e.part),
      ['pareto'],
    );
    assert.deepEqual(out.frontier, []);
    assert.equal(out.rows[0]!['_rank'], undefined);
  }
});
