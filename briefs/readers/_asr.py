"""ASR JSON items read by the fields they have, not by one vendor's schema.

Speech-to-text services each name things their own way; what an item means is
decided by which of these fields it holds (the first one present wins):

- text: ``text``, ``transcript``, ``body``, ``content``, ``display``; a word's
  text: ``punctuated_word``, ``word``, ``text``, ``value``, ``content``; the first
  of ``alternatives`` / ``nBest`` stands in for an item without text (AWS, Google,
  Azure);
- speaker: ``speaker``, ``speaker_label``, ``speakerName``, ``speaker_name``,
  ``name``, ``speakerTag`` (a number becomes ``Speaker 2``; labels are kept as
  given, never renumbered);
- start / end: ``start`` / ``end``, ``startTime`` / ``endTime``, ``start_time`` /
  ``end_time``, ``offset`` (+ ``duration``), ``ts`` / ``end_ts``, and ``*_ms`` /
  ``*Ms`` names in milliseconds. Values are numbers or strings: ``"1.5"``,
  ``"1.5s"`` (Google), ``"PT1M2.5S"`` (Azure), ``"00:01:02.5"``.

An item with text is a segment (one cue); one without text but with a word list
(``words``, ``elements``, ``items``) is read as its words; an item with a
``word`` field (or a ``type`` of pronunciation/punctuation/text/punct) is a
word. Words are joined into cues at speaker changes and sentence ends, with no
space before punctuation ("Hello" "," "world" "." -> "Hello, world.").

Times are seconds unless clearly milliseconds: a field named ``*_ms``, or (for
shapes without a spec saying seconds) whole numbers that as seconds would
overrun the file's stated duration or give under one word per 20 seconds,
while as milliseconds they give a speaking rate people have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from briefs.errors import MalformedSource
from briefs.readers._grouping import Cue

__all__ = ["Piece", "aws_speakers", "cues_from_items", "speaker_label"]

TEXT_KEYS = ("text", "transcript", "body", "content", "display")
WORD_KEYS = ("punctuated_word", "word", "text", "value", "content")
SPEAKER_KEYS = ("speaker", "speaker_label", "speakerName", "speaker_name", "name", "speakerTag",
                "speakerLabel", "speaker_tag")
START_KEYS = ("start", "startTime", "start_time", "offset", "ts", "begin",
              "start_ms", "startMs", "offset_ms", "offsetMs", "startOffset")
END_KEYS = ("end", "endTime", "end_time", "end_ts", "stop", "end_ms", "endMs", "endOffset")
WORD_LIST_KEYS = ("words", "elements", "items")
_ALTERNATIVES = ("alternatives", "nBest", "NBest")
_WORD_TYPES = {"pronunciation", "punctuation", "punct", "text"}
_MS_NAME = re.compile(r"(?:_ms|Ms|_msec|Millis|_millis)$")
_ATTACH = (*",.;:!?%)]}…»”", "'s", "'re", "'m", "'ll", "'ve", "'d", "n't")
_OPENERS = tuple("([{¿¡«“")
_SENTENCE_END = (".", "?", "!", "…")
_ISO = re.compile(r"^P?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$", re.I)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


@dataclass(slots=True)
class Piece:
    """One item's reading: a segment's or a word's text, its speaker and times."""

    speaker: str | None
    text: str
    start: float | None
    end: float | None
    word: bool
    whole: bool = False  # times were whole numbers (a hint of milliseconds)


def speaker_label(value: Any) -> str | None:
    """A speaker field as a label: numbers (Deepgram, Rev; Google's ``"1"``) become
    ``Speaker 0``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"Speaker {int(value) if float(value).is_integer() else value}"
    if isinstance(value, str):
        value = value.strip()
        return f"Speaker {value}" if value.isdigit() and len(value) <= 4 else value or None
    return None


def _own_speaker(item: dict[str, Any]) -> str | None:
    found = _first(item, SPEAKER_KEYS)
    if found is None:
        return None
    key, value = found
    if key in ("speakerTag", "speaker_tag") and value in (0, "0"):
        return None  # Google: 0 is "not assigned", on the words of results before the last
    return speaker_label(value)


def _seconds(value: Any, where: str, source: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, dict) and ("seconds" in value or "nanos" in value):
        # A protobuf Duration as the Google client's objects hold it: {seconds, nanos}.
        whole_s = _seconds(value.get("seconds") or 0, where, source) or 0.0
        nanos = _seconds(value.get("nanos") or 0, where, source) or 0.0
        return whole_s + nanos / 1e9
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedSource(f"{source}: {where} is not a number of seconds")
    if not isinstance(value, str):
        return float(value)
    raw = value.strip()
    try:
        return float(raw[:-1] if raw.endswith(("s", "S")) and raw[:1] != "P" else raw)
    except ValueError:
        pass
    if (iso := _ISO.match(raw)) and raw[:1] in "Pp" and any(iso.groups()):
        h, m, s = (float(g) if g else 0.0 for g in iso.groups())
        return h * 3600 + m * 60 + s
    if clock := _CLOCK.match(raw):
        hours, minutes, secs = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs.replace(",", "."))
    raise MalformedSource(f"{source}: {where} is not a number of seconds ({value!r})")


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    for key in keys:
        if key in item and item[key] is not None:
            return key, item[key]
    return None


def _view(item: dict[str, Any]) -> dict[str, Any]:
    # AWS/Google/Azure keep an item's text in its first alternative; the item's own
    # fields (times, speaker) win over the alternative's.
    if not any(isinstance(item.get(k), str) for k in TEXT_KEYS):
        for key in _ALTERNATIVES:
            alts = item.get(key)
            if isinstance(alts, list) and alts and isinstance(alts[0], dict):
                return {**alts[0], **{k: v for k, v in item.items() if k != key}}
    return item


@dataclass(slots=True)
class _Reading:
    """One file's reading: its name for messages, and the times it could not read."""

    source: str
    bad_times: list[str] = field(default_factory=list)

    def seconds(self, value: Any, where: str) -> float | None:
        """``value`` as seconds; unreadable, ``None`` (the item is kept without it)."""
        try:
            return _seconds(value, where, self.source)
        except MalformedSource as exc:
            self.bad_times.append(str(exc).removeprefix(f"{self.source}: "))
            return None


