"""Long-lived Python worker for the hooks of CM scripts (customize.py).

One worker per top-level `cm run script` (with that run's env). It talks JSON lines with the
TypeScript engine over two extra pipes (fd 3: requests in, fd 4: messages out), so that what
hooks print on stdout/stderr stays plain output. Requests: {"t": "call", "id", "file", "hook",
"i"} → the hook's result, with the env, state and meta it may have changed. While a hook runs,
the worker asks the engine for what it needs (every `i['automation']` method, `cmind.access`)
with {"t": "cb", "id", "op", "args", "cwd"} and waits for {"t": "cb_result", "id", "result"},
handling nested calls meanwhile.
"""
import importlib.util
import json
import os
import sys
import traceback

_IN = os.fdopen(3, 'rb', buffering=0)
_OUT = os.fdopen(4, 'wb', buffering=0)
_buffer = b''


def _send(msg):
    _OUT.write((json.dumps(msg, default=str) + '\n').encode('utf8'))


def _recv():
    global _buffer
    while b'\n' not in _buffer:
        chunk = _IN.read(65536)
        if not chunk:
            sys.exit(0)  # the engine is gone
        _buffer += chunk
    line, _buffer = _buffer.split(b'\n', 1)
    return json.loads(line)


_next_cb = [0]


def call_engine(op, args):
    """Ask the TypeScript engine to do `op` and wait for its answer."""
    _next_cb[0] += 1
    cb_id = 'py%d' % _next_cb[0]
    # The engine answers in our working folder: relative paths mean what they mean to the hook.
    _send({'t': 'cb', 'id': cb_id, 'op': op, 'args': args, 'cwd': os.getcwd()})
    while True:
        msg = _recv()
        if msg.get('t') == 'cb_result' and msg.get('id') == cb_id:
            return msg.get('result')
        if msg.get('t') == 'call':
            _handle_call(msg)  # a hook of another script, run by our request


def _update_in_place(target, source):
    """Make `target` (a dict or list a hook holds) equal to `source`, the engine's copy after a
    call, keeping target's identity and that of the dicts and lists inside it: a hook that holds
    i['meta']['deps'], or one dep of it, sees what update_deps changed."""
    if isinstance(target, dict) and isinstance(source, dict):
        for k in [k for k in target if k not in source]:
            del target[k]
        for k, v in source.items():
            if not _update_in_place(target.get(k), v):
                target[k] = v
        return True
    if isinstance(target, list) and isinstance(source, list):
        if len(target) != len(source):
            target[:] = source
            return True
        for n, v in enumerate(source):
            if not _update_in_place(target[n], v):
                target[n] = v
        return True
    return False


class Automation:
    """What hooks get as i['automation']. Each method is the engine's (one implementation for JS
    and Python hooks, hook-api.ts): it is called back with a copy of its input, and the inputs it
    changes in place (env, which_env, deps) are changed here alike, in the hook's own objects."""

    def __init__(self, call_id, script_path, prefix='CM_', env=None):
        self._call_id = call_id
        self._prefix = prefix  # CM_ or MLC_: the env prefix of the script's repo
        self._env = env if isinstance(env, dict) else None  # the hook's i['env']
        self.path = script_path
        import cmind
        self.cmind = cmind
        self.action_object = cmind
        self.logger = cmind.logger  # MLC hooks log through i['automation'].logger

    def _call(self, op, i, inout=()):
        args = {k: v for k, v in i.items() if k not in ('automation', 'os_info') and not callable(v)}
        targets = {k: i[k] for k in inout if isinstance(i.get(k), (dict, list))}
        if 'env' not in args and self._env is not None:
            # Without an env the engine uses the run's, which is the hook's env: ours, as it is now.
            args['env'] = self._env
            if 'env' in inout:
                targets['env'] = self._env
        args['_inout'] = list(targets)
        r = call_engine(op, args)
        if not (isinstance(r, dict) and '_inout' in r):
            return r  # the engine could not call it: {'return': 1, 'error': ...}
        for k, v in (r.get('_inout') or {}).items():
            if k in targets:
                _update_in_place(targets[k], v)
        return r.get('_value')

    def run_native_script(self, i):
        return self._call('run_native_script', i, ('env',))

    def find_artifact(self, i):
        hook = i.get('hook')
        if callable(hook):
            # The filter runs here, on the candidates the engine lists.
            r = self._call('find_artifact_candidates', i)
            if r.get('return', 0) > 0:
                return r
            kept = [f for f in r.get('files', []) if not (hook({'file': f}) or {}).get('skip')]
            j = dict(i)
            j['only_files'] = kept
            j.pop('hook', None)
            return self._call('find_artifact', j, ('env',))
        return self._call('find_artifact', i, ('env',))

    def detect_version_using_script(self, i):
        return self._call('detect_version_using_script', i, ('env',))

    def parse_version(self, i):
        return self._call('parse_version', i, ('which_env',))

    def update_deps(self, i):
        return self._call('update_deps', i, ('deps',))

    def clean_some_tmp_files(self, i):
        return self._call('clean_some_tmp_files', i)

    def get_default_path_list(self, i):
        return self._call('get_default_path_list', i)

    def find_file_back(self, i):
        return self._call('find_file_back', i)

    def find_file_deep(self, i):
        return self._call('find_file_deep', i)

    def _available_variations(self, i):
        return self._call('_available_variations', i)


