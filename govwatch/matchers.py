"""The word matcher, kept on disk between processes.

Building it from the lists takes over a second after jieba's dictionary (the language rules' near
misses, probes and formulations), and lies on the critical path of an incremental scan and of
`check`: their crawls end before it is built. Loading it back takes a quarter of that. It is kept
under a key over everything it is built from: the entries, the detector's code and the word-list
data, and the versions of the libraries it is made with; a change to any builds a new one.

A pickle runs code when loaded, so it is kept, and read, only in a folder of the user's own that no
one else may write to (`$XDG_CACHE_HOME/govwatch`, else `~/.cache/govwatch`). Any trouble with it
costs a build, never the scan.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import platform
import stat
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Sequence

import detector
import wordlists
from core.collector import paused
from detector.words import WordMatcher
from wordlists import Entry

log = logging.getLogger(__name__)

_BUILT_FROM = (Path(detector.__file__).parent, Path(wordlists.__file__).parent)
_LIBRARIES = ("pyahocorasick", "jieba", "pypinyin")


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govwatch"


def word_matcher(entries: Sequence[Entry], folder: Path | None = None) -> WordMatcher:
    """The matcher of `entries`, prepared: loaded from `folder` (default `cache_folder()`) when one
    was kept for the same entries, code and data, else built and kept there."""
    folder = folder or cache_folder()
    path = folder / f"matcher-{_key(entries)}.pickle"
    private = _private(folder)
    if private and path.exists():
        try:
            with open(path, "rb") as file, paused():
                matcher = pickle.load(file)
            if isinstance(matcher, WordMatcher):
                return matcher.prepare()
        except Exception as exc:  # a cut or stale file: built again below, and replaced
            log.warning("cannot read the kept word matcher %s: %s", path, exc)
    matcher = WordMatcher(entries).prepare()
    if private:
        _keep(matcher, folder, path)
    return matcher


def _key(entries: Sequence[Entry]) -> str:
    digest = hashlib.sha256(pickle.dumps(tuple(entries), protocol=5))
    for root in _BUILT_FROM:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    digest.update(platform.python_version().encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    return digest.hexdigest()[:32]


def _private(folder: Path) -> bool:
    """Whether `folder` is (or now is) ours alone to write: else nothing is read from it or kept."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as exc:
        log.warning("cannot keep the word matcher in %s: %s", folder, exc)
        return False
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.warning("not keeping the word matcher in %s: others may write to it", folder)
        return False
    return True


def _keep(matcher: WordMatcher, folder: Path, path: Path) -> None:
    """Written whole under a temporary name, then renamed: a reader never sees half a file. The
    matchers of other keys are removed (each is some 14 MB)."""
    temporary = ""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".matcher-", delete=False) as file:
            temporary = file.name
            pickle.dump(matcher, file, protocol=5)
        os.replace(temporary, path)
        for old in folder.glob("matcher-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError) as exc:
        log.warning("cannot keep the word matcher in %s: %s", folder, exc)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
