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


def test_the_scan_s_own_process_never_imports_scrapy() -> None:
    """Scrapy and Twisted run in the crawl processes only: the CLI's and the service's process reads
    their events and journals without them (0.2 s of its start-up, before any crawl can begin)."""
    script = ("import sys, govwatch.cli, govwatch.service, govwatch.jobs; "
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}))")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
