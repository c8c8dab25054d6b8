"""`where:` and `who:` in a query: the articles whose event-identity features name a place or a name.

Places are stored resolved (GeoNames id and English name, in `article_identity.places`), so any
spelling the gazetteer resolves to the same place finds them: `where:Kharkov`, `where:Харків`.
The gazetteer sits in the cluster layer, above the store; the layers above (the CLI and the
dashboard) hand its lookup to `use_place_resolver()` once. Without it a place is matched by its
stored English name, case-insensitively. Names are matched by their stored matching keys, the
clusterer's terms of the words, the script rule's in every language (`who:Zelenskyy` and `who:Zelensky` share one;
a typed name matches the script rule's term and the bare prefix stored before stems, `tokens.term_keys`),
and in the other alphabet by their skeletons (`_ACROSS`).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from monitor.store.db import IN_LIST, as_list
from monitor.text.search_query import Mention, SearchQuery
from monitor.text.name_skeleton import MIN_CONSONANTS, initials_spelling, latin_initial, name_skeleton
from monitor.text.stem import is_cyrillic
from monitor.text.tokens import term_keys

_WORD = re.compile(r"\w+")

PlaceResolver = Callable[[str], frozenset[int]]  # a place as typed -> the GeoNames ids it names
_resolver: PlaceResolver | None = None

_PLACE = (f"SELECT i.article_id FROM article_identity i, json_each(i.places) p "
          f"WHERE json_extract(p.value, '$[0]') IN {IN_LIST} "
          "OR lower(json_extract(p.value, '$[1]')) = lower(?)")
_NAME = ("SELECT i.article_id FROM article_identity i, json_each(i.names) n "
         f"WHERE json_extract(n.value, '$[0]') IN {IN_LIST}")
# The same person however written (who:Syniehubov finds Синєгубова; Синєгубов finds Синегубов, Ukrainian
# and Russian spellings, and Syniehubov): the names' skeletons (text/name_skeleton.names_person, registered
# as monitor_names_person). A Latin word reads only the names written in Cyrillic: its own alphabet's
# spellings are its stems' to find.
_ACROSS = (f" OR (substr(json_extract(n.value, '$[1]'), 1, 1) IN {IN_LIST}"
           " AND (unicode(json_extract(n.value, '$[1]')) BETWEEN 1024 AND 1279) >= ?"
           " AND monitor_names_person(json_extract(n.value, '$[1]'), ?))")


def use_place_resolver(resolver: PlaceResolver | None) -> None:
    """Set how a typed place becomes GeoNames ids (the gazetteer's lookup), for every query after."""
    global _resolver
    _resolver = resolver


def _place_ids(words: str) -> list[int]:
    return sorted(_resolver(words)) if _resolver is not None else []


def mention_articles(mention: Mention) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the articles naming the mention, and its parameters. A name of
    several words needs each of them named by the same article."""
    if mention.kind == "where":
        return _PLACE, [as_list(_place_ids(mention.words)), " ".join(mention.words.split())]
    words = [(found[0], written) for written in _WORD.findall(mention.words) if (found := term_keys(written))]
    if not words:
        return _NAME, [as_list([mention.words.casefold()])]
    parts: list[str] = []
    params: list[Any] = []
    for keys, written in words:
        skeleton = name_skeleton(written)
        across = len(skeleton) >= MIN_CONSONANTS
        parts.append(_NAME + _ACROSS if across else _NAME)
        params += [as_list(keys)]
        if across:  # only names whose first letter may spell the same sound reach the skeleton's test
            params += [as_list(initials_spelling(latin_initial(written))), int(not is_cyrillic(written)), skeleton]
    return " INTERSECT ".join(parts), params


CLUSTERS_OF = "SELECT s.cluster_id FROM assignments s WHERE s.article_id IN ({articles})"


def mention_clauses(query: SearchQuery, column: str, select: str = "{articles}") -> tuple[list[str], list[Any]]:
    """WHERE clauses keeping the rows whose `column` is among `select` (the articles naming the
    mention, or e.g. CLUSTERS_OF them) for every where:/who: of the query, and for none of its
    -where:/-who: (an event is left out when any of its articles names it, as with `-kursk`)."""
    clauses: list[str] = []
    params: list[Any] = []
    for mention, keep in [(m, True) for m in query.mentions] + [(m, False) for m in query.excluded_mentions]:
        sql, values = mention_articles(mention)
        clauses.append(f"{column} {'IN' if keep else 'NOT IN'} ({select.format(articles=sql)})")
        params += values
    return clauses, params
