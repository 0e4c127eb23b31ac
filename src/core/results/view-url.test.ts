import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guessGoal } from './guess-goal.js';
import { paramsOfView, queryOfView, viewFromParams } from './view-url.js';
import type { ViewState } from './types.js';

const FULL: ViewState = {
  selection: {
    tags: ['mlperf', 'demo'],
    experiments: ['mlperf-demo', '0123456789abcdef'],
    runs: ['e/2026-01-01.00-00-00.000001'],
    resultUid: 'abc',
  },
  type: 'parallel',
  x: 'Result',
  xLog: true,
  y: 'Accuracy',
  yLog: true,
  color: 'version',
  symbol: 'Model',
  size: 'Result_Power',
  title: 'Perf & power: 100% "real"',
  derived: "eff = Result / Result_Power\nresult['x'] = eff * 2",
  filter: "Accuracy > 75 and 'llama' in Model",
  constraints: ['Result_Power <= 100', 'acc >= 0.5'],
  showViolating: true,
  pareto: {
    objectives: [
      { key: 'Result', goal: 'max' },
      { key: 'Result_Power', goal: 'min' },
    ],
    only: true,
  },
  group: ['A', 'B'],
  agg: 'median',
  sort: [{ key: 'time' }, { key: 'acc', desc: true }],
  columns: ['Model', 'Result'],
  onlyChanged: true,
  axes: ['A', 'B', 'time', 'acc'],
  search: 'bert',
};

test('a full view survives the URL round trip exactly, in a fixed parameter order', () => {
  const params = paramsOfView(FULL);
  assert.deepEqual(viewFromParams(new URLSearchParams(params.toString())), FULL);
  assert.deepEqual(
    [...params.keys()],
    [
      'tags',
      'name',
      'runs',
      'result_uid',
      'type',
      'x',
      'xlog',
      'y',
      'ylog',
      'c',
      's',
      'size',
      'title',
      'derived_metrics',
      'filter',
      'constraint',
      'constraint',
      'greyed',
      'pareto',
      'frontier_only',
      'group',
      'agg',
      'sort',
      'cols',
      'only_changed',
      'axes',
      'q',
    ],
  );
  assert.equal(params.get('pareto'), 'Result:max,Result_Power:min');
  assert.equal(params.get('sort'), 'time,-acc');
  assert.equal(paramsOfView(viewFromParams(params)).toString(), params.toString());
});

test('defaults and empty values are left out of the URL', () => {
  const view: ViewState = { selection: { tags: [] }, type: 'scatter', constraints: [''], x: '' };
  assert.equal(paramsOfView(view).toString(), '');
  assert.deepEqual(viewFromParams(new URLSearchParams('')), {
    selection: {},
    type: 'scatter',
    constraints: [],
  });
});

test('URL values are read leniently: spaces, unknown values, goals left out', () => {
  const view = viewFromParams(
    new URLSearchParams(
      'tags= a , ,b&type=pie&agg=sum&xlog=0&ylog=true&pareto=Result,time:MAX,Result&sort=-,x',
    ),
  );
  assert.deepEqual(view, {
    selection: { tags: ['a', 'b'] },
    type: 'scatter',
    yLog: true,
    pareto: {
      objectives: [
        { key: 'Result', goal: 'max' },
        { key: 'time', goal: 'max' },
      ],
    },
    sort: [{ key: 'x' }],
    constraints: [],
  });
  assert.equal(viewFromParams(new URLSearchParams('type=2d-static')).type, 'scatter');
  assert.equal(viewFromParams(new URLSearchParams('type=bar')).type, 'bar');
  assert.deepEqual(viewFromParams(new URLSearchParams('frontier_only=1')).pareto, {
    objectives: [],
    only: true,
  });
});

test('the query of a view carries its selection and expressions, and widens chosen columns', () => {
  assert.deepEqual(queryOfView(FULL), {
    selection: FULL.selection,
    derived: FULL.derived,
    filter: FULL.filter,
    constraints: [{ expr: 'Result_Power <= 100' }, { expr: 'acc >= 0.5' }],
    showViolating: true,
    pareto: FULL.pareto,
    group: ['A', 'B'],
    agg: 'median',
    sort: FULL.sort,
    columns: ['Model', 'Result', 'Accuracy', 'version', 'Result_Power', 'A', 'B', 'time', 'acc'],
  });
  assert.deepEqual(queryOfView({ selection: {}, type: 'table', constraints: [' '] }), {
    selection: {},
  });
});

test('the goal of an objective is guessed from its name', () => {
  const cases: Array<[string, 'min' | 'max']> = [
    ['time', 'min'],
    ['Latency_99', 'min'],
    ['duration_ms', 'min'],
    ['Energy', 'min'],
    ['Result_Power', 'min'],
    ['binary_size', 'min'],
    ['COST', 'min'],
    ['peak_memory', 'min'],
    ['Result', 'max'],
    ['Accuracy', 'max'],
    ['throughput', 'max'],
  ];
  for (const [key, goal] of cases) assert.equal(guessGoal(key), goal, key);
});

test('an empty colour key (none) survives the URL, unlike an absent one', () => {
  const none = viewFromParams(new URLSearchParams('x=A&c='));
  assert.equal(none.color, '');
  assert.equal(paramsOfView(none).toString(), 'x=A&c=');
  assert.equal(viewFromParams(new URLSearchParams('x=A')).color, undefined);
});
