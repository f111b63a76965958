"""Performance benchmarks: `make bench` (or `python -m bench`); figures recorded in BENCHMARKS.md."""
