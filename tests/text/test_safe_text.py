"""Untrusted text printed by the CLI can never reach the terminal as a control sequence."""
from __future__ import annotations

import hashlib
import io
import re

from hypothesis import given, settings, strategies as st

import json

from monitor.safe_text import SafeStream, json_escaped, printable
from monitor.store.articles import content_hash
from monitor.text.fold import _fold_recent, fold

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_printable_output_has_no_control_characters(text):
    assert not CONTROL.search(printable(text))
    assert "\n" not in printable(text, single_line=True)


def test_escape_sequences_become_visible():
    assert printable("\x1b[2J\x1b]0;title\x07ok") == "␛[2J␛]0;title␇ok"
    assert printable("a\u202eb") == "a<U+202E>b"


@settings(max_examples=2000)
@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=2000)
@given(st.text(), st.text())
def test_fold_of_two_texts_joined_by_a_line_break_is_their_folds_joined(title, text):
    """What lets the content hash fold an article's title and text apart, as its search entry does."""
    whole = _fold_recent.__wrapped__(f"{title}\n{text}")  # the fold, uncached
    assert fold(title) + "\n" + fold(text) == whole
    assert content_hash(title, text) == hashlib.sha256(" ".join(whole.split()).encode("utf-8")).hexdigest()


def test_fold_turns_lookalikes_in_latin_words_only():
    assert fold("Kavya Patеl is an еxpеriеncеd writеr") == "kavya patel is an experienced writer"
    assert fold("Харків") == "харків"  # a genuine Cyrillic word stays Cyrillic
    assert fold("zero\u200bwidth") == "zerowidth"
    assert fold("a\u0345") == fold(fold("a\u0345")) == "ai"


@given(st.text())
def test_json_keeps_the_data_exact_with_no_control_character_in_its_text(text):
    document = json_escaped(json.dumps({"t": text}, ensure_ascii=False))
    assert not CONTROL.search(document)
    assert json.loads(document) == {"t": text}


def test_a_guarded_stream_shows_every_control_and_refuses_bytes():
    raw = io.StringIO()
    stream = SafeStream(raw)
    print("a\x1b]0;t\x07 \u009b2J\nb", file=stream)
    assert raw.getvalue() == "a\u241b]0;t\u2407 \\x9b2J\nb\n"
    try:
        stream.write(b"")  # type: ignore[arg-type]
    except TypeError:
        pass
    else:
        raise AssertionError("a text stream must refuse bytes (click would wrap it as a binary writer)")
