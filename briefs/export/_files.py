"""Export files: one per transcript, rewritten only when its content changed.

Re-exporting a library into the same folder (a notes vault) must not touch
files that did not change, or every sync tool and editor would see them all as
new: each file is compared with what is there and written only when it
differs, through a temporary file renamed over it, so an interrupted export
never leaves half a file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefs.errors import BriefbotError
from briefs.export._collect import ExportData, gather
from briefs.export._markdown import export_json, export_markdown
from briefs.library import Library
from briefs.transcript import valid_seconds

__all__ = ["FORMATS", "ExportReport", "export_all", "export_text", "write_if_changed"]

FORMATS = {"md": ".md", "json": ".json"}
"""Export formats and their file extensions."""


@dataclass
class ExportReport:
    """What ``export_all`` did: files written, left as they were, failed (one line each)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = f"written {len(self.written)}, unchanged {len(self.unchanged)}"
        return line + (f", failed {len(self.failed)}" if self.failed else "")


def _finite(value: Any, key: str | None = None) -> Any:
    # Strict JSON as ``brief --json`` writes it: a bad time stored long ago
    # is null, never NaN or a time no reader would store.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if key in ("time", "time_start", "time_end") and isinstance(value, int | float):
        return value if valid_seconds(value) is not None else None
    if isinstance(value, dict):
        return {k: _finite(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def export_text(data: ExportData, fmt: str) -> str:
    """The export in ``fmt`` (``md`` or ``json``) as text, ending with a newline."""
    if fmt == "md":
        return export_markdown(data)
    if fmt == "json":
        return json.dumps(_finite(export_json(data)), ensure_ascii=False, indent=2,
                          allow_nan=False) + "\n"
    raise BriefbotError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (UTF-8) unless it already holds exactly that;
    True when written. Raises ``BriefbotError`` with one line on failure."""
    data = text.encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise BriefbotError(f"cannot write {path}: {err.strerror or err}") from None
    return True


async def export_all(library: Library, folder: Path, fmt: str = "md") -> ExportReport:
    """Every current transcript into ``folder`` as ``<id>.md`` (or ``.json``)."""
    if fmt not in FORMATS:
        raise BriefbotError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BriefbotError(f"cannot create the folder {folder}: {err.strerror or err}") from None
    if not folder.is_dir():
        raise BriefbotError(f"{folder} is not a folder")
    report = ExportReport()
    for info in await library.list_transcripts(limit=-1):
        path = folder / f"{info.id}{FORMATS[fmt]}"
        try:
            text = export_text(await gather(library, info.id), fmt)
            changed = write_if_changed(path, text)
        except BriefbotError as err:
            report.failed.append(f"{info.id}: {err}")
            continue
        (report.written if changed else report.unchanged).append(path)
    return report
