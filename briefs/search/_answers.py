"""Answers first: a quote search should answer, not echo the question.

In an interview the host's question often holds the query's words more densely
than the answer ("When will the super app launch?" against "it will be
delivered gradually"), so plain BM25 puts the question on top. Two rules:

- A passage that is only a question ranks below an answer that matches as
  well (``QuestionQueue``, a streaming merge over the ranked matches, so the
  order stays exact however many candidates were fetched); its score may be
  weighed down too (``QUESTION_WEIGHT``).
- When the excerpt chosen in a passage is only a question, the hit shows the
  answer instead (the first passage of the next turn by someone else) and the
  question as one line of context (``Hit.context``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Generic, TypeVar

from briefs.passages import Sentence, split_sentences
from briefs.search._excerpt import MAX_CHARS, Excerpt, find_phrase, make_excerpt
from briefs.search._query import Query
from briefs.store import SearchPassage, Store
from briefs.tokenize import token_spans, tokenize

__all__ = [
    "QUESTION_WEIGHT", "QuestionQueue", "answer_excerpt", "is_question", "load_replies",
    "one_line", "reply_allowed",
]

QUESTION_WEIGHT = 1.0
"""A bare question's score is taken at this share when ranking. 1.0: ties go
to the answer and nothing more. Lower weights were measured (docs/quality.md):
0.7 and 0.5 lowered MRR on QMSum train and Success@3 on the judged queries,
since the question's hit already shows its answer."""

_CLOSERS = "\"'”’)]» "


def is_question(text: str) -> bool:
    """True when every sentence of ``text`` that has a word in it is a question."""
    sentences = [s.text for s in split_sentences(text) if any(c.isalnum() for c in s.text)]
    return bool(sentences) and all(s.rstrip(_CLOSERS).endswith(("?", "？")) for s in sentences)


def one_line(text: str) -> str:
    """``text`` with every whitespace run (line breaks too) as one space."""
    return " ".join(text.split())


async def load_replies(store: Store, rows: list[SearchPassage],
                       replies: dict[int, SearchPassage]) -> None:
    """The reply passage (next turn by someone else) of each row, into ``replies``."""
    want = [r.id for r in rows if r.id not in replies]
    if not want:
        return
    nxt = await store.index.next_other_speaker(want)
    texts = await store.index.passages_text(sorted(set(nxt.values())))
    replies.update({qid: texts[aid] for qid, aid in nxt.items() if aid in texts})


def reply_allowed(q: Query, text: str) -> bool:
    """A reply stands in for its question only where the query lets it: not
    under ``speaker:`` (someone else said it), nor holding what is excluded."""
    if q.speakers or any(find_phrase(text, p) for p in q.exclude_phrases):
        return False
    return not set(q.exclude_terms) & set(tokenize(text))


def answer_excerpt(
    text: str, start: int, terms: Sequence[str], weight: Callable[[str], float],
    shown: Collection[int] = (),
) -> Excerpt | None:
    """The excerpt of an answer passage: its best window for ``terms`` when
    one matches, else its opening sentences (the reply itself); None when
    every sentence was shown already."""
    ex = make_excerpt(text, start, terms, weight, (), shown)
    if ex is not None:
        return ex
    window: list[Sentence] = []
    for sent in split_sentences(text, start):
        if sent.start in shown:
            if window:
                break
            continue
        if window and sent.end - window[0].start > MAX_CHARS:
            break
        window.append(sent)
    if not window:
        return None
    lo, hi = window[0].start, window[-1].end
    if hi - lo > MAX_CHARS:  # one long sentence: cut at a word boundary
        cut = text.rfind(" ", lo - start, lo - start + MAX_CHARS)
        hi = start + cut if cut > lo - start else lo + MAX_CHARS
    piece = text[lo - start : hi - start].rstrip()
    wanted = set(terms)
    marks = tuple((sp.start, sp.end) for sp in token_spans(piece) if sp.term in wanted)
    return Excerpt(piece, lo, lo + len(piece), marks, tuple(s.start for s in window))


T = TypeVar("T")


class QuestionQueue(Generic[T]):
    """Bare questions held back until nothing ranks above them any more.

    Matches arrive best first. A question waits with its lowered score; before
    each other match is placed, every waiting question that now outranks it
    (strictly: an answer that matches as well goes first) is released.
    """

    def __init__(self, weight: float = QUESTION_WEIGHT) -> None:
        self.weight = weight
        self._waiting: list[tuple[float, T]] = []

    def hold(self, score: float, item: T) -> None:
        """Hold a question scored ``score`` (its place is ``score * weight``)."""
        self._waiting.append((score * self.weight, item))

    def release(self, above: float | None) -> list[T]:
        """Questions that rank above a match scored ``above`` (all of them
        when ``above`` is None: no match is left), best first."""
        # Scores arrive in falling order and the weight is one factor, so
        # the waiting list is already best first.
        n = 0
        while n < len(self._waiting) and (above is None or self._waiting[n][0] > above):
            n += 1
        out, self._waiting = self._waiting[:n], self._waiting[n:]
        return [item for _, item in out]
