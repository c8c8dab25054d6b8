"""Ukrainian and Russian number words, in their declined forms: "троє", "двадцять сім", "п'ятеро",
"трёх тысяч", "погибли три человека", "ранены пятеро".

No library fits: text2num reads none of these languages; number-parser (0.3.2, last released in
2023) reads their cardinals but not the collective numerals casualty reports are written with
(двое, трое, пятеро), nor a Ukrainian word with an apostrophe (п'ять, п'ятеро: its open issue #85),
and it rewrites the text without saying where a number stood; pymorphy3 gives a word's lemma, not
its value, from a dictionary of several MB. So a table: each word's forms (nominative, genitive,
dative, instrumental; the collective numerals and their oblique forms), read by script, not by the
article's declared language (a page seldom declares it). Vague amounts ("десятки", "сотні") are
numbers.py's. A lone "один"/"одна" is not read, as "one" is not: "один из", "one of the".
"""
from __future__ import annotations

import re
from typing import Literal

Kind = Literal["cardinal", "collective", "scale"]


def _declined(nominatives: dict[int, str], endings: tuple[str, ...]) -> dict[str, int]:
    """Words ending in -ь (пять, п'ять, двадцять) with their other case endings on the same stem."""
    forms: dict[str, int] = {}
    for value, word in nominatives.items():
        forms[word] = value
        for ending in endings:
            forms[word[:-1] + ending] = value
    return forms


_RU_SOFT = {5: "пять", 6: "шесть", 9: "девять", 10: "десять", 11: "одиннадцать", 12: "двенадцать",
            13: "тринадцать", 14: "четырнадцать", 15: "пятнадцать", 16: "шестнадцать", 17: "семнадцать",
            18: "восемнадцать", 19: "девятнадцать", 20: "двадцать", 30: "тридцать"}
_UK_SOFT = {5: "п'ять", 9: "дев'ять", 10: "десять", 11: "одинадцять", 12: "дванадцять", 13: "тринадцять",
            14: "чотирнадцять", 15: "п'ятнадцять", 16: "шістнадцять", 17: "сімнадцять", 18: "вісімнадцять",
            19: "дев'ятнадцять", 20: "двадцять", 30: "тридцять"}
_OTHER_FORMS = {
    1: "один одна одно одного одной одному одним одну одном одне одної одній однією",
    2: "два две двух двум двумя дві двох двом двома",
    3: "три трех трем тремя трьох трьом трьома",
    4: "четыре четырех четырем четырьмя чотири чотирьох чотирьом чотирма",
    6: "шість шести шістьом шістьма",
    7: "семь семи сім сімом",  # (not "сьома": also "seventh")
    8: "восемь восьми восемью восьмью вісім вісьмом вісьмома",
    40: "сорок сорока", 50: "пятьдесят пятидесяти пятьюдесятью п'ятдесят п'ятдесяти п'ятдесятьма п'ятдесятьом",
    60: "шестьдесят шестидесяти шістдесят шістдесяти шістдесятьма",
    70: "семьдесят семидесяти сімдесят сімдесяти сімдесятьма",
    80: "восемьдесят восьмидесяти вісімдесят вісімдесяти вісімдесятьма",
    90: "девяносто девяноста дев'яносто дев'яноста", 100: "сто ста",
    200: "двести двухсот двумстам двухстах двісті двохсот двомстам", 300: "триста трехсот трьохсот",
    400: "четыреста четырехсот чотириста чотирьохсот", 500: "пятьсот пятисот п'ятсот п'ятисот",
    600: "шестьсот шестисот шістсот", 700: "семьсот семисот сімсот", 800: "восемьсот восьмисот вісімсот",
    900: "девятьсот девятисот дев'ятсот дев'ятисот",
}
_COLLECTIVE = {
    2: "двое двоих двоим двоє", 3: "трое троих троим троє", 4: "четверо четверых четверо",
    5: "пятеро пятерых п'ятеро п'ятьох", 6: "шестеро шестерых шістьох", 7: "семеро семерых сімох",
    8: "восьмеро восьмерых вісьмох", 9: "девятеро девятерых дев'ятеро дев'ятьох",
    10: "десятеро десятерых десятьох",
}
_SCALES = {1000: "тысяча тысячи тысяч тысячу тысячей тысячам тысячами тысячах тисяча тисячі тисяч тисячу тисячею "
                 "тисячам тисячами тисячах",
           1_000_000: "миллион миллиона миллионов миллионы мільйон мільйона мільйони мільйонів"}
# A scale word alone reads as one of it only in the singular ("тисяча людей"); "тисячі людей" is vague.
_LONE_SCALES = frozenset("тысяча тысячу тисяча тисячу миллион мільйон".split())

FORMS: dict[str, tuple[Kind, int]] = {
    **{w: ("cardinal", v) for w, v in _declined(_RU_SOFT, ("и", "ью")).items() if w != "семью"},  # (a family)
    **{w: ("cardinal", v) for w, v in _declined(_UK_SOFT, ("и", "ьом", "ьма", "ьох")).items()},
    **{w: ("cardinal", v) for v, words in _OTHER_FORMS.items() for w in words.split()},
    **{w: ("collective", v) for v, words in _COLLECTIVE.items() for w in words.split()},
    **{w: ("scale", v) for v, words in _SCALES.items() for w in words.split()},
}
# What letter_words() makes of the forms (it splits at the apostrophe): a cheap sieve for figures.py.
PIECES = frozenset(piece for word in FORMS for piece in word.split("'") if len(piece) >= 3)

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ё": "е"})  # one apostrophe, and ё as е: as FORMS spells
CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)


def _adds(last: int, value: int) -> bool:
    """Whether `value` goes on a compound whose last part was `last`: 20 then 7, 100 then 20, never 15 then 3."""
    place = 1
    while last % (place * 10) == 0:
        place *= 10
    return value < place


def cyrillic_numbers(sentence: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of each number written in Ukrainian or Russian words."""
    if sentence.isascii() or not CYRILLIC.search(sentence):
        return []
    found: list[tuple[int, int, float]] = []
    run: list[int] | None = None  # [start, end, total, group, last, words]
    lone_scale = False

    def close() -> None:
        if run is not None:
            start, end, total, group, _, words = run
            value = total + group
            if (words > 1 or value != 1) and (words > 1 or group or lone_scale):
                found.append((start, end, float(value)))

    for match in _WORD.finditer(sentence):
        word = match.group().casefold().translate(APOSTROPHES)
        kind, value = FORMS.get(word, (None, 0))
        joined = run is not None and not sentence[run[1]:match.start()].strip()
        if kind is None or kind == "collective":
            close()
            run = None
            if kind == "collective":
                found.append((match.start(), match.end(), float(value)))
            continue
        if kind == "scale":
            if joined and run is not None and run[3]:  # "три тисячі", "двадцять п'ять тисяч"
                run[2] += run[3] * value
                run[3], run[4], run[1], run[5] = 0, value, match.end(), run[5] + 1
                continue
            close()
            run, lone_scale = [match.start(), match.end(), value, 0, value, 1], word in _LONE_SCALES
            continue
        if joined and run is not None and _adds(run[4], value):
            run[3] += value
            run[4], run[1], run[5] = value, match.end(), run[5] + 1
            continue
        close()
        run, lone_scale = [match.start(), match.end(), 0, value, value, 1], False
    close()
    return found
