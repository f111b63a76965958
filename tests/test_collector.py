"""The cycle collector runs less often in every process of a scan (core.collector)."""

from __future__ import annotations

import gc
import subprocess
import sys
from typing import Iterator

import pytest

from core.collector import CRAWL_YOUNG, SCAN_YOUNG, collect_less_often, paused


@pytest.fixture
def threshold() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_the_youngest_generation_is_collected_less_often_and_the_older_keep_their_ratios(threshold: None) -> None:
    gc.set_threshold(700, 10, 10)
    collect_less_often(CRAWL_YOUNG)
    assert gc.get_threshold() == (CRAWL_YOUNG, 10, 10)


def test_a_higher_threshold_set_already_is_kept(threshold: None) -> None:
    gc.set_threshold(5 * CRAWL_YOUNG, 20, 5)
    collect_less_often(CRAWL_YOUNG)
    assert gc.get_threshold() == (5 * CRAWL_YOUNG, 20, 5)


def test_the_collector_is_paused_inside_the_block_only() -> None:
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with paused():
            assert not gc.isenabled()
            raise KeyError("a load that fails")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled_after() -> None:
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


# Each entry is run as its process runs it, given nothing to do: the crawl process with no plan on
# stdin, a checker with its pipe closed, the command with --version.
ENTRIES = {
    "crawl process": ("from crawler.worker import main; main(['3'])", CRAWL_YOUNG),
    "checker process": ("import os; from govwatch.checking import serve; r, w = os.pipe(); os.close(w); serve(r, 1)",
                        SCAN_YOUNG),
    "govwatch command": ("import sys; from govwatch.cli import run; sys.argv = ['govwatch', '--version']\n"
                         "try: run()\nexcept SystemExit: pass", SCAN_YOUNG),
}


@pytest.mark.parametrize("entry, young", ENTRIES.values(), ids=ENTRIES.keys())
def test_every_process_of_a_scan_collects_less_often(entry: str, young: int) -> None:
    code = f"{entry}\nimport gc, sys; sys.stderr.write('threshold %d' % gc.get_threshold()[0])"
    done = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith(f"threshold {young}"), done.stderr
