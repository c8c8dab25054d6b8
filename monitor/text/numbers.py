"""Numbers as written in news text: digits, number words, ranges, and the words that qualify them.

Number words ("fifteen thousand", "trois mille", "dreitausend") are parsed by text2num's
`find_numbers` (English, French, Spanish, Portuguese, German, Dutch, Danish, Italian), Ukrainian and
Russian ones ("троє", "двадцять сім", "пятеро") by cyrillic_numbers.py, whatever the article's
declared language; digits,
thousands separators and multipliers ("1.5 million") here. Vague amounts ("dozens", "hundreds of",
"tens of thousands") keep their word as the qualifier and an interval as their value. Numbers that
belong to dates, times, addresses and ids are dropped (see `_is_not_a_count`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeVar

from text_to_num import find_numbers

from monitor.text.ascii_view import ascii_view, may_hold
from monitor.text.cyrillic_numbers import cyrillic_numbers

Qualifier = Literal["exact", "about", "more_than", "at_least", "less_than", "up_to", "range", "vague"]
_V = TypeVar("_V")
TEXT2NUM_LANGUAGES = frozenset({"en", "fr", "es", "pt", "de", "nl", "da", "it"})


@dataclass(frozen=True)
class Number:
    """One number in a sentence: [value, high] with its qualifier, and where it was written."""

    value: float
    high: float | None  # top of a range or of a vague amount
    qualifier: Qualifier
    text: str  # as written, qualifier words included: "about 1,200", "dozens"
    start: int  # character offsets of the number itself in the sentence
    end: int


TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\S")
_DIGITS = re.compile(r"(?<![\w/:.,#])(?<![^\W\d_]-)(\d{1,3}(?:(?:,|[ \u00a0\u202f])\d{3})+|\d+)(?:[.,](\d+))?(?![\w/:]|[.,]\d|%\w)")
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "mln": 1e6,
                "bn": 1e9, "тысяч": 1e3, "тыс": 1e3, "тисяч": 1e3, "млн": 1e6, "миллиона": 1e6,
                "миллионов": 1e6, "мільйонів": 1e6, "тысячи": 1e3, "тисячі": 1e3, "тысяча": 1e3, "тисяча": 1e3,
                "миллион": 1e6, "мільйон": 1e6, "мільйона": 1e6, "мільйони": 1e6, "миллионы": 1e6, "млрд": 1e9,
                "millionen": 1e6, "millones": 1e6, "milliards": 1e9, "mille": 1e3}
# Vague amounts: the floor and ceiling they stand for.
_VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
          "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
          "millions": (2_000_000, 9_999_999), "десятки": (20, 99), "сотни": (200, 999), "тысячи": (2_000, 9_999),
          "сотні": (200, 999), "тисячі": (2_000, 9_999),
          "десятков": (20, 99), "десятків": (20, 99), "сотен": (200, 999), "сотень": (200, 999),
          "dizaines": (20, 99), "centaines": (200, 999),
          "milliers": (2_000, 9_999), "dutzende": (24, 99), "hunderte": (200, 999), "tausende": (2_000, 9_999),
          "decenas": (20, 99), "cientos": (200, 999), "centenares": (200, 999)}
CYRILLIC_VAGUE = frozenset(k for k in _VAGUE if not k.isascii())  # (figures.py's sieve)
_VAGUE_RE = re.compile(r"\b(?:(?:des|de)\s+)?(tens of thousands|hundreds of thousands|"
                       + "|".join(k for k in _VAGUE if " " not in k) + r")\b", re.IGNORECASE)
# _VAGUE_RE can match an ASCII view (monitor.text.ascii_view) only where its lower case holds one of these.
_VAGUE_ASCII = tuple(k for k in _VAGUE if k.isascii() and " " not in k)


def _vague_matches(sentence: str) -> list[re.Match[str]]:
    """_VAGUE_RE's matches in the sentence (the pattern, ~16 µs a sentence, runs on few of them)."""
    return list(_VAGUE_RE.finditer(sentence)) if may_hold(ascii_view(sentence), _VAGUE_ASCII) else []


# Words before a number that say how exact it is (longest first).
_BEFORE: list[tuple[str, Qualifier]] = [("more than", "more_than"), ("in excess of", "more_than"), ("upwards of", "more_than"),
           ("over", "more_than"), ("exceeding", "more_than"), ("above", "more_than"), ("more then", "more_than"),
           ("at least", "at_least"), ("no fewer than", "at_least"), ("no less than", "at_least"),
           ("less than", "less_than"), ("fewer than", "less_than"), ("under", "less_than"), ("below", "less_than"),
           ("nearly", "less_than"), ("almost", "less_than"), ("up to", "up_to"), ("as many as", "up_to"),
           ("about", "about"), ("approximately", "about"), ("around", "about"), ("roughly", "about"),
           ("some", "about"), ("an estimated", "about"), ("estimated", "about"), ("approx.", "about"),
           ("circa", "about"), ("~", "about"), ("более", "more_than"), ("больше", "more_than"), ("свыше", "more_than"),
           ("понад", "more_than"), ("більше", "more_than"), ("около", "about"), ("примерно", "about"),
           ("близько", "about"), ("приблизно", "about"), ("не менее", "at_least"), ("щонайменше", "at_least"),
           ("plus de", "more_than"), ("environ", "about"), ("au moins", "at_least"), ("mehr als", "more_than"),
           ("etwa", "about"), ("rund", "about"), ("mindestens", "at_least"), ("más de", "more_than"),
           ("unos", "about"), ("al menos", "at_least"), ("cerca de", "about")]
