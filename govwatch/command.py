"""The `govwatch` console script (and `python -m govwatch`): light on purpose.

A command that crawls (`scan`, `check`) starts its crawl process here, before the command line's
own imports (the store, SQLAlchemy, the reports: 0.4 s), so that the crawl process's imports of
Scrapy and Twisted run beside them, not after them (crawler.launch)."""

from __future__ import annotations

import sys

from crawler import launch

CRAWLING_COMMANDS = frozenset({"scan", "check"})


def run() -> None:
    """`govwatch`: a crawling command's crawl process first, then the command line (govwatch.cli)."""
    if crawls(sys.argv[1:]):
        launch.launch_early()
    try:
        from govwatch.cli import run as run_command

        run_command()
    finally:
        launch.discard_spare()  # a command that failed before it crawled (a broken config)


def crawls(args: list[str]) -> bool:
    """Whether the command line names a command that crawls (the first word not an option)."""
    return next((arg for arg in args if not arg.startswith("-")), None) in CRAWLING_COMMANDS
