"""Quantified claims in an article: the number, what it counts, who claims it, and the sentence.

Only sentences naming something countable (a word of COUNTS, CASUALTIES or UNITS) are parsed
for numbers, which keeps the cost per page small. A number counts the first countable word
within a few words after it ("59,000 troops", "15,000 Russian soldiers were killed") or a
casualty word just before it ("killing 3", "losses exceeding 49,000", "the toll rose to 5");
a number with neither is not a figure. The party is the nationality or country the count is
about (capitalized words between the number and its noun, else just before the number), the
scope the place after "in"/"to"; both help decide which figures are comparable.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

from monitor.text.ascii_view import ascii_letter_runs, ascii_view
from monitor.text.claimants import claimant_in, resolve
from monitor.text.cyrillic_numbers import APOSTROPHES, CYRILLIC
from monitor.text.cyrillic_numbers import FORMS as CYRILLIC_FORMS
from monitor.text.cyrillic_numbers import PIECES as CYRILLIC_PIECES
from monitor.text.numbers import CYRILLIC_VAGUE
from monitor.text.numbers import Number, Qualifier, find_numbers_in
from monitor.rule_version import RuleVersion

# The version of what extract_figures() reads (numbers.py and cyrillic_numbers.py included): stored
# figures of an older version are read again by `monitor rederive` and the polls (cluster/rederive.py).
FIGURES_RULE = RuleVersion(2, "8e8d186040a44e6b")

# What a figure counts -> word stems (lower case, matched at a word's start).
COUNTS: dict[str, tuple[str, ...]] = {
    "troops": ("troop", "soldier", "servicem", "service member", "fighter", "personnel", "marines", "soldat",
               "soldad", "военнослуж", "военн", "солдат", "військов", "бійц", "бойов"),
    "people": ("people", "civilian", "resident", "person", "children", "adults", "population", "жител", "людей",
               "мирн", "personnes", "menschen", "personas", "civils", "люди", "человек", "дітей", "детей"),
    "villages": ("village", "settlement", "town", "hamlet", "сел", "населенн", "населён", "dörfer", "pueblos"),
    "drones": ("drone", "uav", "дрон", "беспилотн", "безпілотн", "shahed", "drohne"),
    "missiles": ("missile", "rocket", "ракет", "raketen", "misil"),
    "tanks": ("tank", "armoured vehicle", "armored vehicle", "танк", "panzer"),
    "aircraft": ("aircraft", "jet", "plane", "helicopter", "самолет", "літак", "вертол"),
    "prisoners": ("prisoner", "pow", "captive", "hostage", "пленн", "полонен"),
    "displaced": ("refugee", "displaced", "evacuee", "беженц", "біженц", "réfugiés"),
    "buildings": ("building", "home", "house", "apartment", "дом", "будин"),
}
# Casualty words: before or after the number they make it a toll.
CASUALTIES: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "killing", "dead", "died", "death", "fatalit", "lives", "perished", "убит", "погиб", "загинул",
               "загибл", "вбит", "tués", "morts", "muertos", "tote", "getötet", "morti", "toll"),
    "wounded": ("wounded", "wounding", "injured", "injuring", "injuries", "hurt", "ранен", "поранен", "blessés", "heridos", "verletzt",
                "verwundet", "feriti"),
    "losses": ("losses", "casualt", "lost", "потер", "втрат", "pertes", "pérdidas", "verluste", "perdite"),
    "prisoners": ("captured", "taken prisoner", "detained", "arrested"),
    "displaced": ("evacuated", "displaced", "fled"),
}
# Units written right after the number (checked before COUNTS).
UNITS: dict[str, tuple[str, ...]] = {
    "area": ("square kilomet", "sq km", "sq. km", "km2", "km²", "square mile", "квадратн", "кв. км", "кв км",
             "kilomètres carrés", "quadratkilomet", "kilómetros cuadrados", "hectare"),
    "distance": ("kilomet", "km", "mile", "meter", "metre", "километр", "кілометр", "метр"),
    "percent": ("%", "percent", "per cent", "pour cent", "процент", "відсот", "prozent", "por ciento"),
}
_UNIT_OF = {"area": "km²", "percent": "%"}


# A sentence ends after . ! ? … (and a closing quote or bracket) before a capital or a digit, or at a
# line break. The pattern starts with the end mark itself (group 1 is what follows it), not with a
# look-behind: the regex engine then skips to the next mark instead of testing every character.
_SENTENCE_END = re.compile(r"[.!?…]([\"”’)]?\s+)(?=[\"“‘(]?[^\W_a-z])|\n+")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|No|Gen|Lt|Col|Sgt|Maj|Capt|vs|etc|approx|Jan|Feb|"
                           r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K)\.$")  # matched on a piece's tail
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[%²]")
_PERSONS = frozenset({"troops", "people", "prisoners"})
_CLAUSE_BREAK = frozenset({"and", "or", "but", "while", "whereas", "і", "й", "та", "але", "и", "а", "но"})
_NOT_PARTY = re.compile(r"^(?:The|A|An|In|On|At|It|Its|This|That|These|Those|But|And|As|According|President|"
                        r"About|Approximately|Around|Some|More|Up|Over|Nearly|Almost|Only|Between|Roughly|"
                        r"Another|Fewer|Less|Several|Many|Most|All|Both|Each|They|He|She|We|Our|Their|His|Her|"
                        r"However|Meanwhile|Also|Since|After|Before|During|Despite|While|When|If|Officials|"
                        r"Police|Authorities|Estimates|Current|Recent|New|Up|Just|Still|Even|At least|"
                        r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                        r"April|May|June|July|August|September|October|November|December)$")
_TOLL_BEFORE = re.compile(r"\b(?:death toll|toll|death count|dead|fatalities)\b[^.;:!?]{0,90}"
                          r"\b(?:to|at|of|reached|hit|is|was|stands at|now)\s*$", re.IGNORECASE)
WINDOW_AFTER = 5  # words after the number where its noun may be
WINDOW_BEFORE = 4


@dataclass(frozen=True)
class Figure:
    """One quantified claim as written in one sentence of one article."""

    value: float
    high: float | None
    qualifier: Qualifier
    counts: str  # a key of COUNTS, CASUALTIES or UNITS
    unit: str  # "" for counts; "%", "km²", "km"
    number_text: str  # "about 1,200", "dozens"
    subject: str  # the words the number counts: "North Korean troops"
    party: str  # who or what the count is about: "North Korean", "Russia" ("" when unsaid)
    scope: str  # where: "Kursk" ("" when unsaid)
    claimant: str | None
    sentence: str
    position: int  # the sentence's index in the article (0 = the title)


def _pieces(text: str) -> list[str]:
    """The text cut at each sentence end (the end mark stays with its sentence)."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        cut = match.start(1) if match.group(1) is not None else match.start()
        pieces.append(text[start:cut])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def sentences(text: str) -> list[str]:
    """Sentences, not cut after initials and abbreviations ("U.S. President", "Gen. Syrskyi")."""
    out: list[str] = []
    for piece in _pieces(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and _ABBREVIATION.search(out[-1][-8:]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[str, str]]]:
    """Stems by their first (up to) four letters: a word is compared with a handful, not all."""
    index: dict[str, list[tuple[str, str]]] = {}
    for key, stems in table.items():
        for stem in stems:
            if " " not in stem:
                index.setdefault(stem[:4], []).append((stem, key))
    return index