def _times(item: dict[str, Any], where: str, ctx: _Reading) -> tuple[float | None, float | None,
                                                                     bool]:
    start = end = None
    whole = True
    found = _first(item, START_KEYS)
    if found:
        key, value = found
        start = ctx.seconds(value, f"{where} '{key}'")
        whole = isinstance(value, int) and not isinstance(value, bool)
        if start is not None and _MS_NAME.search(key):
            start, whole = start / 1000, False
    found = _first(item, END_KEYS)
    if found:
        key, value = found
        end = ctx.seconds(value, f"{where} '{key}'")
        whole = whole and isinstance(value, int) and not isinstance(value, bool)
        if end is not None and _MS_NAME.search(key):
            end, whole = end / 1000, False
    elif start is not None and (duration := item.get("duration")) is not None:
        length = ctx.seconds(duration, f"{where} 'duration'")
        end = None if length is None else start + length
    return start, end, whole and (start is not None or end is not None)


def _read_item(item: dict[str, Any], where: str, ctx: _Reading, speaker: str | None,
               out: list[Piece]) -> bool:
    """Append ``item``'s pieces to ``out``; False if it holds no text at all."""
    item = _view(item)
    own = _own_speaker(item)
    speaker = own or speaker
    kind = item.get("type")
    is_word = "word" in item or "punctuated_word" in item or (
        isinstance(kind, str) and kind in _WORD_TYPES)
    text_found = _first(item, WORD_KEYS if is_word else TEXT_KEYS)
    if text_found and isinstance(text_found[1], str) and (is_word or own or not _diarized(item)):
        start, end, whole = _times(item, where, ctx)
        if start is None and not is_word:  # Google: the times are on the words only
            inner: list[Piece] = []
            for key in WORD_LIST_KEYS:
                if isinstance(words := item.get(key), list) and words and isinstance(
                        words[0], dict):
                    _read_item(words[0], f"{where} word 0", ctx, speaker, inner)
                    _read_item(words[-1], f"{where} word {len(words) - 1}", ctx, speaker,
                               inner)
                    break
            if inner:
                start, end, whole = inner[0].start, inner[-1].end, inner[0].whole
        out.append(Piece(speaker, text_found[1], start, end, is_word, whole))
        return True
    for key in WORD_LIST_KEYS:
        words = item.get(key)
        if isinstance(words, list) and any(isinstance(w, dict) for w in words):
            before = len(out)
            for j, word in enumerate(words):
                if isinstance(word, dict):
                    _read_item(word, f"{where} word {j}", ctx, speaker, out)
            for piece in out[before:]:
                piece.word = True
            return len(out) > before
    return False


def _diarized(item: dict[str, Any]) -> bool:
    # A text with no speaker whose words name theirs (Deepgram): the words say who spoke.
    return any(
        isinstance(w, dict) and _own_speaker(w)
        for key in WORD_LIST_KEYS if isinstance(words := item.get(key), list) for w in words[:50]
    )


def _word_count(item: dict[str, Any]) -> int:
    return sum(len(words) for key in WORD_LIST_KEYS
               if isinstance(words := item.get(key), list))


def _diarized_only(items: list[Any]) -> list[Any]:
    """Google's diarized results: the last result repeats every word with its speaker.

    The results before it hold the same words without speakers; read together,
    everything would be said twice. Where the results whose words name speakers hold
    (about) as many words as the others, they are the transcript.
    """
    views = [_view(x) if isinstance(x, dict) else None for x in items]
    if any(v is not None and _own_speaker(v) for v in views):
        return items  # utterances that name their speakers: another shape
    marked = [v is not None and _diarized(v) for v in views]
    if not any(marked) or all(m for m, v in zip(marked, views, strict=True) if v is not None):
        return items
    named = sum(_word_count(v) for m, v in zip(marked, views, strict=True) if m and v)
    others = sum(_word_count(v) for m, v in zip(marked, views, strict=True) if not m and v)
    if named < 0.8 * others:
        return items
    return [x for x, m in zip(items, marked, strict=True) if m]


