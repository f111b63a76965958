"""The finding JSON: `{"findings": [...]}` — a contract that outside tools read. Add, never rename."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from core.model import Finding


def document(findings: Sequence[Finding], **extra: Any) -> dict[str, Any]:
    return {"findings": [f.to_json() for f in findings], **extra}


def dumps(findings: Sequence[Finding], **extra: Any) -> str:
    return json.dumps(document(findings, **extra), ensure_ascii=False, indent=2)


def write(path: Path, findings: Sequence[Finding], **extra: Any) -> None:
    """Write atomically: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(findings, **extra) + "\n", encoding="utf-8")
    tmp.replace(path)
