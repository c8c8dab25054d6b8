"""Whether a capitalized word is one of its language's common words ("East", "Police", "Stadt", "In").

The gazetteer reads a town's name right after another capitalized word as a surname ("Harry
Winston", "Peyton Manning", `gazetteer._ends_a_name`) unless that word is common in the text's
language: "East Jerusalem", "Polizei Duisburg", "Stadt Chemnitz", "In Bremen" name the places.
Measured on ECB+'s titles and leads and SemEval's texts, this test kept 72 such places, about half
of them real towns (the rest were already wrong: "North Carolina" as Carolina, Puerto Rico).

The words are wordfreq's "small" lists (Apache-2.0; counts from Wikipedia, subtitles, news, books
and the web, 42 languages), read straight from the package's data files so the process does not
import wordfreq itself (its import pulls ftfy, langcodes and regex: 17 MB of memory for one set
of words). A language without a list has no common words here: no evidence either way.
"""
from __future__ import annotations

import gzip
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

# wordfreq's files bin words by frequency in centibels: bin i holds the words seen 10^(-i/100) of
# the time. Bins 0-400: once in 10,000 words or more (zipf >= 5), about a language's 1,000-2,000
# commonest words; a name the world writes very often stays under it ("Trump", "Obama", "Merkel").
COMMON_BINS = 401
FALLBACK = "en"  # an article of undetected language (a bare headline): the press's lingua franca
_lock = threading.Lock()
_lists: dict[str, frozenset[str]] = {}


def _data_folder() -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed (a dependency of monitor)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _common(language: str) -> frozenset[str]:
    """The language's common words (lower case), loaded once per process (empty if it has no list)."""
    with _lock:
        if language not in _lists:
            path = _data_folder() / f"small_{language}.msgpack.gz"
            words: frozenset[str] = frozenset()
            if language.isalpha() and path.is_file():
                import msgpack

                with gzip.open(path) as handle:
                    pack = msgpack.unpackb(handle.read(), raw=False)
                words = frozenset(word for bucket in pack[1:1 + COMMON_BINS] for word in bucket)
            _lists[language] = words
        return _lists[language]


@lru_cache(maxsize=100_000)  # capitalized words recur from article to article
def is_common(word: str, language: str = "") -> bool:
    """'East', 'Police', 'Stadt': a word its language uses this often says nothing of a name.
    An English possessive is read without its 's ("Court's")."""
    bare = word.split("'")[0].split("’")[0].lower()
    return bare in _common(language or FALLBACK)
