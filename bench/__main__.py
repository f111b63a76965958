"""`make bench`: the detector's throughput, the scan's own process per page, a full scan against a
plain Scrapy crawl, an incremental scan against the full scan it follows, and the statically served
site and estate.

Run `.venv/bin/python -m bench [--sizes 1000,10000,50000] [--incremental-sizes 10000] [--only detector|pagecost|scan|incremental|static]`; the
printed tables are ready to paste into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
from datetime import date

import psutil
import scrapy

from . import detector_throughput, fullscan, incremental, static


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=sizes, default=[1000, 10000, 50000],
                        help="pages of the generated estates, comma-separated (default 1000,10000,50000)")
    parser.add_argument("--incremental-sizes", type=sizes, default=[10000],
                        help="pages of the estates the incremental scan is measured on (default 10000)")
    parser.add_argument("--only", choices=("detector", "pagecost", "scan", "incremental", "static"), help="run one of the benchmarks")
    parser.add_argument("--static-pages", type=int, default=10_000,
                        help="pages of the statically served site (default 10000)")
    parser.add_argument("--static-sites", type=int, default=20,
                        help="sites of the statically served estate, at 1 and 2 crawl processes (default 20)")
    args = parser.parse_args(argv)
    command = shlex.join([".venv/bin/python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)])
    print(f"{date.today()}: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.machine()}, Scrapy {scrapy.__version__}")
    print(f"Command: `{command}`\n")
    if args.only in (None, "detector"):
        print("## Detector throughput\n")
        detector_throughput.report()
        print()
    if args.only in (None, "pagecost"):
        from . import pagecost  # after the detector's peak memory is read: it imports the scan's modules

        print(f"## The scan's own process per page: {args.static_pages:,} pages replayed without a crawl\n", flush=True)
        print(pagecost.table(pagecost.bench(args.static_pages)))
        print()
    if args.only in (None, "scan"):
        print("## Full scan against a plain Scrapy crawl\n", flush=True)
        rows = fullscan.bench(args.sizes)
        print(fullscan.table(rows), "", fullscan.ratios(rows), "", fullscan.details(rows), sep="\n")
    if args.only in (None, "incremental"):
        print(f"\n## Incremental scan after a full scan, {incremental.NEW_SHARE:.0%} new articles\n", flush=True)
        results = incremental.bench(args.incremental_sizes)
        print(incremental.table(results), "", incremental.ratios(results), sep="\n")
    if args.only in (None, "static"):
        print(f"\n## Statically served: {args.static_pages:,} pages against plain Scrapy; "
              f"{args.static_sites} sites at 1 and 2 crawl processes\n", flush=True)
        static.report(args.static_pages, args.static_sites, args.static_pages)


if __name__ == "__main__":
    main()
