"""Search stems: folded words cut to their Snowball stem, so "bombs" finds "bomb" and "ударов" finds "удар".

The language is read per word from its script: Cyrillic words take the Russian stemmer (Snowball has no
Ukrainian one; the Russian one strips the endings the two languages share, which is most of them), every
other word the English (Porter2) one, which changes only words ending in English suffixes. Ukrainian
forms the Russian stemmer does not know ("Харкові") keep their ending: `харк*` finds them. One rule for the index and
for queries, so a stem of what was typed always meets the stem of what was stored. PyStemmer is the C
build of the Snowball stemmers (the pure-Python build costs ~10 µs a word, too much for every article
body at insert time).

The index stores these stems: a change to this module's output needs a migration that rebuilds it.
"""
from __future__ import annotations

import functools
import re
from typing import Callable

import Stemmer  # PyStemmer

from monitor.text.fold import fold

_WORD = re.compile(r"\w+")
_ASCII_NOT_WORD = "".join(c for c in map(chr, range(128)) if not _WORD.match(c))  # what \w+ leaves between words
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def is_cyrillic(word: str) -> bool:
    """A word with a Cyrillic letter (Ukrainian, Russian...): search stems it as Russian."""
    return bool(_CYRILLIC.search(word))


_ENGLISH = Stemmer.Stemmer("english")
_RUSSIAN = Stemmer.Stemmer("russian")
# What the index's stems depend on: stored beside the index, which is rebuilt when it changes (a
# PyStemmer upgrade, or a change of the rules below: then bump the rule number).
SIGNATURE = f"pystemmer {Stemmer.version()}; english, russian twice; rules 1"


def stem_word(word: str) -> str:
    """The stem of one folded word (lower case, as fold() returns it)."""
    if is_cyrillic(word):
        # Twice: the Russian stemmer is not idempotent ("харькову" -> "харьков" -> "харьк"), and a
        # query typed in the nominative must meet the stems of the other cases.
        return _RUSSIAN.stemWord(_RUSSIAN.stemWord(word))
    return _ENGLISH.stemWord(word)


def words(text: str | None) -> list[str]:
    """The folded words of a text, as the index splits them."""
    return _WORD.findall(fold(text)) if text else []


class _TokenStems(dict[str, str]):
    """Whitespace token -> its words' stems ("bombs," -> "bomb"). A news vocabulary repeats, so after the
    first articles nearly every token is a dict hit: splitting on whitespace and looking tokens up adds
    about half what a regex split of the whole text and a stemmer call per word add to fold() (measured
    on the extraction fixtures' texts, benchmarks/bench_search.py)."""

    LIMIT = 500_000

    def __missing__(self, token: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        core = token.strip(_ASCII_NOT_WORD) if token.isascii() else None
        if core is not None and (not core or core.isalnum()):
            # One ASCII word at most, between punctuation ("bombs," "(1)" "--"): _WORD.findall(token) is
            # [core] (or nothing), and an ASCII word takes the English stemmer. A worker meets every word of
            # its first pages here (~80 % of them this way): about a third cheaper than the regex's path.
            stems = _ENGLISH.stemWord(core) if core else ""
        else:
            stems = " ".join([stem_word(w) for w in _WORD.findall(token)])
        self[token] = stems
        return stems


_TOKENS = _TokenStems()


def stem_text(text: str | None) -> str:
    """Every word of the text folded and stemmed, space-separated: what the full-text index stores.

    The words are those of `words(text)` (whitespace never sits inside a \\w+ word, so splitting on it
    first changes nothing); a token of punctuation alone adds an empty string, which the index skips."""
    if not text:
        return ""
    return " ".join(map(_TOKENS.__getitem__, fold(text).split()))


# Clustering's stems (monitor/text/tokens.py) take the article's own language where Snowball has a
# stemmer: ISO 639-1 code -> PyStemmer algorithm. Ukrainian has none: it takes the Russian one, as search
# does for every Cyrillic word (the endings the two share are most of them).
LANGUAGE_ALGORITHMS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "uk": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}


# Languages whose stemmer reads another script than Latin. A word of the other script in their articles
# (a Latin "NATO" or "strikes" in a Ukrainian report; a Cyrillic name in a German one, below) is
# another language's word: it takes stem_word's script rule, so it meets the same word in the
# articles of that script's languages (Snowball leaves a foreign script's words as they are).
NON_LATIN = frozenset({"ar", "fa", "el", "hy", "hi", "ne", "ta", "yi", "ru", "uk"})
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")


@functools.cache
def language_stemmer(language: str) -> Callable[[str], str] | None:
    """The stem of a folded word in this language (ISO 639-1): its Snowball stemmer where PyStemmer has one
    (the Russian one applied twice, as stem_word does) for the words of its script, `stem_word`'s script
    rule for the others and for "" (language not known); None for a language without a stemmer."""
    if not language:
        return stem_word
    algorithm = LANGUAGE_ALGORITHMS.get(language)
    if algorithm is None or algorithm not in Stemmer.algorithms():
        return None
    if algorithm == "russian":
        own: Callable[[str], str] = lambda word: _RUSSIAN.stemWord(_RUSSIAN.stemWord(word))  # noqa: E731
    else:
        own = Stemmer.Stemmer(algorithm, 0).stemWord  # no cache of its own: callers keep one per word
    if language in NON_LATIN:
        return lambda word: stem_word(word) if _LATIN.search(word) else own(word)
    if algorithm == "serbian":
        return own  # Serbian is written in both scripts; its stemmer reads both
    return lambda word: stem_word(word) if is_cyrillic(word) else own(word)


@functools.lru_cache(maxsize=4096)
def stem_term(word: str) -> tuple[str, ...]:
    """The stems of one typed word ("Kharkiv's" is two index words: kharkiv, s)."""
    return tuple(stem_word(w) for w in words(word))
