import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasFromUrl, resolveRepoSource } from './repo-url.js';

test('derives repo aliases from URLs as the reference does', () => {
  assert.equal(aliasFromUrl('https://github.com/org/name.git'), 'org@name');
  assert.equal(aliasFromUrl('https://github.com/org/name'), 'org@name');
  assert.equal(aliasFromUrl('git@github.com:org/name.git'), 'org@name');
  assert.equal(aliasFromUrl('file:///tmp/x/demo'), 'tmp@x@demo');
});

test('turns owner@name and bare names into GitHub URLs, rewriting ck to cm4mlops', () => {
  assert.deepEqual(resolveRepoSource('some-org@some-repo', { hasBranchOrCheckout: false }), {
    url: 'https://github.com/some-org/some-repo',
    alias: 'some-org@some-repo',
  });
  assert.equal(resolveRepoSource('ck', { hasBranchOrCheckout: false }).alias, 'mlcommons@cm4mlops');
  assert.equal(
    resolveRepoSource('mlcommons@ck', { hasBranchOrCheckout: true }).alias,
    'mlcommons@ck',
  );
  assert.throws(() => resolveRepoSource('../etc', { hasBranchOrCheckout: false }), /neither/);
});
