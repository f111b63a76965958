"""This checkout's full scan against another commit's, on the same generated site, one after the other.

`python -m bench.versus REV [--pages N]` checks REV out into a temporary git worktree and runs both
`govwatch scan --json`s with this venv (so REV must run on today's dependencies); it prints a table for
BENCHMARKS.md. It answers "is the engine no slower than it was?", which `make bench` cannot, and
"does it still find the same?": the two scans' findings are compared whole (times apart).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from .estate import GeneratedEstate
from .fullscan import TIMEOUT, _govwatch_config
from .measure import run

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.versus")
    parser.add_argument("rev", help="the commit to compare with, e.g. the previous release")
    parser.add_argument("--pages", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govwatch-versus-") as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.rev],
                       check=True, capture_output=True)
        try:
            rows = compare(args.rev, other, args.pages, Path(tmp))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)
    print(f"Python {platform.python_version()}, generated site of {args.pages:,} pages, "
          f"`python -m bench.versus {args.rev} --pages {args.pages}`\n")
    print("| code | wall (s) | pages/s | peak memory (MB) | CPU (s) | summary |")
    print("|---|---:|---:|---:|---:|---|")
    for label, measured, summary, _ in rows:
        pages = _pages(summary)
        print(f"| {label} | {measured.seconds:.1f} | {pages / measured.seconds:.0f} | "
              f"{measured.peak_rss / 2**20:.0f} | {measured.cpu_seconds:.1f} | {summary} |")
    (_, _, _, theirs), (_, _, _, ours) = rows
    print("\nFindings: " + ("the same" if theirs == ours else
                            f"**differ**: {len(ours - theirs)} only in this checkout, {len(theirs - ours)} only in {args.rev}"))


def compare(rev: str, other: Path, pages: int, tmp: Path) -> list[tuple[str, object, str, set[str]]]:
    rows = []
    with GeneratedEstate(pages) as estate:
        for label, code in ((rev, other), ("this checkout", ROOT)):
            work = tmp / label.replace(" ", "-")
            work.mkdir()
            config = _govwatch_config(estate, work)
            findings = work / "findings.json"
            measured = run([sys.executable, "-m", "govwatch", "scan", "--config", str(config),
                            "--json", str(findings)], work, TIMEOUT,
                           env={"PYTHONPATH": str(code), "PYTHONIOENCODING": "utf-8"})
            summary = next((line for line in measured.stdout.splitlines() if "检查页面" in line),
                           measured.stderr[-200:])
            rows.append((label, measured, summary, _findings(findings)))
    return rows


def _findings(findings: Path) -> set[str]:
    """Each finding as the scan wrote it, but for when it was seen (both scans serve the same site)."""
    if not findings.exists():
        return set()
    return {json.dumps({k: v for k, v in f.items() if k not in ("first_seen", "last_seen")}, sort_keys=True)
            for f in json.loads(findings.read_text(encoding="utf-8"))["findings"]}


def _pages(summary: str) -> int:
    digits = summary.split("检查页面", 1)[-1].split("个", 1)[0].strip()
    return int(digits) if digits.isdigit() else 0


if __name__ == "__main__":
    main()
