"""The brief: TL;DR, turning points, risk views and keywords, each item citing a quote.

``build_brief(transcript, passages)`` is extractive and deterministic: the
same transcript always gives the same brief, offline, with no model. Every
item carries the verbatim ``quote`` it rests on, the ``passage_id`` that holds
it and the quote's character offsets in ``Transcript.text``
(``transcript.text[start:end] == quote``); its ``text`` is the quote cleaned
for reading (fillers, stutters and dangling openers removed).

The parts live in private modules: ``_brief_sentences`` (candidate sentences
and cleaning), ``_brief_segments`` (where the subject changes),
``_brief_tldr``, ``_brief_turns``, ``_brief_risks``, ``_brief_keywords``.
Storage (``BriefStep``, ``load_brief``) is in ``_step`` (rows through ``store.briefs``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from briefs.brief._keywords import keywords as _keywords
from briefs.brief._keywords import segment_phrases
from briefs.brief._pairs import with_previous
from briefs.brief._risks import MAX_SHOWN as MAX_RISKS
from briefs.brief._risks import pick_risks
from briefs.brief._segments import Segment, segment
from briefs.brief._sentences import Candidate, candidates, short_name
from briefs.brief._tldr import pick_tldr
from briefs.brief._turns import changes, headline, pivotal, segment_weights
from briefs.passages import Passage
from briefs.transcript import Transcript

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "MAX_RISKS",
    "NO_RISK_NOTE",
    "RISK_KINDS",
    "SOURCE_SUMMARY_LABEL",
    "Brief",
    "BriefItem",
    "TurningPoint",
    "build_brief",
]

ENGINE = "extractive"
ENGINE_VERSION = "11"
"""Bump whenever a change alters what a brief holds: ``briefbot rebuild`` rebuilds old ones."""

NO_RISK_NOTE = "No talk of risks, concerns, safety or uncertainty was found in this transcript."
GREETING_TURNS = 3
GREETING_WORDS = 60  # content words
SOURCE_SUMMARY_LABEL = "The source's own summary (not written by briefbot)"
RISK_KINDS = frozenset({"concern", "answer", "view"})


@dataclass(frozen=True, slots=True)
class BriefItem:
    """One statement of a brief and the quote it rests on.

    ``kind``: ``tldr``; ``change`` (a marked change inside a turning point);
    ``concern`` / ``answer`` / ``view`` (risk items).
    """

    text: str
    speaker: str | None
    passage_id: int
    quote: str
    start: int
    end: int
    kind: str
    turn_index: int
    time: float | None = None
    severity: float | None = None
    """Risk items: how bad the risk is by what its sentence says, 0 (slight) to 1 (grave)."""
    mitigation: BriefItem | None = None
    """Risk items: the sentence saying what is done about it (kind ``mitigation``), if any."""

    @property
    def attributed(self) -> str:
        """``"Brockman: text"``: how a bullet reads with its speaker."""
        return f"{short_name(self.speaker)}: {self.text}" if self.speaker else self.text

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.kind in RISK_KINDS:
            d["mitigation"] = self.mitigation.to_dict() if self.mitigation else None
        else:
            # Only risk items have a severity and a mitigation: others stay as they were.
            del d["severity"], d["mitigation"]
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BriefItem:
        """The item ``to_dict`` wrote; a brief stored before risks had severities loads too."""
        mitigation = data.get("mitigation")
        return cls(
            **{k: v for k, v in data.items() if k in _ITEM_FIELDS and k != "mitigation"},
            mitigation=cls.from_dict(mitigation) if isinstance(mitigation, dict) else None,
        )


_ITEM_FIELDS = frozenset(f.name for f in fields(BriefItem))


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """A main segment of the conversation: headline, pivotal quote, position, changes.

    ``turn_index`` is the transcript turn where the segment starts (its
    boundary) and ``time`` when the segment starts; the pivotal quote is at
    ``quote_turn_index``, said at ``quote_time`` (from the turn's marks: a long
    timed turn's quote is not said when its turn began).
    """

    headline: str
    text: str
    speaker: str | None
    passage_id: int
    quote: str
    start: int
    end: int
    turn_index: int
    quote_turn_index: int
    time: float | None = None
    kind: str = "segment"
    """``segment``, or ``introduction`` for a first stretch of greetings."""
    changes: tuple[BriefItem, ...] = ()
    quote_time: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["changes"] = [c.to_dict() for c in self.changes]
        return d


@dataclass(frozen=True)
class Brief:
    """A transcript's brief. ``source_summary`` is the source's own, never ours.

    ``risks`` holds the gravest risk items (at most ``MAX_RISKS``), ``risks_more``
    the rest, both grouped by speaker the same way.
    """

    tldr: tuple[BriefItem, ...]
    turning_points: tuple[TurningPoint, ...]
    risks: tuple[BriefItem, ...]
    source_summary: str | None
    keywords: tuple[str, ...]
    engine: str = ENGINE
    engine_version: str = ENGINE_VERSION
    notes: tuple[str, ...] = field(default=())
    risks_more: tuple[BriefItem, ...] = field(default=())

    def items(self) -> Iterator[BriefItem | TurningPoint]:
        """Every item that cites a quote: bullets, turning points, their changes, risks."""
        yield from self.tldr
        for tp in self.turning_points:
            yield tp
            yield from tp.changes
        for risk in (*self.risks, *self.risks_more):
            yield risk
            if risk.mitigation is not None:
                yield risk.mitigation

    def risks_by_speaker(self, *, more: bool = False) -> dict[str, list[BriefItem]]:
        """Risk items grouped by speaker, in the brief's order (host first); ``more``: the rest."""
        groups: dict[str, list[BriefItem]] = {}
        for item in self.risks_more if more else self.risks:
            groups.setdefault(item.speaker or "", []).append(item)
        return groups

    def to_dict(self) -> dict[str, Any]:
        return {
            "tldr": [i.to_dict() for i in self.tldr],
            "turning_points": [t.to_dict() for t in self.turning_points],
            "risks": [i.to_dict() for i in self.risks],
            "risks_more": [i.to_dict() for i in self.risks_more],
            "source_summary": (
                {"label": SOURCE_SUMMARY_LABEL, "text": self.source_summary}
                if self.source_summary
                else None
            ),
            "keywords": list(self.keywords),
            "engine": self.engine,
            "engine_version": self.engine_version,
            "notes": list(self.notes),
        }

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        summary = data.get("source_summary")
        return cls(
            tldr=tuple(BriefItem.from_dict(i) for i in data.get("tldr", [])),
            turning_points=tuple(
                TurningPoint(
                    **{k: v for k, v in t.items() if k != "changes"},
                    changes=tuple(BriefItem.from_dict(c) for c in t.get("changes", [])),
                )
                for t in data.get("turning_points", [])
            ),
            risks=tuple(BriefItem.from_dict(i) for i in data.get("risks", [])),
            risks_more=tuple(BriefItem.from_dict(i) for i in data.get("risks_more", [])),
            source_summary=summary["text"] if isinstance(summary, dict) else summary,
            keywords=tuple(data.get("keywords", [])),
            engine=data.get("engine", ENGINE),
            engine_version=data.get("engine_version", ENGINE_VERSION),
            notes=tuple(data.get("notes", [])),
        )

    @classmethod
    def from_json(cls, text: str) -> Brief:
        return cls.from_dict(json.loads(text))


_HOST_ROLE = re.compile(r"\b(?:host|interviewer|moderator|anchor|presenter)\b", re.IGNORECASE)


def find_host(transcript: Transcript) -> str | None:
    """The interviewer: named by role, or the one of two or three speakers who asks."""
    for name, role in transcript.speakers.items():
        if role and _HOST_ROLE.search(role):
            return name
    turns: Counter[str] = Counter()
    asks: Counter[str] = Counter()
    for t in transcript.speech_turns:
        if t.speaker:
            turns[t.speaker] += 1
            asks[t.speaker] += "?" in t.text
    if not 2 <= len(turns) <= 3:
        return None
    best = max(turns, key=lambda s: (asks[s] / turns[s], turns[s], s))
    if turns[best] >= 3 and asks[best] / turns[best] >= 0.4:
        return best
    return None


def _is_greeting(seg: Segment) -> bool:
    """A first segment of only a few turns: the hellos before the first topic.

    It is kept (the first turning point marks where the conversation starts,
    and the next one's start is a boundary) but labelled, so views that show
    one turning point can skip it.
    """
    # A monologue's first section is one turn too: few words as well as few turns.
    return (
        seg.opens_turn
        and len({c.turn_index for c in seg.candidates}) <= GREETING_TURNS
        and sum(len(c.stems) for c in seg.candidates) <= GREETING_WORDS
    )


def _item(
    c: Candidate, kind: str, severity: float | None = None, mitigation: Candidate | None = None
) -> BriefItem:
    return BriefItem(
        severity=severity,
        mitigation=_item(mitigation, "mitigation") if mitigation is not None else None,
        text=c.text,
        speaker=c.speaker,
        passage_id=c.passage_id,
        quote=c.quote,
        start=c.start,
        end=c.end,
        kind=kind,
        turn_index=c.turn_index,
        time=c.time,
    )


def build_brief(
    transcript: Transcript, passages: list[Passage], *, tldr_words: int | None = None
) -> Brief:
    """The brief of ``transcript``; ``passages`` must be its passages (stored ids or seqs).

    ``tldr_words`` caps the TL;DR at that many words (for evaluation at a fixed
    budget) instead of the usual 5-8 bullets.
    """
    host = find_host(transcript)
    cands = candidates(transcript, passages)
    segments = segment(transcript, cands, host)
    notes: list[str] = []

    pairs = with_previous(transcript, passages, cands)
    picked = pick_tldr(segments, cands, host, words=tldr_words, extra=pairs)
    tldr = tuple(_item(c, "tldr") for c in picked)
    if tldr_words is None and len(tldr) < 5:
        count = f"{len(tldr)} bullet" + ("" if len(tldr) == 1 else "s")
        notes.append(f"The TL;DR has {count}: the transcript is short.")

    weights = segment_weights(segments)
    marked = changes(cands)
    phrases = segment_phrases(segments)
    points = []
    for k, (seg, w, seg_phrases) in enumerate(zip(segments, weights, phrases, strict=True)):
        quote = pivotal(seg, w, host)
        if quote is None:
            continue
        greeting = k == 0 and len(segments) > 1 and _is_greeting(seg)
        inside = tuple(
            _item(c, "change")
            for c in marked
            if seg.candidates[0].order <= c.order <= seg.candidates[-1].order
        )
        points.append(
            TurningPoint(
                headline="Introduction" if greeting else headline(seg, w, host, seg_phrases, quote),
                text=quote.text,
                speaker=quote.speaker,
                passage_id=quote.passage_id,
                quote=quote.quote,
                start=quote.start,
                end=quote.end,
                turn_index=seg.first_turn,
                quote_turn_index=quote.turn_index,
                # A segment that starts inside a turn starts when its first sentence is said.
                time=transcript.turns[seg.first_turn].time_start
                if seg.opens_turn
                else seg.candidates[0].time,
                changes=inside,
                kind="introduction" if greeting else "segment",
                quote_time=quote.time,
            )
        )

    shown, more = pick_risks(cands, host)
    risks = tuple(_item(p.candidate, p.kind, p.severity, p.mitigation) for p in shown)
    if not risks:
        notes.append(NO_RISK_NOTE)

    return Brief(
        tldr=tldr,
        turning_points=tuple(points),
        risks=risks,
        risks_more=tuple(_item(p.candidate, p.kind, p.severity, p.mitigation) for p in more),
        source_summary=transcript.source_summary,
        keywords=tuple(
            _keywords(
                segments,
                transcript.title,
                host,
                [t.text for t in transcript.turns if t.kind == "heading"],
            )
        ),
        notes=tuple(notes),
    )