_INDEXES = {id(t): _index(t) for t in (COUNTS, CASUALTIES)}


def _stem_match(word: str, table: dict[str, tuple[str, ...]]) -> str | None:
    low = word.casefold()
    index = _INDEXES[id(table)]
    for prefix in (low[:4], low[:3], low[:2]):
        for stem, key in index.get(prefix, ()):
            if low.startswith(stem):
                return key
    return None


# UNITS' stems that may go on with more letters ("kilomet" -> "kilometres"); the others must end a word.
_OPEN_UNIT_STEMS = ("kilomet", "square kilomet", "meter", "metre", "mile", "percent", "процент", "відсот", "километр",
                    "кілометр", "метр", "quadratkilomet", "hectare")


def _unit_index() -> dict[str, tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]]:
    """UNITS by the first character of their stems, keys in UNITS' order (the first key that matches
    wins), each stem with whether it may go on with more letters: a number's rest is compared with a
    few stems, not all 60."""
    index: dict[str, list[tuple[str, tuple[tuple[str, bool], ...]]]] = {}
    for key, stems in UNITS.items():
        for first in dict.fromkeys(stem[0] for stem in stems):
            index.setdefault(first, []).append((key, tuple(
                (stem, not stem[-1].isalpha() or stem.endswith(_OPEN_UNIT_STEMS)) for stem in stems
                if stem[0] == first)))
    return {first: tuple(keys) for first, keys in index.items()}


_UNIT_INDEX = _unit_index()


def _unit_at(rest: str) -> str | None:
    low = rest.casefold().lstrip()
    for key, stems in _UNIT_INDEX.get(low[:1], ()):
        if any(low.startswith(stem) and (open_end or len(low) == len(stem) or not low[len(stem)].isalpha())
               for stem, open_end in stems):
            return key
    return None


