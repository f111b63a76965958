"""`python -m govwatch` is the `govwatch` command."""

from govwatch.cli import run

run()
