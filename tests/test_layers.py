"""The import contract: layers run one way (setup.cfg [importlinter]), checked on every test run.

Run in a process of its own: the analysis breaks on modules other tests have imported (Twisted's
zope.interface declarations), and a clean process is what CI would see anyway.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_layers_run_one_way() -> None:
    run = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "setup.cfg", "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 1 kept, 0 broken" in run.stdout
