"""`from mlc import utils` in MLC-format hooks: the same helpers as cmind."""
from cmind import utils, access, logger, __version__  # noqa: F401
