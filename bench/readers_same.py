"""Do two trees' readers store the same transcripts? Turn counts, speakers and text.

Run: ``.venv/bin/python bench/readers_same.py --against /work/main`` (from a worktree).

Reads every bundled sample (``briefs/samples``), every reader test sample
(``tests/data/readers``), the interview in ``../shared/corpus`` and all QMSum
meetings (``../shared/eval/qmsum/{train,val}``) with this tree's readers and,
in a subprocess, with the other tree's, then prints one line per file whose
turn count, speakers or stored text differ (the first differing turn shown),
and a summary. Exits 1 when any turn count differs: what a change to the
readers must not do to files it was not written for.

``--dump TREE`` prints that tree's fingerprints as JSON (what the subprocess does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def files(root: Path) -> list[Path]:
    """The files compared, named relative to a tree (or to ``../shared``)."""
    found = sorted((root / "briefs" / "samples").glob("*.*"))
    found += sorted(p for p in (root / "tests" / "data" / "readers").rglob("*") if p.is_file())
    found += sorted((SHARED / "corpus").glob("*.txt"))
    for split in ("train", "val"):
        found += sorted((SHARED / "eval" / "qmsum" / split).glob("*.json"))
    return found


def dump(tree: Path) -> dict[str, dict[str, object]]:
    """Fingerprint of each file (this tree's list) as ``tree``'s readers store it."""
    sys.path.insert(0, str(tree))
    import briefs
    from briefs.readers import read_path

    # An editable install of another tree must not answer for this one.
    assert Path(briefs.__file__).resolve().is_relative_to(tree.resolve()), briefs.__file__
    out: dict[str, dict[str, object]] = {}
    for path in files(ROOT):
        name = str(path.relative_to(SHARED if path.is_relative_to(SHARED) else ROOT))
        try:
            t = read_path(path)
        except Exception as exc:  # a file one tree refuses is a difference to show
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        out[name] = {
            "turns": len(t.turns),
            "speakers": sorted(t.speakers),
            "text": hashlib.sha1(t.text.encode()).hexdigest(),
            "title": t.title,
            "turn_texts": [x.text for x in t.turns],
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="the other tree (e.g. /work/main)")
    parser.add_argument("--dump", type=Path, metavar="TREE",
                        help="print TREE's fingerprints as JSON")
    args = parser.parse_args()
    if args.dump:
        json.dump(dump(args.dump), sys.stdout)
        return 0
    if args.against is None:
        parser.error("--against TREE is required")
    env = {**os.environ, "PYTHONPATH": str(args.against)}
    theirs = json.loads(subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--dump", str(args.against)],
        env=env, capture_output=True, text=True, check=True,
    ).stdout)
    ours = dump(ROOT)
    counts_differ = text_differs = 0
    for name in sorted(set(ours) | set(theirs)):
        a, b = theirs.get(name), ours.get(name)
        if a == b:
            continue
        if a is None or b is None:
            print(f"{name}: only in {'this tree' if a is None else str(args.against)}")
            continue
        if "error" in a or "error" in b:
            print(f"{name}: {a.get('error', 'read')} -> {b.get('error', 'read')}")
            counts_differ += 1
            continue
        if a["turns"] != b["turns"]:
            counts_differ += 1
        else:
            text_differs += 1
        first = next((i for i, (x, y) in enumerate(zip(a["turn_texts"], b["turn_texts"],
                                                       strict=False))
                      if x != y), None)
        print(f"{name}: turns {a['turns']} -> {b['turns']}"
              + (f", speakers {a['speakers']} -> {b['speakers']}"
                 if a["speakers"] != b["speakers"] else "")
              + (f", title {a['title']!r} -> {b['title']!r}" if a["title"] != b["title"] else "")
              + (f"\n  turn {first}: {a['turn_texts'][first][:160]!r}\n"
                 f"       -> {b['turn_texts'][first][:160]!r}" if first is not None else ""))
    print(f"{len(ours)} files: {counts_differ} with other turn counts (or read/refused),"
          f" {text_differs} with the same turns but other text,"
          f" {len(ours) - counts_differ - text_differs} identical")
    return 1 if counts_differ else 0


if __name__ == "__main__":
    sys.exit(main())
