"""The ASCII view's shortcuts in figure extraction (monitor.text.ascii_view) give what the regexes they skip
give: letter runs, vague amounts, claimants and whole figures, compared with the same code with the view
turned off (every sentence through the regexes, the code before 2026-11-27), on real texts and on
generated ones full of the characters where ASCII and Unicode rules part (ı, İ, ſ, the Kelvin sign,
typographic marks, digits inside words)."""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from unittest import mock

from hypothesis import given, settings, strategies as st

from monitor.text import claimants, figures, numbers
from monitor.text.ascii_view import TYPOGRAPHIC_MARKS, ascii_letter_runs, ascii_view
from tests.conftest import shared_path
from tests.support.newsroom import fixture_pages

_WORDS = ["dozens", "Hundreds", "THOUSANDS", "tens of thousands", "de", "des", "said", "SAYS", "according to",
          "citing", "put", "told", "officials", "troops", "killed", "Ukraine", "Russia's", "5", "1,200", "two",
          "million", "dutzende", "centaines", "десятки", "сотни", "заявил", "по данным", "a déclaré", "mıllions",
          "İnsisted", "ſaid", "\u212aILLED", "ﬁgures", "x2", "_", "ß", "½"]
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(list(TYPOGRAPHIC_MARKS + " .,;:()\"'-\n%")),
                           st.text(max_size=3)), max_size=40).map("".join)


def _texts() -> list[tuple[str, str, str | None]]:
    texts: list[tuple[str, str, str | None]] = [(p.title, p.gold_text(), "en") for p in fixture_pages()]
    for line in shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        texts.append(("", article["text"], article.get("lang") or "en"))
    return texts


@contextlib.contextmanager
def without_view() -> Iterator[None]:
    """The ASCII view turned off where figure extraction uses it: what the code did before it."""
    with contextlib.ExitStack() as stack:
        for module in (figures, numbers, claimants):
            stack.enter_context(mock.patch.object(module, "ascii_view", lambda text: None))
        yield


def test_the_view_keeps_ascii_and_turns_only_typographic_marks_into_spaces():
    assert ascii_view("5 troops") == "5 troops"
    assert ascii_view("“Kyiv’s” — 5…") == " Kyiv s    5 "
    assert ascii_view("Харків") is None and ascii_view("’mıllions") is None
    assert not any(figures._LETTERS.fullmatch(mark) for mark in TYPOGRAPHIC_MARKS)  # no mark is a letter


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_letter_words_are_the_regex_letter_runs(text):
    folded = text.casefold()
    assert figures.letter_words(folded) == figures._LETTERS.findall(folded)
    view = ascii_view(text)
    if view is not None:
        assert ascii_letter_runs(view) == figures._LETTERS.findall(view)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_vague_amounts_claimants_and_numbers_are_the_regexes_answers(text):
    vague = [(m.span(), m.group(1)) for m in numbers._vague_matches(text)]
    claimant = claimants.claimant_in(text)
    found = numbers.find_numbers_in(text, "en")
    with without_view():
        assert vague == [(m.span(), m.group(1)) for m in numbers._vague_matches(text)]
        assert claimant == claimants.claimant_in(text)
        assert found == numbers.find_numbers_in(text, "en")
    assert vague == [(m.span(), m.group(1)) for m in numbers._VAGUE_RE.finditer(text)]


def test_real_texts_give_the_same_figures_with_and_without_the_view():
    texts = _texts()
    sentences = [s for title, text, _ in texts[:80] for s in (title, *figures.sentences(text))]
    with_view = [extract_in_languages(t) for t in texts]
    claimed = [claimants.claimant_in(s) for s in sentences]
    with without_view():
        assert with_view == [extract_in_languages(t) for t in texts]
        assert claimed == [claimants.claimant_in(s) for s in sentences]
    found = [f for by_language in with_view for figures_ in by_language for f in figures_]
    assert len(found) > 300 and any(f.claimant for f in found) and any(f.qualifier == "vague" for f in found)
    assert sum(c is not None for c in claimed) > 20


def extract_in_languages(text: tuple[str, str, str | None]) -> list[list[figures.Figure]]:
    title, body, language = text
    return [figures.extract_figures(title, body, lang) for lang in dict.fromkeys((language, "en", "de", "ru"))]
