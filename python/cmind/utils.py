"""Helpers that published CM scripts call as `cmind.utils.X` (spec §11.5), written for this CM.
They take and return CM dicts ({'return': 0, ...} or {'return': >0, 'error': ...})."""
import json
import os
import re


def load_txt(file_name, encoding='utf8', remove_after_read=False, check_if_exists=False,
             split=False, match_text='', fail_if_no_match='', debug=False):
    if check_if_exists and not os.path.isfile(file_name):
        return {'return': 16, 'error': '{} was not found'.format(file_name)}
    try:
        with open(file_name, encoding=encoding, errors='replace') as f:
            text = f.read()
    except OSError as e:
        return {'return': 16 if not os.path.exists(file_name) else 1, 'error': str(e)}
    if remove_after_read:
        os.remove(file_name)
    r = {'return': 0, 'string': text}
    if split:
        r['list'] = text.split('\n')
    if match_text:
        m = re.search(match_text, text)
        if m is None and fail_if_no_match:
            return {'return': 1, 'error': fail_if_no_match}
        r['match'] = m
    return r


def save_txt(file_name, string='', encoding='utf8'):
    try:
        with open(file_name, 'w', encoding=encoding) as f:
            f.write(string)
    except OSError as e:
        return {'return': 1, 'error': str(e)}
    return {'return': 0}


def load_json(file_name, encoding='utf8', check_if_exists=False):
    if not os.path.isfile(file_name):
        return {'return': 16, 'error': '{} was not found'.format(file_name)}
    try:
        with open(file_name, encoding=encoding) as f:
            return {'return': 0, 'meta': json.load(f)}
    except ValueError as e:
        return {'return': 1, 'error': 'problem parsing {}: {}'.format(file_name, e)}


def save_json(file_name, meta=None, indent=2, sort_keys=True, encoding='utf8'):
    try:
        with open(file_name, 'w', encoding=encoding) as f:
            json.dump(meta if meta is not None else {}, f, indent=indent, sort_keys=sort_keys)
            f.write('\n')
    except (OSError, TypeError) as e:
        return {'return': 1, 'error': str(e)}
    return {'return': 0}


def safe_load_json(path, file_name='', encoding='utf8'):
    full = os.path.join(path, file_name) if file_name else path
    if not os.path.isfile(full):
        return {'return': 0, 'meta': {}}
    return load_json(full, encoding=encoding)


def load_yaml(file_name, encoding='utf8', check_if_exists=False):
    if not os.path.isfile(file_name):
        return {'return': 16, 'error': '{} was not found'.format(file_name)}
    try:
        import yaml
    except ImportError:
        return {'return': 1, 'error': 'PyYAML is needed to read {}'.format(file_name)}
    with open(file_name, encoding=encoding) as f:
        try:
            return {'return': 0, 'meta': yaml.safe_load(f) or {}}
        except yaml.YAMLError as e:
            return {'return': 1, 'error': 'problem parsing {}: {}'.format(file_name, e)}


def save_yaml(file_name, meta=None, sort_keys=True, encoding='utf8'):
    try:
        import yaml
    except ImportError:
        return {'return': 1, 'error': 'PyYAML is needed to write {}'.format(file_name)}
    with open(file_name, 'w', encoding=encoding) as f:
        yaml.dump(meta if meta is not None else {}, f, sort_keys=sort_keys)
    return {'return': 0}


def load_yaml_and_json(file_name_without_ext):
    meta = {}
    found = False
    for ext, loader in (('.yaml', load_yaml), ('.json', load_json)):
        name = file_name_without_ext + ext
        if os.path.isfile(name):
            r = loader(name)
            if r['return'] > 0:
                return r
            meta.update(r['meta'])
            found = True
    if not found:
        return {'return': 16, 'error': 'neither {0}.yaml nor {0}.json found'.format(file_name_without_ext)}
    return {'return': 0, 'meta': meta}


def merge_dicts(i):
    """i: {dict1, dict2, append_lists?, append_unique?, ignore_keys?} → dict1 merged in place."""
    dict1 = i['dict1']
    dict2 = i['dict2']
    append_lists = i.get('append_lists', False)
    append_unique = i.get('append_unique', False)
    ignore_keys = i.get('ignore_keys', [])
    for k, v in dict2.items():
        if k in ignore_keys:
            continue
        if isinstance(v, dict) and isinstance(dict1.get(k), dict):
            merge_dicts({'dict1': dict1[k], 'dict2': v, 'append_lists': append_lists,
                         'append_unique': append_unique})
        elif isinstance(v, list) and append_lists and isinstance(dict1.get(k), list):
            for x in v:
                if not append_unique or x not in dict1[k]:
                    dict1[k].append(x)
        else:
            dict1[k] = v
    return {'return': 0, 'dict1': dict1}


def check_if_true_yes_on(env, key):
    return str(env.get(key, '')).lower().strip() in ('true', 'yes', 'on', '1')


def is_true(v):
    return str(v).lower().strip() in ('true', 'yes', 'on', '1')


def is_false(v):
    return str(v).lower().strip() in ('false', 'no', 'off', '0')


def get_current_date_time(i=None):
    import datetime
    now = datetime.datetime.now()
    return {'return': 0, 'array': [now.year, now.month, now.day, now.hour, now.minute, now.second],
            'iso_datetime': now.isoformat()}


def gen_uid():
    import uuid
    return {'return': 0, 'uid': uuid.uuid4().hex[:16]}


def is_cm_uid(s):
    return isinstance(s, str) and len(s) == 16 and all(c in '0123456789abcdef' for c in s)


def compare_versions(i):
    """i: {version1, version2} → {'return': 0, 'comparison': -1|0|1} (numeric parts as numbers)."""
    def parts(v):
        return [int(p) if p.isdigit() else p for p in str(v).split('.')]
    a, b = parts(i.get('version1', '')), parts(i.get('version2', ''))
    n = max(len(a), len(b))
    a += [0] * (n - len(a))
    b += [0] * (n - len(b))
    for x, y in zip(a, b):
        if x == y:
            continue
        if isinstance(x, int) != isinstance(y, int):
            return {'return': 0, 'comparison': 1 if isinstance(x, int) else -1}
        return {'return': 0, 'comparison': -1 if x < y else 1}
    return {'return': 0, 'comparison': 0}


def debug_here(module_path='', host='localhost', port=5678, text='', env=None):
    """The reference attaches a remote debugger; here it only returns an object with breakpoint()."""
    class _Debug:
        def breakpoint(self):
            return None
    return _Debug()
