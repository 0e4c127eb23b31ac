import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportedGlobs, runTimeConditionKeys } from './env.js';

test('runTimeConditionKeys: the condition keys a planned hook may set, const keys known', () => {
  const dep = {
    tags: 'get,compiler',
    enable_if_env: { CM_HOST_OS_TYPE: ['linux'] },
    skip_if_env: { CM_C_COMPILER_BIN: ['on'] },
    skip_if_any_env: { CM_C_COMPILER_BIN: ['on'], CM_OTHER: ['x'] },
  };
  assert.deepEqual(runTimeConditionKeys(dep, [], {}), []);
  assert.deepEqual(runTimeConditionKeys(dep, ['CM_C_COMPILER_*'], {}), ['CM_C_COMPILER_BIN']);
  assert.deepEqual(runTimeConditionKeys(dep, ['*'], { CM_OTHER: 'x' }), [
    'CM_HOST_OS_TYPE',
    'CM_C_COMPILER_BIN',
  ]);
  assert.deepEqual(runTimeConditionKeys({ tags: 'a' }, ['*'], {}), []);
});

test('exportedGlobs: new_env_keys as globs, +KEY as KEY, <<<VAR>>> through env or any key', () => {
  assert.deepEqual(exportedGlobs(['CM_LLVM_*', '+PATH', '<<<NAME>>>', 3], { NAME: 'CM_X' }), [
    'CM_LLVM_*',
    'PATH',
    'CM_X',
  ]);
  assert.deepEqual(exportedGlobs(['<<<NAME>>>'], {}), ['*']);
});
