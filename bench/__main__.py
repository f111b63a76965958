"""`make bench`: the detector's throughput, then a full scan against a plain Scrapy crawl.

Run `.venv/bin/python -m bench [--sizes 1000,10000,50000] [--only detector|scan]`; the printed
tables are ready to paste into BENCHMARKS.md.
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

from . import detector_throughput, fullscan


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=sizes, default=[1000, 10000],
                        help="pages of the generated estates, comma-separated (default 1000,10000)")
    parser.add_argument("--only", choices=("detector", "scan"), help="run one of the two benchmarks")
    args = parser.parse_args(argv)
    command = shlex.join([".venv/bin/python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)])
    print(f"{date.today()}: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.machine()}, Scrapy {scrapy.__version__}")
    print(f"Command: `{command}`\n")
    if args.only != "scan":
        print("## Detector throughput\n")
        detector_throughput.report()
        print()
    if args.only != "detector":
        print("## Full scan against a plain Scrapy crawl\n", flush=True)
        rows = fullscan.bench(args.sizes)
        print(fullscan.table(rows), "", fullscan.ratios(rows), "", fullscan.details(rows), sep="\n")


if __name__ == "__main__":
    main()
