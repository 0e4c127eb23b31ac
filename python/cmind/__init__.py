"""A `cmind` module for the hooks of CM scripts run by the TypeScript CM: `cmind.access()` goes
back to the engine that runs the hook; `cmind.utils` has the helpers published scripts use."""
import os
import sys

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
    elif isinstance(i, dict) and 'automation' not in i and 'target' in i:
        # mlcflow names the automation `target` (mlc.access({'action': 'find', 'target': 'cache'}))
        i = dict(i)
        i['automation'] = i.pop('target')
    r = _engine('access', i)
    if isinstance(r, dict) and isinstance(r.get('list'), list):
        r['list'] = [Artifact(x) if isinstance(x, dict) else x for x in r['list']]
    return r


def _make_logger():
    """A standard logging.Logger printing the message alone on stderr (the engine shows it), so
    that hooks' logger.info("found %s", path), .warning, .debug, .exception ... all work."""
    import logging
    log = logging.getLogger('cm.hooks')
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter('%(message)s'))
        log.addHandler(handler)
        log.propagate = False
    verbose = os.environ.get('CM_VERBOSE') == 'yes' or os.environ.get('MLC_VERBOSE') == 'yes'
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    return log


logger = _make_logger()
