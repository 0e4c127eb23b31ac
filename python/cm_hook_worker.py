"""Long-lived Python worker for the hooks of CM scripts (customize.py).

One worker per top-level `cm run script` (the run's env). It talks JSON lines with the TypeScript engine over two extra pipes
(fd 3: requests in, fd 4: messages out), so that what hooks print on stdout/stderr stays plain
output. Requests:  {"t": "call", "id", "file", "hook", "i"}  → the hook's result, with the env,
state and meta it may have changed; while a hook runs, the worker may ask the engine for things
(`i['automation'].run_native_script(...)`, `cmind.access(...)`) with {"t": "cb", "id", "op",
"args"} and waits for {"t": "cb_result", "id", "result"} (handling nested calls meanwhile).
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
    if isinstance(target, dict) and isinstance(source, dict):
        target.clear()
        target.update(source)


class Automation:
    """What hooks get as i['automation']: the script automation's helpers."""

    def __init__(self, call_id, script_path, prefix='CM_'):
        self._call_id = call_id
        self._prefix = prefix  # CM_ or MLC_: the env prefix of the script's repo
        self.path = script_path
        import cmind
        self.cmind = cmind
        self.action_object = cmind
        self.logger = cmind.logger  # MLC hooks log through i['automation'].logger

    def _with_env(self, op, i):
        env = i.get('env')
        args = {k: v for k, v in i.items() if k not in ('automation', 'os_info') and not callable(v)}
        r = call_engine(op, args)
        if isinstance(env, dict) and isinstance(r, dict) and isinstance(r.get('_env'), dict):
            _update_in_place(env, r.pop('_env'))
        return r

    def run_native_script(self, i):
        return self._with_env('run_native_script', i)

    def find_artifact(self, i):
        hook = i.get('hook')
        if callable(hook):
            # The filter runs here, on the candidates the engine lists.
            r = self._with_env('find_artifact_candidates', i)
            if r.get('return', 0) > 0:
                return r
            kept = [f for f in r.get('files', []) if not (hook({'file': f}) or {}).get('skip')]
            j = dict(i)
            j['only_files'] = kept
            j.pop('hook', None)
            return self._with_env('find_artifact', j)
        return self._with_env('find_artifact', i)

    def detect_version_using_script(self, i):
        return self._with_env('detect_version_using_script', i)

    def parse_version(self, i):
        import re
        file_name = i.get('file_name', 'tmp-ver.out')
        if not os.path.isfile(file_name):
            return {'return': 1, 'error': "can't find the version file %s" % file_name}
        with open(file_name, encoding='utf8', errors='replace') as f:
            text = f.read()
        m = re.search(i.get('match_text', ''), text)
        if not m:
            return {'return': 1, 'error': 'version was not detected in %s' % file_name}
        version = m.group(i.get('group_number', 1))
        which_env = i.get('which_env')
        if isinstance(which_env, dict):
            if i.get('env_key'):
                which_env[i['env_key']] = version
            which_env[self._prefix + 'DETECTED_VERSION'] = version
        return {'return': 0, 'version': version, 'string': m.group(0)}

    def update_deps(self, i):
        deps = i.get('deps', [])
        for name, update in (i.get('update_deps') or {}).items():
            for d in deps:
                if name in (d.get('names') or []):
                    for k, v in update.items():
                        if k == 'tags':
                            tags = [t for t in str(d.get('tags', '')).split(',') if t]
                            for t in str(v).split(','):
                                if t and t not in tags:
                                    tags.append(t)
                            d['tags'] = ','.join(tags)
                        elif isinstance(v, dict) and isinstance(d.get(k), dict):
                            d[k].update(v)
                        else:
                            d[k] = v
        return {'return': 0}

    def clean_some_tmp_files(self, i):
        env = i.get('env', {})
        work = env.get(self._prefix + 'TMP_CURRENT_SCRIPT_WORK_PATH', os.getcwd())
        for f in ('tmp-run.bat', 'tmp-state.json'):
            p = os.path.join(work, f)
            if os.path.isfile(p):
                os.remove(p)
        return {'return': 0}

    def get_default_path_list(self, i):
        key = i.get('default_path_env_key', 'PATH')
        return [p for p in os.environ.get(key, '').split(os.pathsep) if p]

    def find_file_back(self, i):
        path = i.get('path', os.getcwd())
        name = i.get('file_name', '')
        while True:
            if os.path.isfile(os.path.join(path, name)):
                return {'return': 0, 'found_path': path}
            up = os.path.dirname(path)
            if up == path:
                return {'return': 0, 'found_path': ''}
            path = up

    def find_file_deep(self, i):
        found = []
        restrict = i.get('restrict_paths', [])
        for root in i.get('paths', []):
            for d, _, files in os.walk(root):
                if i.get('file_name') in files and (not restrict or any(r in d for r in restrict)):
                    found.append(d)
        return {'return': 0, 'found_paths': found}

    def _available_variations(self, i):
        meta = i.get('meta', {})
        names = sorted('_' + k for k in (meta.get('variations') or {}) if ',' not in k)
        return {'return': 1, 'error': 'python package variation is not defined in "%s". Available: %s'
                % (meta.get('alias', ''), ' '.join(names))}


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
        i['automation'] = Automation(call_id, os.path.dirname(file), i.pop('_prefix', 'CM_'))
        # As in the reference, run_script_input shares the env and state dicts of i.
        rsi = i.get('run_script_input')
        if isinstance(rsi, dict):
            for k in ('env', 'state'):
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