def _load_module(file):
    name = 'cm_customize_%d' % abs(hash((file, os.path.getmtime(file))))
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    script_dir = os.path.dirname(file)
    sys.path.insert(0, script_dir)  # helper modules next to customize.py (as MLC)
    try:
        spec.loader.exec_module(module)
    finally:
        if sys.path and sys.path[0] == script_dir:
            sys.path.pop(0)
    return module


_import_paths = []


def _use_import_paths(paths):
    """Put the calling script's extra import folders (an MLC repo's automation/, as mlcflow does,
    for `from utils import is_true`) on sys.path, and take off those of another repo, with the
    modules imported from them, so that each repo's hooks see their own utils.py."""
    global _import_paths
    if paths == _import_paths:
        return
    gone = [p for p in _import_paths if p not in paths]
    for p in gone:
        while p in sys.path:
            sys.path.remove(p)
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None) or ''
        if any(f.startswith(p + os.sep) for p in gone):
            del sys.modules[name]
    for p in reversed(paths):
        if p not in sys.path:
            sys.path.insert(0, p)
    _import_paths = list(paths)


def _handle_call(msg):
    call_id = msg['id']
    file = msg['file']
    hook = msg['hook']
    i = msg.get('i') or {}
    _use_import_paths([p for p in (i.pop('_path', None) or []) if os.path.isdir(p)])
    try:
        if hook == '__has__':
            module = _load_module(file)
            names = [n for n in ('predeps', 'preprocess', 'postprocess', 'detect_version')
                     if callable(getattr(module, n, None))]
            _send({'t': 'result', 'id': call_id, 'result': {'return': 0, 'hooks': names}})
            return
        module = _load_module(file)
        fn = getattr(module, hook)
        i['automation'] = Automation(call_id, os.path.dirname(file), i.pop('_prefix', 'CM_'),
                                     i.get('env'))
        # As in the reference, run_script_input shares the env, state and meta dicts of i.
        rsi = i.get('run_script_input')
        if isinstance(rsi, dict):
            for k in ('env', 'state', 'meta'):
                if k in i:
                    rsi[k] = i[k]
        cwd = i.pop('_cwd', None)
        previous = os.getcwd()
        if cwd:
            os.chdir(cwd)
        try:
            r = fn(i)
        finally:
            os.chdir(previous)
        if r is None:
            r = {'return': 0}
        if not isinstance(r, dict):
            r = {'return': 1, 'error': '%s() must return a dict like {"return": 0}' % hook}
        out = {'t': 'result', 'id': call_id, 'result': r,
               'env': i.get('env'), 'state': i.get('state'), 'meta': i.get('meta')}
        try:
            json.dumps(out)
        except (TypeError, ValueError):
            out = json.loads(json.dumps(out, default=str))
        _send(out)
    except SystemExit:
        raise
    except BaseException as e:  # a hook's error must reach the engine, never kill the worker
        _send({'t': 'error', 'id': call_id, 'error': '%s: %s' % (type(e).__name__, e),
               'traceback': traceback.format_exc()})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import cmind
    cmind._engine = call_engine
    # What hooks print goes to our stderr → the engine shows it; keep stdout for the same.
    while True:
        msg = _recv()
        if msg.get('t') == 'call':
            _handle_call(msg)


if __name__ == '__main__':
    main()
