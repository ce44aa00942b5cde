"""The PostgreSQL store's cache of transcript texts (``briefs/store/_textcache.py``)."""

from __future__ import annotations

from briefs.store._textcache import TextCache


def test_least_recently_used_texts_leave_first_past_the_budget() -> None:
    cache = TextCache(budget=10)
    cache.put(1, "aaaa")
    cache.put(2, "bbbb")
    assert cache.get(1) == "aaaa"  # 1 is now the most recent
    cache.put(3, "cccc")  # 12 characters: 2, the least recent, goes
    assert (cache.get(1), cache.get(2), cache.get(3)) == ("aaaa", None, "cccc")
    assert cache.missing({1, 2, 3, 4}) == [2, 4]


def test_one_text_over_the_budget_is_still_kept_until_the_next() -> None:
    cache = TextCache(budget=3)
    cache.put(1, "longer than three")
    assert cache.get(1) == "longer than three"  # the page being cut needs it
    cache.put(2, "xy")
    assert (cache.get(1), cache.get(2)) == (None, "xy")
