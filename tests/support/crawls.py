"""What a test can see of a running crawl process from outside."""

from __future__ import annotations

from pathlib import Path

import psutil


def frontier_folder(crawl: psutil.Process) -> Path:
    """The temporary folder a crawl process keeps its pending requests in: where its journal is open
    (the folder reaches the process on its stdin, so it is not in its command line)."""
    [folder] = {Path(f.path).parent for f in crawl.open_files() if Path(f.path).name.startswith("journal-")}
    return folder
