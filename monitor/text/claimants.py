"""Who a sentence says made a claim: "Russia's defence ministry said", "according to officials".

A claimant is the noun phrase before a reporting verb (back to the clause's start), after
"according to", or after an inverted verb (", said the ministry"). A short back-reference
("the ministry", "he") takes the fuller claimant named earlier in the same article. "Reportedly"
and a bare passive leave the figure unattributed (None).
"""
from __future__ import annotations

import re

from monitor.text.ascii_view import ascii_view, may_hold

_VERBS = (r"said|says|stated|states|reported|reports|claimed|claims|announced|announces|told|disclosed|"
          r"estimated|estimates|indicated|indicates|confirmed|confirms|wrote|added|noted|asserted|asserts|"
          r"asserting|suggest|suggests|suggested|insisted|alleged|alleges|put|puts|"
          r"заявил|заявила|заявили|сообщил|сообщила|сообщили|заявив|заявила|повідомив|повідомила|повідомили|"
          r"a déclaré|a annoncé|affirme|sagte|erklärte|teilte mit|dijo|afirmó|informó")
_BEFORE_VERB = re.compile(r"(?:\b(?:also|has|have|had|further|later|previously|earlier|then|repeatedly)\s+)*"
                          rf"\b(?:{_VERBS})\b", re.IGNORECASE)
_SOURCES = ("according to", "citing", "by the count of", "estimates from", "figures from", "data from", "selon", "laut",
            "según", "по данным", "за даними", "по словам", "за словами")
_ACCORDING = re.compile(r"\b(?:" + "|".join(_SOURCES) + r")\s+(?P<who>[^,.;:()\"“”]{2,80})", re.IGNORECASE)
_INVERTED = re.compile(rf"[,\"”]\s*(?:{_VERBS})\s+(?P<who>(?:the\s+)?[^,.;:()\"“”]{{2,80}})\s*[.;]?\s*$",
                       re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,;:(\"“”]|\b(?:that|and|but|while|as|when|after|before|which|who|because|"
                           r"although|where|if|since|despite)\b", re.IGNORECASE)
_SKIP_START = re.compile(r"^(?:on|in|at|by|for|from|with|over|during|meanwhile|however|also|earlier|later|"
                         r"separately|moreover|last|this|on \w+day)\b\s*", re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "this", "that"})
_NOT_CLAIMANTS = re.compile(r"^(?:reports?|figures?|estimates?|media|footage|it|there|this|which|what|who)$",
                            re.IGNORECASE)
MAX_WORDS = 8


def _tidy(phrase: str) -> str | None:
    phrase = " ".join(phrase.split()).strip(" -–—'\"“”‘’")
    while True:
        shorter = _SKIP_START.sub("", phrase)
        if shorter == phrase:
            break
        phrase = shorter
    words = phrase.split()
    if not words or len(words) > MAX_WORDS or not re.search(r"[^\W\d_]", phrase):
        return None
    if len(words) == 1 and _NOT_CLAIMANTS.match(words[0]):
        return None
    return phrase


# What _ACCORDING, _BEFORE_VERB and _INVERTED need in an ASCII view (monitor.text.ascii_view): a sentence
# whose lower case holds none of these names nobody, without the patterns (~40 µs a sentence) running.
_ASCII_CUES = tuple(w for w in (*_VERBS.split("|"), *_SOURCES) if w.isascii())


def claimant_in(sentence: str, before: int | None = None) -> str | None:
    """The claimant the sentence names (preferring one before character `before`), or None."""
    if not may_hold(ascii_view(sentence), _ASCII_CUES):
        return None
    match = _ACCORDING.search(sentence)
    if match:
        who = re.split(r"\s+(?:on|in|at|which|who|that|as)\s+", match.group("who"), maxsplit=1)[0]
        verb = _BEFORE_VERB.search(who)
        return _tidy(who[:verb.start()] if verb else who)
    for verb in _BEFORE_VERB.finditer(sentence):
        head = sentence[:verb.start()]
        cuts = [m.end() for m in _CLAUSE_START.finditer(head)]
        phrase = head[cuts[-1]:] if cuts else head
        if re.search(r"\breportedly\b|\b(?:was|were|is|are|be|been|being)\s*$", phrase, re.IGNORECASE):
            continue  # "was reported": a passive names nobody
        who = _tidy(phrase)
        if who is not None:
            return who
    inverted = _INVERTED.search(sentence)
    if inverted:
        return _tidy(inverted.group("who"))
    return None


def _head(phrase: str) -> str:
    return phrase.split()[-1].casefold().rstrip("'’s") if phrase.split() else ""


def resolve(claimant: str | None, earlier: list[str]) -> str | None:
    """A back-reference ("The ministry", "he") replaced by the fuller claimant named earlier."""
    if claimant is None:
        return None
    words = claimant.split()
    if len(words) == 1 and words[0].casefold() in _PRONOUNS:
        return earlier[-1] if earlier else None
    if len(words) <= 2 and words[0].casefold() in ("the", "this", "that", "its", "their"):
        head = _head(claimant)
        for previous in reversed(earlier):
            if len(previous.split()) > len(words) and _head(previous) == head:
                return previous
    return claimant


def claimant_key(claimant: str | None) -> str:
    """Claimants compared: case, leading articles and "senior"-style words do not matter."""
    if not claimant:
        return ""
    words = [w for w in re.findall(r"[^\W_]+", claimant.casefold()) if w not in ("the", "a", "an", "s")]
    return " ".join(words)
