"""A place as the analyst types it (`where:kharkov`) resolved through the gazetteer that resolved
the places stored with each article, so every spelling and script finds the same GeoNames ids.

The store matches `where:` against those ids; it cannot import this layer, so the CLI and the
dashboard hand `place_ids` to `monitor.store.identity_filter.use_place_resolver` at start.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def place_ids(typed: str) -> frozenset[int]:
    """GeoNames ids of the places the words name (capitalized as a text would write them)."""
    from monitor.cluster.gazetteer import mentions  # its table loads on the first where:

    words = " ".join(word[:1].upper() + word[1:] for word in typed.split())
    return frozenset(place.id for place, _ in mentions(words))


def use_gazetteer_for_places() -> None:
    from monitor.store.identity_filter import use_place_resolver

    use_place_resolver(place_ids)
