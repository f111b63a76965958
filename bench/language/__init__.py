"""Detection quality (issue 20): a held-out set of real published errors, a dated precision corpus of
real government prose, and the harness that runs the detector on both (`python -m bench.language`)."""
