from cmind.utils import *  # noqa: F401,F403
