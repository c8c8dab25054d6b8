"""Terms for matching: each word's stem in the article's language, cut to a prefix.

No stop list: an English stop list would leave German or Portuguese text untouched but
other lists would empty it; common words are discounted by document frequency instead
(the index's IDF). A word's term is its Snowball stem in the article's language
(`stem.language_stemmer`: "strikes"/"strike", "Anschläge"/"Anschlag", "харькову"/"харьков"
meet, which a fixed prefix keeps apart in short words), cut to STEM_LENGTH characters; a
language Snowball lacks keeps the bare prefix, which works the same in every language written
with spaces ("Kursker"/"Kursk"). Language "" (not known) takes search's script rule: English
for Latin words, Russian for Cyrillic ones; so do names (capitalized words inside a sentence)
in every language, so that they meet across languages.
"""
from __future__ import annotations

import re
from typing import Callable

from monitor.text.fold import fold
from monitor.text.normalize import strip_boilerplate
from monitor.text.stem import LANGUAGE_ALGORITHMS, language_stemmer

STEM_LENGTH = 7
_WORD = re.compile(r"\w+")
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-ÞА-ЯΑ-Ω][\w]+")
_DIGITS = re.compile(r"^\d+$")
_SCRIPT_RULE = frozenset({"", "en"})  # languages whose terms are the script rule's ("" itself; English's)


class _Terms(dict[str, str | None]):
    """Folded word -> its term in one language. A news vocabulary repeats, so nearly every word is a
    dict hit after the first articles, and stemming every body word costs a lookup."""

    LIMIT = 200_000

    def __init__(self, stem: Callable[[str], str] | None) -> None:
        super().__init__()
        self.stem = stem

    def __missing__(self, word: str) -> str | None:
        if len(word) < 2 or word.startswith("_"):
            found = None
        elif _DIGITS.match(word):
            found = word if len(word) == 4 else None  # keep years, drop counts and page numbers
        else:
            found = (self.stem(word) if self.stem else word)[:STEM_LENGTH] or None
        if len(self) >= self.LIMIT:
            self.clear()
        self[word] = found
        return found


_BY_LANGUAGE: dict[str, _Terms] = {}


def _terms_of(language: str) -> _Terms:
    """The table of a language; every language without a stemmer shares one ("-"), so a page's
    declared code, whatever it says, adds no table."""
    table = _BY_LANGUAGE.get(language)
    if table is None:
        key = language if not language or language in LANGUAGE_ALGORITHMS else "-"
        table = _BY_LANGUAGE.get(key)
        if table is None:
            table = _BY_LANGUAGE[key] = _Terms(language_stemmer(key))
        if key == language:
            _BY_LANGUAGE[language] = table
    return table


def term(word: str, language: str = "") -> str | None:
    """The matching term of one folded word, or None when it carries no meaning alone."""
    return _terms_of(language)[word]


def name_words(text: str | None, language: str = "") -> frozenset[str]:
    """The folded words of the capitalized words not opening a sentence (names; German's nouns too),
    which `terms` keeps in the script rule. Empty for a language whose terms are the script rule's."""
    if not text or language in _SCRIPT_RULE:
        return frozenset()
    return frozenset(_WORD.findall(fold(" ".join(m.group(0) for m in _CAPITALIZED.finditer(text)))))


def terms(text: str | None, language: str = "", names: frozenset[str] = frozenset()) -> list[str]:
    """Terms of a text, in order (duplicates kept: callers count them). The words in `names` (name_words)
    take the script rule's stem, not the language's: a name is written alike in every language ("Biden"
    is "bid" to the German stemmer), and it is what ties an article to its story's reports in others."""
    if not text:
        return []
    table = _terms_of(language)
    words = _WORD.findall(fold(text))
    if not names:
        return [t for t in map(table.__getitem__, words) if t]
    neutral = _terms_of("")
    return [t for t in ((neutral if w in names else table)[w] for w in words) if t]


def term_keys(text: str) -> list[tuple[str, ...]]:
    """Each word of a typed name as the keys an article can have stored for it, sorted: the script rule's
    term (names keep it in every language) and the bare 7-character prefix (stored before stems)."""
    out = []
    for word in _WORD.findall(fold(text)):
        keys = {t for t in (term(word, ""), term(word, "-")) if t}
        if keys:
            out.append(tuple(sorted(keys)))
    return out


def entity_terms(text: str | None) -> set[str]:
    """Terms of capitalized words not opening a sentence: names of people, places, bodies (the script
    rule's terms in every language, as `terms` gives names)."""
    if not text:
        return set()
    table = _terms_of("")
    found = set()
    for match in _CAPITALIZED.finditer(text):
        for word in _WORD.findall(fold(match.group(0))):
            t = table[word]
            if t:
                found.add(t)
    return found


def lead(text: str, words: int = 60) -> str:
    """The first `words` words of the body, boilerplate removed: where a story says what happened."""
    return " ".join(strip_boilerplate(text).split()[:words])


def surface_forms(text: str | None, language: str = "") -> dict[str, str]:
    """term -> the first folded word of the text that gave it: "frankfu" -> "frankfurt", for reasons shown to
    people. A word gives its term in the language and, where it differs, the script rule's (a name's)."""
    forms: dict[str, str] = {}
    table = _terms_of(language)
    neutral = None if language in _SCRIPT_RULE else _terms_of("")
    for word in _WORD.findall(fold(text or "")):
        found = table[word]
        if found and found not in forms:
            forms[found] = word
        if neutral is not None:
            found = neutral[word]
            if found and found not in forms:
                forms[found] = word
    return forms


def readable(stems: list[str] | tuple[str, ...], text: str | None, language: str = "") -> list[str]:
    """The stems as the words the text uses (a stem the text lacks stays as it is)."""
    forms = surface_forms(text, language)
    return [forms.get(s, s) for s in stems]
