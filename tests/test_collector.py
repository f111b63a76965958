"""The cycle collector runs less often in the crawl process (core.collector)."""

from __future__ import annotations

import gc
import subprocess
import sys
from typing import Iterator

import pytest

from core.collector import YOUNG, collect_less_often


@pytest.fixture
def threshold() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_the_youngest_generation_is_collected_less_often_and_the_older_keep_their_ratios(threshold: None) -> None:
    gc.set_threshold(700, 10, 10)
    collect_less_often()
    assert gc.get_threshold() == (YOUNG, 10, 10)


def test_a_higher_threshold_set_already_is_kept(threshold: None) -> None:
    gc.set_threshold(5 * YOUNG, 20, 5)
    collect_less_often()
    assert gc.get_threshold() == (5 * YOUNG, 20, 5)


def test_the_crawl_process_collects_less_often() -> None:
    """Run as the crawl process runs, given no plan on stdin (it then ends at once)."""
    code = ("from crawler.worker import main; main(['3'])\n"
            "import gc, sys; sys.stderr.write('threshold %d' % gc.get_threshold()[0])")
    done = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith(f"threshold {YOUNG}"), done.stderr
