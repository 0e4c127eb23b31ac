import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, SecretMask, secretKeysOf, withoutSecrets } from './secrets.js';

test('secret keys by pattern', () => {
  for (const k of ['HF_TOKEN', 'GITHUB_TOKEN', 'DB_PASSWORD', 'CLIENT_SECRET', 'API_KEY'])
    assert.ok(isSecretKey(k), k);
  for (const k of ['TOKENIZER', 'MAX_TOKENS', 'KEYS', 'CM_PATH']) assert.ok(!isSecretKey(k), k);
});

test('withoutSecrets drops pattern keys, and names and values the command knows', () => {
  const known = new SecretMask();
  known.addNamed('MY_DB', 'hunter2hunter');
  const stored = withoutSecrets(
    {
      HF_TOKEN: 'abcdef123',
      MY_DB: 'anything',
      COPY: 'hunter2hunter',
      URL: 'https://u:pw@host/x',
      list: ['a', 'hunter2hunter'],
      nested: { deeper: { MY_DB: 'x' }, ok: 1 },
    },
    known,
  );
  assert.deepEqual(stored, {
    URL: 'https://***@host/x',
    list: ['a'],
    nested: { deeper: {}, ok: 1 },
  });
  // Without the command's knowledge only the patterns apply.
  assert.deepEqual(Object.keys(withoutSecrets({ HF_TOKEN: 'abcdef123', MY_DB: 'v' }) as object), [
    'MY_DB',
  ]);
});

test('secretKeysOf and the mask: named secrets whatever their name; short values stay stored-only', () => {
  const known = new SecretMask();
  assert.ok(known.isEmpty);
  known.addNamed('PIN', '42x');
  assert.ok(!known.isEmpty, 'a named secret, however short');
  assert.deepEqual(secretKeysOf({ PIN: '42x', OTHER: '42x', FREE: 'y' }, known), ['PIN', 'OTHER']);
  assert.equal(known.text('pin 42x'), 'pin 42x', 'a 3-character value would garble text');
  known.addNamed('LONG', 'long-secret');
  assert.equal(known.text('is long-secret!'), 'is ***!');
  assert.ok(!known.isEmpty);
  assert.deepEqual(known.deep({ PIN: '42x', OTHER: 'pin is 42x', L: 'long-secret' }), {
    PIN: '***',
    OTHER: 'pin is 42x',
    L: '***',
  });
  known.addNamed('FLAG', 'yes');
  assert.deepEqual(withoutSecrets({ FLAG: 'yes', UNRELATED: 'yes' }, known), { UNRELATED: 'yes' });
});
