"""Train the risk reader's second gate (``briefs/brief/_risk_model.py``) on the tune part.

    .venv/bin/python eval/train_risks.py            # cross-validate, train, write the weights
    .venv/bin/python eval/train_risks.py --check    # cross-validate only, write nothing

Only the ``tune`` part of ``eval/risks.json`` is read (the ``heldout2`` part is
never seen here), and only the sentences the rules take: the gate's one job is
to say "no" to a rule verdict that took another sense. Logistic regression in
numpy, full-batch gradient descent from zeros with L2: no randomness, so the
same judged set gives the same weights. Needs ``../shared`` (most tune
sentences are third-party, stored as locators).

The threshold is chosen by 5-fold cross-validation on the tune part (folds by
position, fixed): the highest F0.5 over the tune sentences (precision weighs
more; a sentence the rules missed counts as a miss either way), never below
``MIN_RECALL`` of the rules' own recall.
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
from briefs.eval import load_judged  # noqa: E402

L2 = 1.0
STEPS = 3000
RATE = 0.5
MIN_COUNT = 2
FOLDS = 5
MIN_RECALL = 0.93
"""The gate may cost at most 7% of the rules' recall on the tune part (cross-validated)."""


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


def _scores(said: list[bool], truth: list[bool]) -> tuple[float, float]:
    tp = sum(s and t for s, t in zip(said, truth, strict=True))
    fp = sum(s and not t for s, t in zip(said, truth, strict=True))
    fn = sum(t and not s for s, t in zip(said, truth, strict=True))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    items, skipped, missing = load_judged()
    if skipped or missing:
        print(f"needs ../shared: {skipped} skipped, {len(missing)} not found", file=sys.stderr)
        return 1
    tune = [i for i in items if i.part == "tune"]
    truth = [i.risk for i in tune]
    rules = [rules_take(i.text) for i in tune]
    taken = [k for k, r in enumerate(rules) if r]
    rows = {
        k: features(tune[k].text, read(tune[k].text),
                    question=tune[k].text.rstrip().endswith("?"))
        for k in taken
    }
    p0, r0 = _scores(rules, truth)
    print(f"tune: {len(tune)} sentences, rules take {len(taken)}; rules P {p0:.3f} R {r0:.3f}")
    # Cross-validated probabilities for every sentence the rules take.
    held: dict[int, float] = {}
    for fold in range(FOLDS):
        test = [k for n, k in enumerate(taken) if n % FOLDS == fold]
        train = [k for n, k in enumerate(taken) if n % FOLDS != fold]
        b, weights = _train([rows[k] for k in train], np.array([truth[k] for k in train], float))
        held.update({k: _prob(b, weights, rows[k]) for k in test})
    best = (0.0, 0.0, 0.0, 0.0)
    for t in np.arange(0.05, 0.95, 0.025):
        said = [r and held.get(k, 0.0) >= t for k, r in enumerate(rules)]
        p, r = _scores(said, truth)
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        if r >= MIN_RECALL * r0 and f05 > best[0]:
            best = (f05, float(t), p, r)
    _, threshold, p, r = best
    print(f"cross-validated gate: threshold {threshold:.3f}, rules + gate P {p:.3f} R {r:.3f}")
    if args.check:
        return 0
    b, weights = _train([rows[k] for k in taken], np.array([truth[k] for k in taken], float))
    kept = {f: round(v, 4) for f, v in sorted(weights.items()) if abs(v) >= 0.005}
    WEIGHTS.write_text(
        json.dumps({
            "about": "Risk gate weights: logistic regression over rule forms and word n-grams, "
                     "trained by eval/train_risks.py on the tune part of eval/risks.json.",
            "bias": round(b, 4), "threshold": round(threshold, 3), "weights": kept,
        }, indent=0, sort_keys=False) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS.relative_to(REPO)}: {len(kept)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
