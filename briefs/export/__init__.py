"""Export: a brief that leaves the chat, as Markdown a notes app reads or as JSON.

Produces ``export_markdown`` / ``export_json`` for one transcript (YAML front
matter, then the TL;DR, turning points, risk views and top quotes, each with
its verbatim quote, speaker and time, linked to the moment where the
transcript came with a link) and ``export_all`` (one file per transcript,
named by id, rewritten only when it changed).

May import: ``briefs.library``, ``briefs.brief``, ``briefs.search``,
``briefs.render``, ``briefs.store``, ``briefs.links``, ``briefs.transcript``,
``briefs.passages``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.export._collect import ExportData, gather
from briefs.export._files import FORMATS, ExportReport, export_all, export_text, write_if_changed
from briefs.export._markdown import export_json, export_markdown

__all__ = [
    "FORMATS",
    "ExportData",
    "ExportReport",
    "export_all",
    "export_json",
    "export_markdown",
    "export_text",
    "gather",
    "write_if_changed",
]
