"""Turning-point boundaries on QMSum, fast: segments only, no TL;DR, no baselines but uniform.

    .venv/bin/python eval/tune_segments.py ../shared/eval/qmsum/train [--limit N] [-v]

Reads each meeting as ``briefbot eval briefs`` does (``briefs.readers``, ``make_passages``),
caches the candidate sentences in ``/tmp`` (keyed by file and size), and scores only the
segmenter's boundaries: strict F1 (3 turns) and scale F1 (half the mean gold segment),
each beside uniform given the true count, plus how many boundaries are drawn.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

from briefs.brief._model import find_host
from briefs.brief._segments import segment
from briefs.brief._sentences import candidates
from briefs.eval._gold import read_meeting_gold
from briefs.eval._metrics import score_boundaries, uniform_boundaries
from briefs.passages import make_passages
from briefs.readers import read_path

CACHE = Path("/tmp/briefbot-seg-cache")


def load(path: Path):  # type: ignore[no-untyped-def]
    CACHE.mkdir(exist_ok=True)
    key = hashlib.sha1(f"{path.resolve()}:{path.stat().st_size}".encode()).hexdigest()[:16]
    hit = CACHE / f"{key}.pkl"
    if hit.exists():
        return pickle.loads(hit.read_bytes())
    t = read_path(path)
    cands = candidates(t, make_passages(t))
    out = (t, cands, find_host(t), read_meeting_gold(path))
    hit.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    for folder in args.folders:
        files = sorted(folder.glob("*.json"))[: args.limit]
        sums = {k: 0.0 for k in ("f1", "sf1", "uf1", "usf1", "pred", "gold", "early")}
        n, secs = 0, 0.0
        for path in files:
            t, cands, host, gold = load(path)
            units = len(t.turns)
            if units != gold.turn_count:
                continue
            t0 = time.process_time()
            segs = segment(t, cands, host)
            secs += time.process_time() - t0
            pred = [s.first_turn for s in segs[1:]]
            ours = score_boundaries(pred, gold.boundaries, units)
            uni = score_boundaries(
                uniform_boundaries(units, len(gold.boundaries) + 1), gold.boundaries, units
            )
            sums["f1"] += ours.f1
            sums["sf1"] += ours.scale_f1
            sums["uf1"] += uni.f1
            sums["usf1"] += uni.scale_f1
            sums["pred"] += ours.predicted
            sums["gold"] += ours.gold
            sums["early"] += sum(1 for p in pred if p < units * 0.1)
            n += 1
            if args.v:
                print(
                    f"{path.stem:24} n={units:5} gold={list(gold.boundaries)} pred={pred} "
                    f"f1={ours.f1:.2f} sf1={ours.scale_f1:.2f} usf1={uni.scale_f1:.2f}"
                )
        m = {k: v / max(n, 1) for k, v in sums.items()}
        print(
            f"{folder.name:6} n={n:3}  strict {m['f1']:.3f} (uniform {m['uf1']:.3f})  "
            f"scale {m['sf1']:.3f} (uniform {m['usf1']:.3f})  "
            f"drawn {m['pred']:.2f} gold {m['gold']:.2f} in first 10% {m['early']:.2f}  "
            f"cpu {secs:.1f}s",
            file=sys.stdout,
        )


if __name__ == "__main__":
    main()
