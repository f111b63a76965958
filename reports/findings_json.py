"""The finding JSON: `{"findings": [...], "scan": {...}}` — a contract that outside tools read.

Add, never rename. Findings are written as they are read, so a large scan is never held in memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, TextIO

from core.model import Finding


def dump(findings: Iterable[Finding], out: TextIO, **extra: Any) -> None:
    """Write the document to `out`, one finding at a time."""
    out.write('{"findings": [')
    for i, finding in enumerate(findings):
        out.write(",\n  " if i else "\n  ")
        out.write(json.dumps(finding.to_json(), ensure_ascii=False))
    out.write("\n]")
    for key, value in extra.items():
        out.write(f",\n{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    out.write("}\n")


def dumps(findings: Iterable[Finding], **extra: Any) -> str:
    return json.dumps({"findings": [f.to_json() for f in findings], **extra}, ensure_ascii=False, indent=2)


def write(path: Path, findings: Iterable[Finding], **extra: Any) -> None:
    """Write atomically: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        dump(findings, out, **extra)
    tmp.replace(path)
