"""`python -m govwatch` is the `govwatch` command.

`python -m` puts the working directory first on the import path. Outside a checkout of govwatch, a
folder there named like one of its packages (a user's own `reports/` or `core/`, even without an
__init__.py) would shadow the installed package; so the working directory leaves the path, unless it
is the checkout govwatch itself runs from.
"""

import os
import sys
from pathlib import Path

import govwatch

_checkout = Path(govwatch.__file__).resolve().parent.parent
if sys.path and sys.path[0] in ("", os.getcwd()) and _checkout != Path.cwd().resolve():
    del sys.path[0]

from govwatch.command import run  # noqa: E402 - after the path is set

run()
