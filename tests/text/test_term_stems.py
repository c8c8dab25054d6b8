"""The clusterer's terms: each word's Snowball stem in the article's language, cut to STEM_LENGTH."""
from __future__ import annotations

from monitor.cluster.features import extract
from monitor.cluster.identity import terms_language
from monitor.text.stem import stem_word
from monitor.text.tokens import STEM_LENGTH, entity_terms, name_words, readable, term, terms


def test_inflected_forms_meet_in_their_own_language():
    assert terms("strikes strike", "en") == ["strike", "strike"]  # a 7-letter prefix kept them apart
    assert terms("Anschläge Anschlag", "de") == terms("Anschlag Anschlag", "de")
    assert terms("Харькову Харьков", "ru") == ["харьк", "харьк"]  # twice, as search: one stem for both cases
    assert terms("Warszawę Warszawa", "pl") == ["warszaw", "warszaw"]
    assert terms("şehirde şehir evlerde evler", "tr") == ["şehir", "şehir", "ev", "ev"]


def test_a_language_without_a_stemmer_keeps_the_prefix_and_an_unknown_one_takes_the_script_rule():
    assert terms("strikes internationally", "vi") == ["strikes", "interna"]
    assert terms("strikes Харькову", "") == [stem_word("strikes"), stem_word("харькову")] == ["strike", "харьк"]
    assert terms("Харкові", "uk") == terms("Харкові", "ru")  # Ukrainian: the nearest, Russian


def test_stems_are_cut_and_numbers_follow_one_rule_in_every_language():
    assert all(len(t) <= STEM_LENGTH for t in terms("Heizungsgesetzes internationalization", "de"))
    for language in ("", "en", "de", "vi"):
        assert terms("2024 15 150000 x _a", language) == ["2024"]  # years kept; counts, letters, _ dropped
        assert term("a", language) is None


def test_names_take_the_script_rule_in_every_language_so_they_meet_across_languages():
    text = "Der Präsident Joe Biden traf am Dienstag Kennedy. Biden sprach über Anschläge."
    names = name_words(text, "de")
    assert {"biden", "kennedy", "joe", "dienstag"} <= names and "der" not in names  # "Der" opens the sentence
    assert term("biden", "de") == "bid"  # the German stemmer's, which the English side never makes
    german = terms(text, "de", names)
    assert {"biden", "kennedi", "anschlä"} <= set(german)  # English's (the script rule's) for names and nouns
    assert terms("Biden met Kennedy", "en") == ["biden", "met", "kennedi"]
    assert name_words(text, "en") == frozenset()  # English's terms are the script rule's already
    assert entity_terms(text) == {term(w) for w in names}


def test_readable_forms_follow_both_rules():
    assert readable(["strike", "unknown"], "Two strikes hit the city", "en") == ["strikes", "unknown"]
    assert readable(["bid", "biden"], "Joe Biden", "de") == ["biden", "biden"]


def test_an_article_takes_its_declared_or_read_language_and_a_bare_headline_the_script_rule():
    body = " ".join(["mot"] * 40)
    assert terms_language("de-DE", "de", "Anschläge auf Kiew") == "de"  # declared: trusted even on a headline
    assert terms_language(None, "fr", f"Titre\n{body}") == "fr"  # detected from a full window of words
    assert terms_language(None, "fi", "Second copy\nZanzibar quokka marmalade teaser.") == ""  # a few: not trusted
    assert extract("Second copy", "Zanzibar quokka marmalade teaser.").tf["quokka"] > 0
    german = extract("Anschläge auf Kiew", "Die Anschläge trafen Kiew. Zwei Menschen wurden getötet.", "de")
    assert {"traf", "wurd", "getot"} <= set(german.tf) and german.forms["getot"] == "getötet"  # German's stems
    english = extract("Russian strikes hit Kyiv", "A strike on Kyiv killed two people, officials said.")
    assert english.identity.language == "en" and "strike" in english.tf and "strikes" not in english.tf


def test_a_word_of_another_script_takes_that_scripts_rule():
    # A Latin word in a Ukrainian report meets the English articles' term, a Cyrillic one in German the Russian's.
    assert terms("strikes NATO", "uk") == terms("strikes NATO", "en") == ["strike", "nato"]
    assert terms("Харькову", "de") == terms("Харькову", "ru") == ["харьк"]


def test_every_language_without_a_stemmer_shares_one_table():
    assert terms("strikes", "zz") == terms("strikes", "vi") == ["strikes"]
    from monitor.text import tokens

    assert tokens._terms_of("zz") is tokens._terms_of("vi") is tokens._terms_of("-")
