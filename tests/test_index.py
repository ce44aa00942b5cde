"""BM25Index against rank-bm25's BM25Okapi as the oracle."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import briefs.search._index as index_module
import briefs.search._tiers as _tiers
from briefs.search import BM25Index, Match, encode_docs


def _random_docs(rng: random.Random, n: int, vocab: int) -> list[list[str]]:
    # Zipf-like: a few words everywhere (negative idf), a long tail of rare ones.
    return [
        [f"w{int(rng.paretovariate(1.0)) % vocab}" for _ in range(rng.randint(0, 30))]
        for _ in range(n)
    ]


def _oracle_top(scores: dict[int, float], matching: set[int], k: int) -> list[int]:
    ranked = sorted((-scores[i], i) for i in matching if scores[i] > 0)
    return [i for _, i in ranked[:k]]


def _check(index: BM25Index, docs: dict[int, list[str]], queries: list[list[str]]) -> None:
    keys = sorted(docs)
    oracle = BM25Okapi([docs[k] for k in keys])
    for q in queries:
        expected = dict(zip(keys, oracle.get_scores(q), strict=True))
        matching = {k for k in keys if set(q) & set(docs[k])}
        ids, scores = index.scores(q)
        assert set(ids.tolist()) == matching
        np.testing.assert_allclose(scores, [expected[i] for i in ids], rtol=0, atol=1e-9)
        # a passage without any query word scores exactly 0 in the oracle
        assert all(expected[k] == 0 for k in keys if k not in matching)
        top = index.top_k(q, 10)
        assert [m.passage_id for m in top] == _oracle_top(expected, matching, 10)


@pytest.mark.parametrize("seed", range(6))
def test_scores_equal_rank_bm25_on_random_corpora(seed: int) -> None:
    rng = random.Random(seed)
    vocab = rng.choice([4, 20, 300])
    docs = _random_docs(rng, rng.choice([3, 40, 400]), vocab)
    docs[0].append("w1")  # never an all-empty corpus
    index = BM25Index()
    index.add(list(range(len(docs))), docs)
    queries = [[f"w{rng.randint(0, vocab)}" for _ in range(rng.randint(1, 4))] for _ in range(30)]
    _check(index, dict(enumerate(docs)), queries)


@pytest.mark.parametrize("seed", range(6))
def test_incremental_adds_and_removals_match_a_full_rebuild(seed: int) -> None:
    rng = random.Random(100 + seed)
    vocab = rng.choice([6, 50, 500])
    index = BM25Index()
    live: dict[int, list[str]] = {}
    groups: dict[int, list[int]] = {}
    next_id = 0
    for group in range(12):
        batch = _random_docs(rng, rng.randint(1, 60), vocab)
        ids = list(range(next_id, next_id + len(batch)))
        next_id += len(batch)
        index.add(ids, batch, group=group)
        groups[group] = ids
        live.update(zip(ids, batch, strict=True))
        if group % 4 == 3:  # a superseded transcript leaves the index
            gone = rng.choice(sorted(groups))
            assert index.remove_group(gone) == len(groups[gone])
            for i in groups.pop(gone):
                del live[i]
        if any(live.values()):
            queries = [[f"w{rng.randint(0, vocab)}" for _ in range(3)] for _ in range(8)]
            _check(index, live, queries)
    assert len(index) == len(live)
    assert index.remove_group(999) == 0


def test_small_adds_keep_few_segments() -> None:
    rng = random.Random(7)
    index = BM25Index()
    for g in range(200):
        index.add([g * 10 + i for i in range(10)], _random_docs(rng, 10, 100), group=g)
    # the merge ladder keeps the segment count logarithmic
    assert index.segment_count <= 8
    index.compact()
    assert index.segment_count == 1


@pytest.mark.parametrize(
    "docs",
    [
        [["a", "b"]],
        [["a", "b"], ["a", "c"]],
        [["a"], ["a"], ["a", "b"]],
        [["a", "x"], ["a", "y"], ["a", "z"], ["b"]],
    ],
)
def test_tiny_corpora_never_return_non_positive_scores(docs: list[list[str]]) -> None:
    # Here rank-bm25's idf floor (epsilon x average idf) turns negative:
    # matching passages would score <= 0 and rank below non-matching ones.
    index = BM25Index()
    index.add(list(range(len(docs))), docs)
    oracle = BM25Okapi(docs)
    for q in (["a"], ["b"], ["a", "b"], ["c", "z"]):
        expected = oracle.get_scores(q)
        ids, scores = index.scores(q)
        np.testing.assert_allclose(scores, expected[ids], rtol=0, atol=1e-9)
        top = index.top_k(q, 5)
        assert [m.passage_id for m in top] == [
            i for i in sorted(range(len(docs)), key=lambda i: (-expected[i], i))
            if expected[i] > 0 and set(q) & set(docs[i])
        ]
        assert all(m.score > 0 for m in top)


def test_repeated_query_terms_count_twice_like_rank_bm25() -> None:
    docs = [["x", "y"], ["y", "z"], ["z", "w", "x"], ["v"], ["u"]]
    index = BM25Index()
    index.add([10, 11, 12, 13, 14], docs)
    expected = BM25Okapi(docs).get_scores(["x", "x", "z"])
    assert index.top_k(["x", "x", "z"], 3) == [
        Match(12, pytest.approx(expected[2], abs=1e-9)),
        Match(10, pytest.approx(expected[0], abs=1e-9)),
        Match(11, pytest.approx(expected[1], abs=1e-9)),
    ]


def test_ties_break_by_passage_id() -> None:
    docs = [["b", "c"], ["a", "c"], ["a", "d"], ["e"], ["f"], ["g"]]
    index = BM25Index()
    index.add([30, 20, 10, 40, 50, 60], docs)
    assert [m.passage_id for m in index.top_k(["a"], 5)] == [10, 20]


def test_unknown_terms_and_empty_queries_match_nothing() -> None:
    index = BM25Index()
    assert index.top_k(["a"], 5) == []
    index.add([1, 2, 3], [["a"], [], ["b"]])
    assert index.top_k(["zzz"], 5) == []
    assert index.top_k([], 5) == []
    assert index.ranked(["a"], 0) == ([], 1)


def test_empty_passages_count_in_corpus_size_and_avgdl() -> None:
    docs = [["a", "b"], [], [], ["c"], ["d"], ["e"]]
    index = BM25Index()
    index.add(list(range(6)), docs)
    ids, scores = index.scores(["a"])
    assert ids.tolist() == [0]
    assert scores[0] == pytest.approx(BM25Okapi(docs).get_scores(["a"])[0], abs=1e-9)


def test_where_filters_candidates_and_total_counts_them() -> None:
    docs = [["a"], ["a", "b"], ["a", "c"], ["d"], ["e"], ["f"], ["g"], ["h"]]
    index = BM25Index()
    index.add([0, 1, 2], docs[:3], group=1)
    index.add([3, 4, 5, 6, 7], docs[3:], group=2)
    matches, total = index.ranked(["a"], 10, where=lambda rows: index.passage_ids(rows) != 1)
    assert ([m.passage_id for m in matches], total) == ([0, 2], 2)
    assert index.rows_with(["b", "c"]).tolist() == [1, 2]


def test_encode_docs_counts_terms_per_passage() -> None:
    vocab: dict[str, int] = {}
    enc = encode_docs([["b", "a", "b"], [], ["c"]], lambda t: vocab.setdefault(t, len(vocab)))
    assert vocab == {"b": 0, "a": 1, "c": 2}
    assert enc.counts.tolist() == [2, 0, 1]
    assert enc.term_ids.tolist() == [0, 1, 2]
    assert enc.tfs.tolist() == [2, 1, 1]
    assert enc.lengths.tolist() == [3, 0, 1]


def test_add_terms_refuses_conflicting_ids() -> None:
    index = BM25Index()
    index.add_terms({"a": 0, "b": 5})
    index.add_terms({"a": 0})
    with pytest.raises(ValueError, match="already has id"):
        index.add_terms({"a": 1})
    # new terms never reuse an id handed out elsewhere
    assert [index.term_id(t) for t in "cdefg"] == [6, 7, 8, 9, 10]


@pytest.fixture
def pruning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Impact tiers on tiny corpora: every term with 3+ postings gets a tier
    of a quarter of them, and every query takes the pruned top-k path."""
    monkeypatch.setattr(_tiers, "TIER_MIN", 3)
    monkeypatch.setattr(_tiers, "TIER_SHARE", 4)
    monkeypatch.setattr(_tiers, "TIER_DEPTH_MIN", 1)
    monkeypatch.setattr(index_module, "_DENSE_MAX", 0)


