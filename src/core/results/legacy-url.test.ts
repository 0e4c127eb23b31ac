import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legacyRedirect } from './legacy-url.js';

const at = (query: string): ReturnType<typeof legacyRedirect> =>
  legacyRedirect(new URLSearchParams(query));

test("CM's _graph URLs map onto the explore page with the same selection and axes", () => {
  const cases: Array<[string, string]> = [
    [
      'action=experiments&tags=mlperf inference,v4.0&type=2d-static&x=Result&y=Accuracy&c=version&s=Model&title=T',
      'tags=mlperf%2Cinference%2Cv4.0&x=Result&y=Accuracy&c=version&s=Model&title=T',
    ],
    ['action=experiments&name=mlperf-demo&type=2d', 'name=mlperf-demo'],
    ['name=mlperf-demo&type=bar', 'name=mlperf-demo&type=bar'],
    ['action=experiments&type=3d', ''],
    [
      "action=experiments&derived_metrics=result['e']=result['Result']*2&filter=result['Accuracy']>75",
      'derived_metrics=result%5B%27e%27%5D%3Dresult%5B%27Result%27%5D*2&filter=result%5B%27Accuracy%27%5D%3E75',
    ],
  ];
  for (const [legacy, modern] of cases) {
    const to = at(legacy);
    assert.equal(to?.kind, 'explore', legacy);
    assert.equal(to.path, '/explore');
    assert.equal(to.params.toString(), modern, legacy);
  }
});

test('a _graph URL naming a result_uid becomes a detail lookup', () => {
  assert.deepEqual(at('action=experiments&name=0123456789abcdef&result_uid=r1'), {
    kind: 'result',
    path: '/result',
    experiment: '0123456789abcdef',
    resultUid: 'r1',
    params: new URLSearchParams('name=0123456789abcdef&result_uid=r1'),
  });
  const bare = at('result_uid=r1');
  assert.equal(bare?.kind, 'result');
  assert.equal('experiment' in bare, false);
});

test('other playground pages, and plain experiment-page URLs, are not redirected', () => {
  for (const query of ['', 'action=scripts&name=x', 'tags=mlperf', 'q=bert']) {
    assert.equal(at(query), undefined, query);
  }
});