_BEFORE_RE = re.compile(r"(?:^|[\s(])(" + "|".join(re.escape(w) for w, _ in _BEFORE) + r")\s*$", re.IGNORECASE)
_BEFORE_KIND: dict[str, Qualifier] = {w.casefold(): q for w, q in _BEFORE}
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|—|and|or|à|bis|a|до|по)\s*$", re.IGNORECASE)
# "rose from 3 to 5" is a change (two values), not a range.
_CHANGE_FROM = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|went up|fell|dropped|"
                          r"decreased|revised)\s+from\s*$", re.IGNORECASE)
_MONTHS = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                     r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|"
                     r"juin|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|"
                     r"oktober|dezember|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
                     r"ноября|декабря|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|"
                     r"листопада|грудня)\b\.?", re.IGNORECASE)
_DATE_BEFORE = re.compile(_MONTHS.pattern + r"\s*(?:\d{1,2}(?:st|nd|rd|th)?,?\s*)?$", re.IGNORECASE)
_ID_BEFORE = re.compile(r"(?:\b(?:no|nr|id|ref|article|page|route|flight|case|code|tel|phone|room|apt|"
                        r"suite|building|highway|item|model|version|v)\.?|#|№)\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(r"^\s*(?:a\.?m\b|p\.?m\b|gmt|utc|cet|msk|eet|h\b|o'clock|uhr)", re.IGNORECASE)
_STREET_AFTER = re.compile(r"^\s*(?:[A-Z][\w'-]*\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|"
                           r"Drive|Dr|Square|Sq|Place|Pl|Way|Terrace|Strasse|Straße)\b\.?"
                           r"|^\s*(?:rue|calle|via|вулиця|вул|улица|ул)\b")
_YEAR_BEFORE = re.compile(r"\b(?:in|since|of|by|from|until|till|during|year|early|late|mid|summer|winter|spring|"
                          r"autumn|fall|в|у|з|с|en|im|seit|dans|depuis)\s*$", re.IGNORECASE)


def _entry(table: dict[str, _V], written: str) -> _V:
    """The table's entry for words that a case-insensitive pattern made of its keys matched: the words'
    case fold, or, for letters the regex engine equates with others and casefold() does not (ı and İ
    with i: "mıllions" matched "millions" and was a KeyError that failed the article's whole store),
    the key the pattern's way."""
    key = written.casefold()
    if key in table:
        return table[key]
    return next(value for key, value in table.items() if re.fullmatch(re.escape(key), written, re.IGNORECASE))


# What follows a number written as an ordinal ("2-й удар", "3-го", "3-я атака", "the 5th"): a rank, not a
# count ("2-х человек", two people's, is a count). Also read by cluster/across_languages.py.
ORDINAL_ENDING = r"(?:-?(?:й|ий|ій|го|ого|му|ому|м|я|ая|е|ое|є|ю|ї|ої|ой)|th|st|nd|rd)(?![^\W\d_])"
_ORDINAL_AFTER = re.compile(ORDINAL_ENDING, re.IGNORECASE)


def _is_not_a_count(sentence: str, start: int, end: int, value: float) -> bool:
    """Dates, times, addresses, ids: digits that do not count anything."""
    before, after = sentence[max(0, start - 32):start], sentence[end:end + 40]
    if _ID_BEFORE.search(before) or _TIME_AFTER.match(after) or _STREET_AFTER.match(after) or _ORDINAL_AFTER.match(after):
        return True
    if _DATE_BEFORE.search(before) or _MONTHS.match(after.lstrip(" ,")):
        return True  # "November 21", "21 November", "Nov. 21, 2024"
    text = sentence[start:end]
    if text.isdigit() and len(text) == 4 and 1800 <= value <= 2100 and (
            _YEAR_BEFORE.search(before) or after[:1] in ("", ",", ".", ")", ";") or re.match(r"^\s*[-–]\s*\d", after)):
        return True  # a year
    return text.isdigit() and len(text) >= 7 and not re.match(r"^\s*(?:people|troops|soldiers)", after)


def _digit_value(whole: str, fraction: str | None, separator: str) -> float:
    whole = re.sub(r"[, \u00a0\u202f]", "", whole)
    if fraction is None:
        return float(whole)
    if separator == "," and len(fraction) == 3 and len(whole) <= 3:
        return float(whole + fraction)  # "15,000" was caught whole; this is "1,500" in a ragged form
    return float(f"{whole}.{fraction}")


class _Token(str):
    """A word as text2num's Token protocol wants it (a str: cheap to make). text2num calls `text` and
    `not_a_number_part` once or more per token: they are str's own C methods, not Python functions
    (a frame each, ~60 tokens a page)."""

    __slots__ = ()

    text = str.__str__  # the word as a plain str

    def nt_separated(self, previous: object) -> bool:
        return False

    not_a_number_part = str.isdigit  # digits are read above, with their separators


class _Vague(_Token):
    __slots__ = ()

    def not_a_number_part(self) -> bool:
        return True


def _raw_numbers(sentence: str, language: str) -> list[tuple[int, int, float, float | None, Qualifier]]:
    """(start, end, value, high, qualifier) for digits, number words and vague amounts."""
    found: list[tuple[int, int, float, float | None, Qualifier]] = []
    for match in _DIGITS.finditer(sentence):
        start, end = match.span()
        whole, fraction = match.group(1), match.group(2)
        value = _digit_value(whole, fraction, sentence[match.end(1):match.end(1) + 1])
        if _is_not_a_count(sentence, start, end, value):
            continue
        multiplier = re.match(r"\s*(\w+)", sentence[end:end + 14])
        if multiplier and multiplier.group(1).casefold() in _MULTIPLIERS:
            value *= _MULTIPLIERS[multiplier.group(1).casefold()]
            end += multiplier.end()
        found.append((start, end, value, None, "exact"))
    vague_spans = []
    for match in _vague_matches(sentence):
        if not match.group(1).isascii() and any(s <= match.start(1) < e for s, e, *_ in found):
            continue  # "3 тисячі" was read whole above
        low, high = _entry(_VAGUE, match.group(1))
        vague_spans.append(match.span(1))
        found.append((match.start(), match.end(), float(low), float(high), "vague"))
    for start, end, value in cyrillic_numbers(sentence):  # Ukrainian and Russian words, whatever the language
        inside = [f for f in found if f[0] < end and start < f[1]]
        if all(f[4] == "vague" and start <= f[0] and f[1] <= end for f in inside):  # "три тисячі" over "тисячі"
            found = [f for f in found if f not in inside] + [(start, end, value, None, "exact")]
    if language in TEXT2NUM_LANGUAGES and re.search(r"[^\W\d_]", sentence):
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(sentence)]
        tokens = [(_Vague if vague_spans and any(a <= s < b for a, b in vague_spans) else _Token)(sentence[s:e])
                  for s, e in spans]
        for occurrence in find_numbers(tokens, language, 0.0):
            start, end = spans[occurrence.start][0], spans[occurrence.end - 1][1]
            if occurrence.is_ordinal or any(s < end and start < e for s, e, *_ in found):
                continue
            if sentence[start:end].casefold() in ("one", "un", "une", "ein", "eine", "uno", "una", "een"):
                continue  # "one of the", "one in ten": rarely a count
            found.append((start, end, float(occurrence.value), None, "exact"))
    return sorted(found)


def find_numbers_in(sentence: str, language: str = "en") -> list[Number]:
    """The sentence's numbers, a range ("200 to 300", "between 2 and 3") read as one, with qualifiers."""
    raw = _raw_numbers(sentence, language if language in TEXT2NUM_LANGUAGES else "")
    out: list[Number] = []
    index = 0
    while index < len(raw):
        start, end, value, high, qualifier = raw[index]
        text_start = start
        if (index + 1 < len(raw) and qualifier != "vague" and _RANGE_JOIN.match(sentence[end:raw[index + 1][0]])
                and not _CHANGE_FROM.search(sentence[:start])):
            next_start, next_end, top, _, _ = raw[index + 1]
            written = sentence[next_start:next_end].split()
            low = value
            if len(written) > 1 and written[-1].casefold() in _MULTIPLIERS and value < 1000:
                low = value * _MULTIPLIERS[written[-1].casefold()]  # "between 2 and 3 million"
            if top > low:
                value, end, high, qualifier = low, next_end, top, "range"
                index += 1
                between = re.search(r"\b(?:between|from|entre|zwischen|від|от)\s*$", sentence[:start], re.IGNORECASE)
                text_start = between.start() if between else start
        if qualifier != "range":
            word = _BEFORE_RE.search(sentence[max(0, start - 24):start])
            if word:
                qualifier = _entry(_BEFORE_KIND, " ".join(word.group(1).split())) if qualifier == "exact" else qualifier
                text_start = start - (len(sentence[max(0, start - 24):start]) - word.start(1))
        if sentence[end:end + 1] == "%" or sentence[end:end + 2] == " %":
            end = sentence.index("%", end) + 1
        out.append(Number(value, high, qualifier, sentence[text_start:end], start, end))
        index += 1
    return out
