"""Who, where, which numbers and which language an article names; stored once, read back."""
from __future__ import annotations

from monitor.cluster.identity import identify, numbers_in
from monitor.store.identity import article_identity, event_identity

from .conftest import add_article, cluster_of


def _cities(title: str, text: str = "") -> set[str]:
    return {p.name for p in identify(title, text).places if p.kind == "city"}


def test_places_resolve_across_spellings_scripts_and_cases():
    spellings = ["Missile strike on Kharkiv", "Missile strike on Kharkov", "Ракетний удар по Харкову",
                 "Ракетный удар по Харькову", "Удар по Харків", "Raketový útok na Charkov"]
    ids = {frozenset(identify(title, "").cities) for title in spellings}
    assert ids == {frozenset({706483})}  # GeoNames' Kharkiv, whatever the spelling
    assert _cities("Drone attack on Odessa port") == {"Odesa"}


def test_capitalized_only_and_not_a_lower_case_word_elsewhere():
    assert _cities("The police said the port was closed") == set()
    assert _cities("Police said the port was closed", "the police arrived later") == set()
    assert "Nice" not in _cities("A nice day in Kyiv")


def test_names_numbers_and_language():
    found = identify("Syniehubov says 27 wounded in Kharkiv strike",
                     "Three people were killed and 1,200 evacuated when a glide bomb hit Kharkiv on Thursday, "
                     "governor Oleh Syniehubov said on Telegram.")
    assert "Syniehubov" in {form for _, form in found.names}
    assert "Kharkiv" not in {form for _, form in found.names}  # a place, not a name
    assert {"27", "1200"} <= set(found.numbers)
    assert found.language == "en"
    assert identify("Vláda schválila návrh rozpočtu na budúci rok, opozícia ho kritizuje.", "").language == "sk"
    assert identify("Short", "").language == ""  # too little to tell
    assert identify("Kurz", "", "de-AT").language == "de"  # a declared language wins
    assert numbers_in("On 12 March, 3,500 people and 12.5 million euros, 7 days") == ["12", "3500", "12.5"]


def test_identity_is_stored_once_and_read_back(db, assign):
    a = add_article(db, "Glide bomb hits Kharkiv apartment block", "Governor Oleh Syniehubov said three died.")
    b = add_article(db, "Kharkiv apartment block hit by glide bomb, three dead",
                    "Three people died in Kharkiv, governor Oleh Syniehubov said on Telegram.", host="b.example")
    assign()
    found = article_identity(db, [a, b])
    assert {p.name for p in found[a].places} == {"Kharkiv"} and found[a].language == "en"
    assert cluster_of(db, a) == cluster_of(db, b)
    event = event_identity(db, cluster_of(db, a))
    assert event.places[0] == ("Kharkiv", 2) and dict(event.names)["Syniehubov"] == 2
    assert event.languages == (("en", 2),)
