"""The abstractive TL;DR's prompt, and the checks every bullet must pass.

The model sees numbered passages and must cite them. Nothing it writes is
trusted: a bullet survives only if it cites a passage we offered *and* shares
at least one content word (stemmed, stopwords out) with it. The quote shown
beside a kept bullet is the cited passage's sentence that shares the most
words with it, so the reader can check the claim against what was said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefs.passages import Passage, Sentence, split_sentences
from briefs.tokenize import tokenize
from briefs.transcript import Transcript

__all__ = ["CheckedBullet", "build_messages", "check_bullets", "parse_reply", "select_passages"]


@dataclass(frozen=True, slots=True)
class CheckedBullet:
    """A bullet that cites an offered passage and shares content words with it."""

    text: str
    passage: Passage
    quote: Sentence
    """The passage's sentence closest to the bullet; offsets into the transcript text."""


def select_passages(
    passages: Sequence[Passage], preferred_ids: Iterable[int], max_chars: int
) -> list[Passage]:
    """The passages to show the model, in transcript order, within ``max_chars``.

    A long transcript does not fit a small local model's context, so passages
    the extractive brief already cites come first, then others spread evenly
    over the whole conversation (not just its opening minutes).
    """
    by_id = {p.id: p for p in passages}
    chosen: dict[int, Passage] = {}
    used = 0

    def take(p: Passage) -> None:
        nonlocal used
        cost = len(p.text) + len(p.speaker) + 12
        if p.id not in chosen and used + cost <= max_chars:
            chosen[p.id] = p
            used += cost

    for pid in preferred_ids:
        if pid in by_id:
            take(by_id[pid])
    rest = [p for p in passages if p.id not in chosen]
    for i in _spread_order(len(rest)):
        take(rest[i])
    return sorted(chosen.values(), key=lambda p: p.start)


def _spread_order(n: int) -> list[int]:
    """``range(n)`` in van der Corput order (0, 1/2, 1/4, 3/4, ... of the way).

    Every prefix of the order is spread evenly over the whole range, so
    whatever the budget cuts off, what is left covers the whole conversation.
    """
    order: list[int] = []
    seen: set[int] = set()
    j = 0
    while len(order) < n and j < 4 * n + 8:
        x, f, k = 0.0, 0.5, j
        while k:
            x += f * (k & 1)
            k >>= 1
            f /= 2
        pos = int(x * n)
        if pos not in seen:
            seen.add(pos)
            order.append(pos)
        j += 1
    order.extend(i for i in range(n) if i not in seen)
    return order


SYSTEM_PROMPT = (
    "You write the TL;DR of a conversation transcript for busy readers. "
    "You only state what the passages say. Every bullet cites the ids of the passages "
    "that support it. Reply with JSON only."
)


def build_messages(
    transcript: Transcript, offered: Sequence[Passage], min_bullets: int, max_bullets: int
) -> list[dict[str, str]]:
    """Chat messages asking for cited bullets over ``offered`` passages."""
    lines = [f"[{p.id}] {p.speaker}: {p.text}" for p in offered]
    user = (
        f"Transcript: {transcript.title}\n"
        f"Speakers: {', '.join(transcript.speakers) or 'unknown'}\n\n"
        "Passages, each with its id in brackets:\n\n" + "\n\n".join(lines) + "\n\n"
        f"Write {min_bullets} to {max_bullets} TL;DR bullets covering the whole conversation, "
        "in the order the topics come up. Each bullet is one self-contained sentence of at "
        "most 35 words that says who holds the view. Cite the ids of the passages that "
        "support each bullet.\n"
        'Reply with exactly this JSON: {"bullets": [{"text": "...", "cite": [id, ...]}]}'
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)
_ID = re.compile(r"\d+")


def parse_reply(content: str) -> list[tuple[str, list[int]]]:
    """``(text, cited ids)`` per bullet; ``ValueError`` when it is not the JSON asked for.

    Models wrap JSON in code fences or add a sentence around it, so the
    outermost object is cut out before parsing. Ids may come as ``12``,
    ``"12"`` or ``"P12"``.
    """
    text = _FENCE.sub("", content.strip())
    first, last = text.find("{"), text.rfind("}")
    if first < 0 or last < first:
        raise ValueError("the reply holds no JSON object")
    try:
        data: Any = json.loads(text[first : last + 1])
    except json.JSONDecodeError as err:
        raise ValueError(f"the reply is not valid JSON ({err.msg})") from None
    bullets = data.get("bullets") if isinstance(data, dict) else None
    if not isinstance(bullets, list):
        raise ValueError('the reply has no "bullets" list')
    out: list[tuple[str, list[int]]] = []
    for item in bullets:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        cite = item.get("cite", item.get("citations", []))
        if not isinstance(cite, list):
            cite = [cite]
        ids = [int(m.group()) for c in cite if (m := _ID.search(str(c)))]
        out.append((item["text"], ids))
    return out


_BULLET_MARK = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s*")


def _terms(text: str) -> set[str]:
    return set(tokenize(text))


def check_bullets(
    raw: Sequence[tuple[str, list[int]]], offered: Sequence[Passage], transcript: Transcript
) -> list[CheckedBullet]:
    """Keep bullets that cite an offered passage sharing a content word with them."""
    by_id = {p.id: p for p in offered}
    kept: list[CheckedBullet] = []
    seen: set[str] = set()
    for text, ids in raw:
        text = " ".join(_BULLET_MARK.sub("", text).split())
        terms = _terms(text)
        if not terms or text.casefold() in seen:
            continue
        for pid in ids:
            passage = by_id.get(pid)
            if passage is None or not terms & _terms(passage.text):
                continue
            quote = _closest_sentence(passage, terms, transcript)
            kept.append(CheckedBullet(text, passage, quote))
            seen.add(text.casefold())
            break
    return kept


def _closest_sentence(passage: Passage, terms: set[str], transcript: Transcript) -> Sentence:
    sentences = split_sentences(transcript.text[passage.start : passage.end], passage.start)
    best = max(sentences, key=lambda s: len(terms & _terms(s.text)))
    return best
