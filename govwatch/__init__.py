"""govwatch: watches government web estates for what inspectors penalise."""

__version__ = "0.1.0"