def _breaks_clause(word: str, cyrillic: bool) -> bool:
    """A conjunction, or in Ukrainian and Russian a number word: what follows is another figure's."""
    low = word.casefold()
    return low in _CLAUSE_BREAK or (cyrillic and low.translate(APOSTROPHES) in CYRILLIC_FORMS)


def _classify(sentence: str, number: Number) -> tuple[str, str, str] | None:
    """(counts, unit, subject) for the number, or None when it counts nothing we know."""
    rest = sentence[number.end:]
    unit = "percent" if number.text.endswith("%") else _unit_at(rest)
    if unit == "distance":
        return None  # "30 km from the border": a measure, not a claim we compare
    if unit is not None:
        return unit, _UNIT_OF[unit], ""
    words = [(m.group(), m.start()) for m in _WORD.finditer(rest[:120])]
    before = [m.group() for m in _WORD.finditer(sentence[max(0, number.start - 60):number.start])][-WINDOW_BEFORE:]
    toll = next((c for w in reversed(before) if (c := _stem_match(w, CASUALTIES))), None)
    # The noun must follow without punctuation between ("5, in Kharkiv" counts nothing).
    gap = re.match(r"^[\s\w'’-]*", rest).group()  # type: ignore[union-attr]  # (* always matches)
    cyrillic = not sentence.isascii() and CYRILLIC.search(sentence) is not None
    for index, (word, offset) in enumerate(words[:WINDOW_AFTER]):
        if offset > len(gap) or (index and word[:1].isdigit()) or _breaks_clause(word, cyrillic):
            break  # past punctuation, a conjunction or the next number: what follows is another figure's
        casualty = _stem_match(word, CASUALTIES)
        if casualty is not None and casualty != "losses":
            return casualty, "", " ".join(w for w, _ in words[:index]) or word
        noun = _stem_match(word, COUNTS)
        if noun is None:
            continue
        subject = " ".join(w for w, _ in words[:index + 1])
        if noun in _PERSONS:
            # Their fate follows them ("three people were killed"), but not past a conjunction: in
            # "killed three people and wounded 12" the wounded are the next number's. In Ukrainian and
            # Russian, not past the next number word either ("загинули двоє людей, п'ятеро поранених"),
            # nor past punctuation when their fate came before them ("погибли три человека, ранены пятеро").
            reach = len(gap) if cyrillic and toll is not None else len(gap) + 40
            after = list(itertools.takewhile(lambda w: not _breaks_clause(w, cyrillic), (
                w for w, o in words[index + 1:index + 1 + WINDOW_AFTER] if o <= reach)))
            fate = next((c for w in after if (c := _stem_match(w, CASUALTIES))), None)
            if fate is not None and fate != "losses":
                return fate, "", subject
            if toll is not None:
                return toll, "", subject
        return noun, "", subject
    nothing_after = not words[:1] or words[0][1] > len(gap)
    if toll is not None and (toll != "losses" or nothing_after):
        return toll, "", ""  # "killing 3", "a toll of 12", "losses of 300"
    if nothing_after and _TOLL_BEFORE.search(sentence[max(0, number.start - 100):number.start]):
        return "killed", "", ""  # "the death toll has risen to five"
    return None


def _party(sentence: str, number: Number, subject: str, claimant_end: int) -> str:
    named = [w for w in subject.split() if w[:1].isupper() and not _NOT_PARTY.match(w)]
    if named:
        return " ".join(named)
    head = sentence[claimant_end if claimant_end < number.start else 0:number.start]
    runs = re.findall(r"(?:[A-Z][\w'’-]+\s?)+", head)
    for run in reversed(runs):
        words = [w for w in run.split() if not _NOT_PARTY.match(w)]
        if words:
            return " ".join(words).removesuffix("'s").removesuffix("’s")
    return ""


def _scope(sentence: str, number: Number) -> str:
    match = re.search(r"\b(?:in|into|to|inside|within|near|around)\s+(?:the\s+)?((?:[A-Z][\w'’-]+\s?)+)",
                      sentence[number.end:])
    return match.group(1).strip().removesuffix("'s") if match else ""


def party_key(text: str) -> str:
    """"Russia" and "Russian", "North Korea" and "North Korean" compare equal."""
    return " ".join(w[:5] for w in re.findall(r"[^\W\d_]+", text.casefold()))


def _stems_by_prefix() -> frozenset[str]:
    stems = {st for table in (COUNTS, CASUALTIES, UNITS) for v in table.values() for st in v}
    return frozenset(st.split()[0][:4] for st in stems if st[0].isalpha())


