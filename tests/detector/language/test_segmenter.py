"""jieba's dictionary, read from jieba's own cache file whole (detector.language.segmenter)."""

from __future__ import annotations

import logging
import marshal
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba
import pytest

from detector.language.segmenter import _cached_prefix_dictionary, tokenizer


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where jieba keeps its cache: a folder of the test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_the_shared_tokenizer_holds_what_jieba_itself_loads() -> None:
    jieba.setLogLevel(logging.WARNING)
    own = jieba.Tokenizer()
    own.initialize()  # writes jieba's cache file where none was yet
    assert _cached_prefix_dictionary(jieba.Tokenizer()) == (own.FREQ, own.total)  # the whole read itself
    shared = tokenizer()
    assert shared.initialized
    assert shared.total == own.total and shared.FREQ == own.FREQ
    assert shared.lcut("市场监督管理局", HMM=False) == own.lcut("市场监督管理局", HMM=False)


def test_the_cache_file_is_read_where_jieba_keeps_it(temp_dir: Path) -> None:
    (temp_dir / "jieba.cache").write_bytes(marshal.dumps(({"政府": 5, "政": 0}, 5)))
    assert _cached_prefix_dictionary(jieba.Tokenizer()) == ({"政府": 5, "政": 0}, 5)


@pytest.mark.parametrize("content", [None, b"", b"\x00not marshal", marshal.dumps(({"政府": 5}, 5))[:-3],
                                     marshal.dumps(["政府", 5]), marshal.dumps(({"政府": 5}, "5"))],
                         ids=["missing", "empty", "not marshal", "cut", "not a pair", "total not a number"])
def test_a_cache_that_does_not_read_leaves_it_to_jieba(temp_dir: Path, content: bytes | None) -> None:
    if content is not None:
        (temp_dir / "jieba.cache").write_bytes(content)
    assert _cached_prefix_dictionary(jieba.Tokenizer()) is None


def test_another_dictionary_or_cache_file_is_left_to_jieba(temp_dir: Path) -> None:
    (temp_dir / "jieba.cache").write_bytes(marshal.dumps(({"政府": 5}, 5)))
    assert _cached_prefix_dictionary(jieba.Tokenizer(dictionary=str(temp_dir / "dict.txt"))) is None
    named = jieba.Tokenizer()
    named.cache_file = str(temp_dir / "other.cache")
    assert _cached_prefix_dictionary(named) is None


def test_the_scan_service_imports_no_jieba_until_it_segments() -> None:
    """A scan sends its crawl the plan before it builds the detector's context: jieba's import (with
    pkg_resources) comes with the context, not with the modules, so the crawl starts sooner."""
    code = ("import sys, govwatch.service; print('jieba' in sys.modules); "
            "from detector.language.segmenter import blocks; print(blocks('平台独立 ok'), 'jieba' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split("\n")[:2] == ["False", "['', '平台独立', ' ', 'ok', ''] True"]
