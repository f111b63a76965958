"""Scheduling of scans and the daily digest (the `serve` daemon). Only schedules; the work lives elsewhere."""
