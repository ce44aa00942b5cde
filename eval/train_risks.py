"""Train the risk reader's second gate (``briefs/brief/_risk_model.py``) on the judged set.

    .venv/bin/python eval/train_risks.py            # cross-validate, train, write the weights
    .venv/bin/python eval/train_risks.py --check    # cross-validate only, write nothing

Every part of ``eval/risks.json`` is read (``tune``, ``heldout2``, ``heldout3``:
all have been seen), except parts named on ``--exclude`` (the blind part,
``heldout4``, is excluded by default so that training never sees it).
Only the sentences the rules take are trained on: the gate's one job is to say
"no" to a rule verdict that took another sense. Logistic regression in numpy,
full-batch gradient descent from zeros with L2: no randomness, so the same
judged set gives the same weights. Needs ``../shared`` (most sentences are
third-party, stored as locators).

Honest estimate: leave-one-source-out cross-validation. Each source (one QMSum
meeting, one sample, the interview) is held out in turn; the gate is trained on
every other source and scores the held-out one, so no meeting is ever scored by
a gate that saw it. Printed: precision and recall of the rules alone and of
rules + gate over those held-out scores, for all sentences, QMSum only, and
each part. The threshold is the one with the highest F0.5 over the pooled
held-out scores (precision weighs more) whose recall keeps ``MIN_RECALL`` of
the rules' own; that one choice is made on the same held-out scores, so the
"rules + gate" row is slightly optimistic. The rules themselves were written
while reading these sentences: their cross-validated row is in-sample for the
rules, and only a part labelled blind (``heldout4``) measures them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefs.brief._risk_model import WEIGHTS, features  # noqa: E402
from briefs.brief._risk_rules import read  # noqa: E402
from briefs.brief._risks import rules_take  # noqa: E402
from briefs.eval import Score, load_judged  # noqa: E402

L2 = 1.0
STEPS = 3000
RATE = 0.5
MIN_COUNT = 2
MIN_RECALL = 0.97
"""The gate may cost at most 3% of the rules' recall (leave-one-source-out)."""
THRESHOLDS = [round(t, 3) for t in np.arange(0.05, 0.951, 0.025)]


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    n, d = x.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = p - y
        w -= RATE * (x.T @ g / n + L2 * w / n)
        b -= RATE * float(g.mean())
    return b, w


def _matrix(rows: list[list[str]], vocab: list[str]) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for r, feats in enumerate(rows):
        for f in feats:
            if f in index:
                x[r, index[f]] = 1.0
    return x


def _vocab(rows: list[list[str]]) -> list[str]:
    counts: dict[str, int] = {}
    for feats in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, c in counts.items() if c >= MIN_COUNT)


def _train(rows: list[list[str]], y: np.ndarray) -> tuple[float, dict[str, float]]:
    vocab = _vocab(rows)
    b, w = _fit(_matrix(rows, vocab), y)
    return b, {f: float(v) for f, v in zip(vocab, w, strict=True)}


def _prob(b: float, weights: dict[str, float], feats: list[str]) -> float:
    z = b + sum(weights.get(f, 0.0) for f in feats)
    return float(1.0 / (1.0 + np.exp(-z)))


def _scores(said: list[bool], truth: list[bool]) -> Score:
    score = Score()
    for s, t in zip(said, truth, strict=True):
        score.add(s, t)
    return score


def _row(name: str, said: list[bool], truth: list[bool]) -> str:
    s = _scores(said, truth)
    counts = f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
    return f"    {name:<14} P {s.precision:.3f}  R {s.recall:.3f}  {counts}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="cross-validate only")
    parser.add_argument("--exclude", nargs="*", default=["heldout4"],
                        help="parts never trained on (default: heldout4, the next blind part)")
    args = parser.parse_args()
    items, skipped, missing = load_judged()
    if skipped or missing:
        print(f"needs ../shared: {skipped} skipped, {len(missing)} not found", file=sys.stderr)
        return 1
    items = [i for i in items if i.part not in set(args.exclude)]
    truth = [i.risk for i in items]
    rules = [rules_take(i.text) for i in items]
    taken = [k for k, r in enumerate(rules) if r]
    rows = {
        k: features(items[k].text, read(items[k].text),
                    question=items[k].text.rstrip().endswith("?"))
        for k in taken
    }
    sources = sorted({i.source for i in items})
    print(f"{len(items)} sentences from {len(sources)} sources, rules take {len(taken)}")
    # Leave one source out: every taken sentence is scored by a gate that never saw its source.
    held: dict[int, float] = {}
    for source in sources:
        test = [k for k in taken if items[k].source == source]
        if not test:
            continue
        train = [k for k in taken if items[k].source != source]
        b, weights = _train([rows[k] for k in train], np.array([truth[k] for k in train], float))
        held.update({k: _prob(b, weights, rows[k]) for k in test})
    r0 = _scores(rules, truth).recall
    best = (-1.0, 0.0)
    for t in THRESHOLDS:
        said = [r and held.get(k, 0.0) >= t for k, r in enumerate(rules)]
        scored = _scores(said, truth)
        p, r = scored.precision, scored.recall
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        if r >= MIN_RECALL * r0 and f05 > best[0] + 1e-9:
            best = (f05, t)
    threshold = best[1]
    gated = [r and held.get(k, 0.0) >= threshold for k, r in enumerate(rules)]
    print(f"leave-one-source-out, gate threshold {threshold:.3f} "
          f"(highest F0.5 keeping {MIN_RECALL:.0%} of the rules' recall):")
    groups: dict[str, list[int]] = {"all": list(range(len(items)))}
    groups["qmsum"] = [k for k, i in enumerate(items) if "qmsum" in i.source]
    for part in dict.fromkeys(i.part for i in items):
        groups[part] = [k for k, i in enumerate(items) if i.part == part]
    for name, ks in groups.items():
        print(f"  {name} ({len(ks)} sentences)")
        sub = [truth[k] for k in ks]
        print(_row("rules", [rules[k] for k in ks], sub))
        print(_row("rules + gate", [gated[k] for k in ks], sub))
    if args.check:
        return 0
    b, weights = _train([rows[k] for k in taken], np.array([truth[k] for k in taken], float))
    kept = {f: round(v, 4) for f, v in sorted(weights.items()) if abs(v) >= 0.005}
    WEIGHTS.write_text(
        json.dumps({
            "about": "Risk gate weights: logistic regression over rule forms and word n-grams, "
                     "trained by eval/train_risks.py on the rule-taken sentences of every "
                     "seen part of eval/risks.json; threshold by leave-one-source-out "
                     "cross-validation.",
            "bias": round(b, 4), "threshold": round(threshold, 3), "weights": kept,
        }, indent=0, sort_keys=False) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS.relative_to(REPO)}: {len(kept)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
