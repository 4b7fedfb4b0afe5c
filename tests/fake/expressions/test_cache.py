"""Tests for ``aiodynamodb_fake.expressions.cache``: memo caches bounded by entries and by bytes."""

from __future__ import annotations

import threading

import pytest

from aiodynamodb_fake.expressions.cache import BoundedCache, bounded_cache, caches


def counting(
    *, max_entries: int = 4, max_cost: int = 100, max_entry_cost: int = 50
) -> tuple[BoundedCache[[str], str], list[str]]:
    """A cache of ``str.upper`` whose cost is the text's length, and the list of texts it computed."""
    computed: list[str] = []

    def upper(text: str) -> str:
        computed.append(text)
        if text == "boom":
            raise ValueError(text)
        return text.upper()

    cache = BoundedCache(
        upper, cost=len, max_entries=max_entries, max_cost=max_cost, max_entry_cost=max_entry_cost
    )
    return cache, computed


def test_a_repeated_call_is_answered_from_the_cache() -> None:
    cache, computed = counting()
    assert cache("ab") == cache("ab") == "AB"
    assert computed == ["ab"]
    info = cache.cache_info()
    assert (info.hits, info.misses, info.entries, info.cost) == (1, 1, 1, 2)


def test_the_least_recently_used_entry_goes_first_past_the_entry_bound() -> None:
    cache, computed = counting(max_entries=2)
    cache("a")
    cache("b")
    cache("a")  # "b" is now the least recently used
    cache("c")
    computed.clear()
    cache("a")
    cache("c")
    assert computed == []
    cache("b")
    assert computed == ["b"]
    assert cache.cache_info().entries == 2


def test_entries_go_until_the_cost_is_within_the_bound() -> None:
    cache, computed = counting(max_entries=100, max_cost=10, max_entry_cost=10)
    for text in ("aaaa", "bbbb", "cccc"):  # 12 > 10: "aaaa" goes
        cache(text)
    assert cache.cache_info().cost == 8
    computed.clear()
    cache("bbbb")
    cache("aaaa")
    assert computed == ["aaaa"]


def test_an_entry_costing_more_than_an_entry_may_is_computed_every_time() -> None:
    cache, computed = counting(max_entry_cost=3)
    cache("abcd")
    cache("abcd")
    assert computed == ["abcd", "abcd"]
    assert cache.cache_info().entries == 0


def test_a_call_that_raises_keeps_nothing() -> None:
    cache, computed = counting()
    for _ in range(2):
        with pytest.raises(ValueError):
            cache("boom")
    assert computed == ["boom", "boom"]
    assert cache.cache_info().entries == 0


def test_clear_empties_it_and_every_cache_is_listed() -> None:
    cache, _ = counting()
    cache("a")
    assert cache in caches()
    cache.cache_clear()
    info = cache.cache_info()
    assert (info.entries, info.cost, info.hits, info.misses) == (0, 0, 0, 0)


def test_the_decorator_keeps_the_function_s_name_and_doc() -> None:
    def cost(text: str) -> int:
        return len(text)

    @bounded_cache(cost=cost, max_entries=1, max_cost=10, max_entry_cost=10)
    def double(text: str) -> str:
        """Twice the text."""
        return text * 2

    assert double("ab") == "abab"
    assert double.__name__ == "double"
    assert double.__doc__ == "Twice the text."


def test_threads_sharing_a_cache_keep_its_bounds() -> None:
    cache, _ = counting(max_entries=8, max_cost=20, max_entry_cost=5)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(2000):
                assert cache(str((n * 7 + offset) % 50)) == str((n * 7 + offset) % 50)
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    info = cache.cache_info()
    assert info.entries <= 8
    assert info.cost <= 20
