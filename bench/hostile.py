"""`python -m bench.hostile`: the peak summed memory and the wall time of a scan of the hostile site
(tests/support/hostile.py: a 4 GB gzip bomb, deflate, brotli and zstd bombs, endless and slow bodies,
zip bombs, broken PDFs, 100,000-deep nesting, 200,000 links, a 4 MB line), as BENCHMARKS.md shows them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.support.hostile import HostileSite, scan_config

from . import measure

MAX_LINKS = 10_000  # the default crawl.max_links_per_page
TIMEOUT = 1800.0


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="govwatch-hostile-") as folder, HostileSite() as site:
        work = Path(folder)
        out = work / "scan.json"
        command = [sys.executable, "-m", "govwatch", "scan", "--config", str(scan_config(site, work, MAX_LINKS)),
                   "--json", str(out)]
        run = measure.run(command, work, TIMEOUT, env={"PYTHONIOENCODING": "utf-8"})
        scan = json.loads(out.read_text(encoding="utf-8"))["scan"] if out.exists() else {}
    print("| scan | status | pages | notes | wall time | CPU | peak RSS, all processes | by process (peak) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    roles = ", ".join(f"{label} {peak / 2**20:.0f} MB" for label, peak in sorted(run.peak_by_process.items()))
    print(f"| hostile site, `crawl.max_links_per_page` {MAX_LINKS} | {scan.get('status', f'exit {run.returncode}')} | "
          f"{scan.get('pages', '?')} | {len(scan.get('notes', []))} | {run.seconds:.0f} s | {run.cpu_seconds:.0f} s | "
          f"{run.peak_rss / 2**20:.0f} MB | {roles} |")
    if run.other_cpu_seconds > run.seconds * 0.5:
        print(f"\n(other processes used {run.other_cpu_seconds:.0f} CPU seconds meanwhile: a loaded machine)")


if __name__ == "__main__":
    main()
