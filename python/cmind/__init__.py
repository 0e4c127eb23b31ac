"""A `cmind` module for the hooks of CM scripts run by the TypeScript CM: `cmind.access()` goes
back to the engine that runs the hook; `cmind.utils` has the helpers published scripts use."""
from . import utils  # noqa: F401

__version__ = '4.2.0'

# Set by the hook worker: a function (op, args) -> result that asks the engine.
_engine = None


class Artifact(dict):
    """An artifact in a result list: a dict with .path, .meta, .uid, .alias as attributes."""

    @property
    def path(self):
        return self.get('path', '')

    @property
    def uid(self):
        return self.get('uid', '')

    @property
    def alias(self):
        return self.get('alias', '')

    @property
    def meta(self):
        if 'meta' not in self:
            r = access({'action': 'load', 'automation': self.get('automation_alias', '') + ',' +
                        self.get('automation_uid', ''), 'artifact': self.get('uid') or self.get('alias')})
            self['meta'] = r.get('meta', {}) if r.get('return', 1) == 0 else {}
        return self['meta']


def access(i):
    """Run any CM action in the engine that runs this hook: access({'action': 'find', ...})."""
    if _engine is None:
        return {'return': 1, 'error': 'cmind.access works inside hooks run by cm'}
    if isinstance(i, str):
        import shlex
        i = {'cmd': shlex.split(i)}
    r = _engine('access', i)
    if isinstance(r, dict) and isinstance(r.get('list'), list):
        r['list'] = [Artifact(x) if isinstance(x, dict) else x for x in r['list']]
    return r


class _Logger:
    def _log(self, level, *args):
        import sys
        print(' '.join(str(a) for a in args), file=sys.stderr)

    def info(self, *a):
        self._log('info', *a)

    def warning(self, *a):
        self._log('warning', *a)

    def error(self, *a):
        self._log('error', *a)

    def debug(self, *a):
        pass


logger = _Logger()