def aws_speakers(data: Any, items: list[Any]) -> list[Any]:
    """AWS Transcribe's words with their speakers, where the speakers are listed apart.

    Its classic output keeps ``results.items`` (words and punctuation) without
    speakers and says who spoke when in ``results.speaker_labels.segments[].items``,
    by start time. Each word gets the speaker of its start time; punctuation (no
    time) stays with the words around it.
    """
    results = data.get("results") if isinstance(data, dict) else None
    labels = results.get("speaker_labels") if isinstance(results, dict) else None
    segments = labels.get("segments") if isinstance(labels, dict) else None
    if not isinstance(segments, list) or not isinstance(results, dict) \
            or results.get("items") is not items:
        return items
    by_start: dict[str, str] = {}
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        for part in segment.get("items") or [segment]:
            if isinstance(part, dict) and isinstance(part.get("start_time"), str):
                label = part.get("speaker_label") or segment.get("speaker_label")
                if isinstance(label, str):
                    by_start[part["start_time"]] = label
    if not by_start:
        return items
    return [
        {**item, "speaker_label": by_start[start]}
        if isinstance(item, dict) and "speaker_label" not in item
        and isinstance(start := item.get("start_time"), str) and start in by_start
        else item
        for item in items
    ]


def _join(words: list[str]) -> str:
    text = ""
    for raw in words:
        word = raw.strip()
        if not word:
            continue
        if text and not word.startswith(_ATTACH) and not text.endswith(_OPENERS):
            text += " "
        text += word
    return text


def _to_cues(pieces: list[Piece]) -> list[Cue]:
    cues: list[Cue] = []
    run: list[Piece] = []
    speaker: str | None = None

    def flush() -> None:
        if run:
            starts = [p.start for p in run if p.start is not None]
            ends = [p.end for p in run if p.end is not None]
            cues.append(Cue(speaker, _join([p.text for p in run]),
                            starts[0] if starts else None, ends[-1] if ends else None))
            run.clear()

    for piece in pieces:
        if not piece.word:
            flush()
            speaker = piece.speaker
            cues.append(Cue(piece.speaker, piece.text, piece.start, piece.end))
            continue
        # Punctuation items (AWS) carry no speaker: they belong to the words around them.
        if piece.speaker is not None and piece.speaker != speaker:
            flush()
            speaker = piece.speaker
        elif run and run[-1].text.rstrip().endswith(_SENTENCE_END) and not (
                piece.text.strip().startswith(_ATTACH)):
            flush()  # a cue per sentence, so a monologue's paragraphs keep their times
        run.append(piece)
    flush()
    return cues


def _scale_ms(pieces: list[Piece], duration: float | None) -> bool:
    """Whether whole-number times are milliseconds (AssemblyAI) rather than seconds."""
    timed = [p for p in pieces if p.start is not None or p.end is not None]
    if not timed or not all(p.whole for p in timed):
        return False
    values = [t for p in timed for t in (p.start, p.end) if t is not None]
    top = max(values)
    if top <= 0:
        return False
    if duration:
        return top > duration * 1.5 and top / 1000 <= duration * 1.5
    words = sum(len(p.text.split()) for p in pieces)
    return words / top < 1 / 20 and words / (top / 1000) <= 10


def cues_from_items(items: list[Any], *, label: str, source: str, warnings: list[str],
                    duration: float | None = None, guess_units: bool = True,
                    words: bool = False) -> list[Cue]:
    """The cues of a list of ASR items (segments, utterances, monologues or words).

    ``label`` names an item in messages ("segment 3"). Items that are not objects
    or hold no text are skipped with one warning; ``words`` says the list is one
    of words (found under ``words``) even where they say ``text``, not ``word``
    (AssemblyAI). A time that cannot be read as seconds is dropped, its item kept,
    with one warning naming the first such item and field.
    """
    pieces: list[Piece] = []
    skipped = 0
    ctx = _Reading(source)
    items = _diarized_only(items)
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not _read_item(item, f"{label} {i}", ctx, None,
                                                        pieces):
            skipped += 1
    if ctx.bad_times:
        n = len(ctx.bad_times)
        warnings.append(f"dropped {n} time{'s' if n != 1 else ''} that could not be read as"
                        f" seconds, the text kept without {'them' if n != 1 else 'it'}"
                        f" (the first: {ctx.bad_times[0]})")
    if words:
        for piece in pieces:
            piece.word = True
    if skipped and pieces:
        warnings.append(f"skipped {skipped} {label}{'s' if skipped != 1 else ''} with no text")
    if guess_units and _scale_ms(pieces, duration):
        for p in pieces:
            p.start = None if p.start is None else p.start / 1000
            p.end = None if p.end is None else p.end / 1000
        warnings.append("read the times as milliseconds (whole numbers far too large for "
                        "seconds)")
    return _to_cues(pieces)