_PREFIXES = _stems_by_prefix()
_LETTERS = re.compile(r"[^\W\d_]+")
# Only a cheap first sieve (text2num does the parsing), so that sentences without any number skip
# it: English number words whole, other languages by their first letters (German, Dutch and Danish
# write "dreitausend" as one word).
_ENGLISH_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion billions dozen dozens score scores".split())
_NUMBER_PREFIXES = frozenset(w[:4] for w in (
    "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quinze seize vingt trente quarante "
    "cinquante soixante cent mille dizaines ein eine zwei drei vier fünf sechs sieben acht neun zehn elf zwölf "
    "zwanzig hundert tausend dutzende uno dos tres cuatro cinco seis siete ocho nueve diez once doce veinte "
    "treinta cien mil decenas due quattro sei sette otto nove dieci cento um uma dois duas sete oito vinte "
    "tien twee vijf zes zeven negen honderd duizend десятки сотни тысячи сотні тисячі").split())
_DIGIT = re.compile(r"\d")


def letter_words(folded: str) -> list[str]:
    r"""`_LETTERS.findall(folded)`: the runs of letters (`[^\W\d_]`); through the ASCII view when there is
    one (~2x faster: every sentence of every page passes here)."""
    view = ascii_view(folded)
    return _LETTERS.findall(folded) if view is None else ascii_letter_runs(view)


def _may_count(sentence: str, english: bool) -> tuple[bool, bool]:
    """Cheap test first: (a word starts like a countable one and a number is there, a number word may be)."""
    words = letter_words(sentence.casefold())
    digit = _DIGIT.search(sentence) is not None
    cyrillic = not sentence.isascii() and not (CYRILLIC_PIECES.isdisjoint(words)  # "троє", "п'ятеро", "десятки"
                                               and CYRILLIC_VAGUE.isdisjoint(words))
    if english:
        spelled = cyrillic or not _ENGLISH_NUMBER_WORDS.isdisjoint(words)
        if not (digit or spelled):
            return False, False  # no number: most sentences end here
    prefixes = {w[:4] for w in words}
    if not ("%" in sentence or prefixes & _PREFIXES):
        return False, False
    if not english:
        spelled = cyrillic or bool(prefixes & _NUMBER_PREFIXES)
    return spelled or digit, spelled


def _earlier_claimants(sents: list[str], position: int, head: str) -> list[str]:
    """Claimants of the sentences before `position` that mention `head` (looked up only when needed)."""
    found: list[str] = []
    for sentence in sents[max(1, position - 12):position]:
        if head in sentence.casefold():
            claimed = claimant_in(sentence)
            if claimed:
                found.append(claimed)
    return found


def extract_figures(title: str, text: str, language: str | None = "en") -> list[Figure]:
    """Every figure in the title and text, with claimants resolved across the article's sentences."""
    lang = (language or "en").split("-")[0].casefold()
    figures: list[Figure] = []
    seen: dict[tuple[str, float], int] = {}
    if "://" in text or "www." in text:  # (the pattern costs ~8 % of the whole when it has nothing to find)
        text = _URL.sub(" ", text)
    sents = [title, *sentences(text)]
    for position, sentence in enumerate(sents):
        candidate, spelled = _may_count(sentence, lang == "en")
        if not candidate:
            continue
        kinds = [(number, kind) for number in find_numbers_in(sentence, lang if spelled else "")
                 if (kind := _classify(sentence, number)) is not None]
        if not kinds:
            continue
        claimant = claimant_in(sentence)
        if claimant and len(claimant.split()) <= 2:
            head = claimant.split()[-1].casefold()
            claimant = resolve(claimant, _earlier_claimants(sents, position, head if len(claimant.split()) > 1 else ""))
        claimant_end = sentence.find(claimant) + len(claimant) if claimant and claimant in sentence else 0
        for number, (counts, unit, subject) in kinds:
            party = _party(sentence, number, subject, claimant_end)
            figure = Figure(number.value, number.high, number.qualifier, counts, unit, number.text, subject, party,
                            _scope(sentence, number), claimant, sentence, position)
            key = (counts, number.value)  # the title's figure told again in the text is one figure
            if key not in seen:
                seen[key] = len(figures)
                figures.append(figure)
            elif claimant and not figures[seen[key]].claimant:  # the title's figure, attributed in the text
                figures[seen[key]] = figure
    return figures


def figures_enabled() -> bool:
    """MONITOR_FIGURES=off stores articles without reading their figures (the benchmark's baseline)."""
    return os.environ.get("MONITOR_FIGURES", "").strip().lower() not in ("off", "0", "false", "no")


def article_figures(title: str, text: str, language: str | None) -> list[Figure] | None:
    """What ingestion and import store beside an article (None when figures are turned off: the
    brief then reads them on demand)."""
    return extract_figures(title, text, language) if figures_enabled() else None