def _zipf_docs(rng: random.Random, n: int, vocab: int) -> list[list[str]]:
    # Few words in over half the passages, so idf stays positive for the rest.
    return [
        [f"w{int(rng.paretovariate(0.7)) % vocab + 1}" for _ in range(rng.randint(3, 40))]
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.usefixtures("pruning")
def test_pruned_top_k_is_rank_bm25s_top_k_bit_for_bit(seed: int) -> None:
    rng = random.Random(300 + seed)
    vocab = rng.choice([40, 400])
    index = BM25Index()
    live: dict[int, list[str]] = {}
    groups: dict[int, list[int]] = {}
    next_id = 0
    for group in range(6):
        batch = _zipf_docs(rng, rng.randint(50, 400), vocab)
        ids = list(range(next_id, next_id + len(batch)))
        next_id += len(batch)
        index.add(ids, batch, group=group)
        groups[group] = ids
        live.update(zip(ids, batch, strict=True))
        if group == 3:  # retired passages keep their postings until a merge
            gone = rng.choice(sorted(groups))
            assert index.remove_group(gone) == len(groups[gone])
            for i in groups.pop(gone):
                del live[i]
        keys = sorted(live)
        oracle = BM25Okapi([live[i] for i in keys])
        for _ in range(25):
            q = [f"w{int(rng.paretovariate(0.5)) % vocab + 1}" for _ in range(rng.randint(1, 4))]
            if any(oracle.idf.get(t, 1.0) <= 0 for t in q):
                continue  # a negative floor: covered by the dense path's tests
            expected = dict(zip(keys, oracle.get_scores(q), strict=True))
            matching = {i for i in keys if set(q) & set(live[i])}
            top = index.top_k(q, 10)
            assert [m.passage_id for m in top] == _oracle_top(expected, matching, 10)
            want = [expected[m.passage_id] for m in top]
            if any(oracle.idf.get(t) == oracle.epsilon * oracle.average_idf for t in q):
                # the floor averages idf in another summation order: 1e-9
                assert [m.score for m in top] == pytest.approx(want, rel=0, abs=1e-9)
            else:
                assert [m.score for m in top] == want
    assert not index._mark.view.any()  # scratch is clean between queries


@pytest.mark.usefixtures("pruning")
def test_pruned_top_k_with_repeated_terms_and_ties() -> None:
    # Identical passages tie exactly; repeats count twice, in query order.
    docs = [["a", "b"]] * 6 + [["a", "c", "c"]] * 4 + [["d"]] * 30 + [["b", "a", "a"]]
    index = BM25Index()
    index.add(list(range(len(docs), 0, -1)), docs)
    oracle = BM25Okapi(docs)
    pids = list(range(len(docs), 0, -1))
    for q in (["a"], ["a", "a", "b"], ["c", "a", "b", "c"], ["b"]):
        expected = dict(zip(pids, oracle.get_scores(q), strict=True))
        matching = {p for p, d in zip(pids, docs, strict=True) if set(q) & set(d)}
        top = index.top_k(q, 5)
        assert [m.passage_id for m in top] == _oracle_top(expected, matching, 5)
        assert [m.score for m in top] == [expected[m.passage_id] for m in top]


@pytest.mark.usefixtures("pruning")
def test_pruned_top_k_ignores_a_word_whose_passages_were_all_removed() -> None:
    kept = [["a", "b"], ["a"], ["b", "c"], ["d"], ["a", "a", "c"], ["e"]] * 3
    index = BM25Index()
    index.add(list(range(len(kept))), kept, group=1)
    index.add([100, 101], [["z", "a"], ["z"]], group=2)
    assert index.remove_group(2) == 2
    expected = BM25Okapi(kept).get_scores(["z", "a", "c"])
    top = index.top_k(["z", "a", "c"], 4)
    best = sorted(range(len(kept)), key=lambda i: (-expected[i], i))[:4]
    assert top == [Match(i, expected[i]) for i in best]


@pytest.mark.parametrize("seed", [3, 4])
def test_scoring_only_some_groups_equals_filtering_every_match(seed: int) -> None:
    rng = random.Random(seed)
    index = BM25Index()
    next_id = 0
    for g in range(12):  # one add per transcript, then a bulk add of mixed groups
        docs = _random_docs(rng, rng.randint(1, 40), 60)
        index.add(list(range(next_id, next_id + len(docs))), docs, group=g)
        next_id += len(docs)
    docs = _random_docs(rng, 50, 60)
    mixed = np.array([rng.choice([12, 13, 3]) for _ in docs])
    index.add(list(range(next_id, next_id + len(docs))), docs, group=mixed)
    index.remove_group(5)
    for _ in range(40):
        q = [f"w{int(rng.paretovariate(1.0)) % 60}" for _ in range(rng.randint(1, 3))]
        groups = set(rng.sample(range(15), rng.randint(1, 4)))
        wanted = np.fromiter(groups, np.int64)

        def in_groups(rows: np.ndarray, wanted: np.ndarray = wanted) -> np.ndarray:
            return np.isin(index.groups(rows), wanted)

        k = rng.randint(1, 30)
        assert index.ranked(q, k, groups=groups) == index.ranked(q, k, where=in_groups)
        assert index.top_k(q, k, groups=groups) == index.ranked(q, k, where=in_groups)[0]


def test_group_spans_join_adjacent_ranges() -> None:
    index = BM25Index()
    index.add([1, 2], [["a"], ["b"]], group=7)
    index.add([3, 4, 5], [["a"], ["a"], ["b"]], group=np.array([8, 8, 7]))
    assert index.spans([7, 8]) == [(0, 5)]
    assert index.spans([7]) == [(0, 2), (4, 5)]
    assert index.spans([9]) == []
