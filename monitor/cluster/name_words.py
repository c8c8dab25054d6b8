"""Whether a capitalized word is a common word of its language, not a name: an adjective in a case form
("Російські" війська, "Харьковской" области), a common noun ("Сили" оборони), a common acronym ("ППО",
"ПВО") or an acronym with a case ending ("КАБами", "UAVs").

Ukrainian and Russian are read by pymorphy3's dictionaries (OpenCorpora's for Russian, VESUM's for
Ukrainian), which tag a word form as a first name, surname, patronymic, place or organisation
(Name/Surn/Patr/Geox/Orgn) or as an adjective or common noun, whatever its case. A word the
dictionary does not list is no evidence (most surnames are not listed: "Синєгубов" stays a name); a
word it lists as a name in any reading stays one ("Зеленський" is also an adjective, "Путин" also one
of Russian's commonest words). A listed word with no such reading is common when it is an adjective or
participle, an acronym the dictionary also lists as a plain word (Ukrainian: "ППО", "ТЕЦ", "БПЛА") or
without an organisation's tag (Russian: "ПВО", "ЖКХ"), or one of its language's commonest words
(common_words: "Сили", "Президент"; "Генштаб", "Укренерго" are not, and stay).

Each language's dictionary loads on its first word asked about, once per process (the clustering worker's
or the main one's, wherever features are computed): measured here, 25-70 ms and 20 MB of memory each
(wordfreq's list of the same language: 12-19 ms, 5-7 MB); a capitalized word not seen before costs about
20 us with DAWG2's C reader (57 us with the pure-Python one).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from monitor.cluster.common_words import is_common

DICTIONARY_LANGUAGES = frozenset({"uk", "ru"})
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})  # a name in some reading
ADJECTIVAL = frozenset({"ADJF", "ADJS", "PRTF", "PRTS"})
CASE_ENDING = 3  # "КАБами", "ЗРКи", "UAVs": an acronym declined or in the plural
_lock = threading.Lock()
_analyzers: dict[str, Any] = {}


def _analyzer(language: str) -> Any:
    with _lock:
        if language not in _analyzers:
            import pymorphy3

            _analyzers[language] = pymorphy3.MorphAnalyzer(lang=language)
        return _analyzers[language]


def acronym_in_case(word: str) -> bool:
    """'КАБами', 'UAVs': two or more capitals and a short lower-case ending, a kind of thing declined
    or in the plural; a body's acronym is written bare ('ЗСУ', 'NATO'). 'JPMorgan' is not one."""
    tail = len(word) - len(word.rstrip("abcdefghijklmnopqrstuvwxyzабвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"))
    head = word[:len(word) - tail]
    return 1 <= tail <= CASE_ENDING and len(head) >= 2 and head.isalpha() and head.isupper()


@lru_cache(maxsize=10_000)
def names_a_body(word: str, language: str) -> bool:
    """'ЗСУ', 'СБУ' (uk), 'ФСБ', 'НАТО' (ru): an acronym the dictionary lists as one body's name only, no
    title of the person named after it ("головнокомандувач ЗСУ Олександр Сирський" names both)."""
    if not (len(word) >= 2 and word.isupper() and word.isalpha()) or language not in DICTIONARY_LANGUAGES:
        return False
    morph = _analyzer(language)
    lower = word.lower()
    if not morph.word_is_known(lower) or common_word(word, language):
        return False
    parses = morph.parse(lower)
    if language == "uk":  # VESUM has no organisation tag: a body's acronym has no common reading
        return all("Abbr" in p.tag.grammemes or PROPER & p.tag.grammemes for p in parses)
    return any("Orgn" in p.tag.grammemes for p in parses)


@lru_cache(maxsize=100_000)  # capitalized words recur from article to article
def common_word(word: str, language: str) -> bool:
    """'Російські', 'Сили', 'ППО', 'КАБами' (uk); 'Харьковской', 'ПВО' (ru); 'UAVs' (any): a common
    word written with a capital, not a name. False when the language has no dictionary here."""
    if acronym_in_case(word):
        return True
    if language not in DICTIONARY_LANGUAGES or not word.isalpha():
        return False
    morph = _analyzer(language)
    lower = word.lower()
    if not morph.word_is_known(lower):
        return False
    parses = morph.parse(lower)
    if any(PROPER & p.tag.grammemes for p in parses):
        return False
    if word.isupper() and len(word) >= 2:
        if language == "uk":  # VESUM lists a common acronym as a plain word too
            return any("Abbr" not in p.tag.grammemes for p in parses)
        return any("Abbr" in p.tag.grammemes for p in parses)  # OpenCorpora tags a body's acronym Orgn
    return all(p.tag.POS in ADJECTIVAL for p in parses) or is_common(lower, language)
