"""Who, where, which numbers and which language an article names; stored once, read back, derived for old databases."""
from __future__ import annotations

from monitor.cluster.assign import assign_backlog
from monitor.cluster.features import extract
from monitor.cluster.identity import identify, numbers_in
from monitor.cluster.rederive import rederive_slice
from monitor.store import open_db, write_transaction
from monitor.store import rederive as rederive_store
from monitor.store.identity import article_identity, event_identity

from .conftest import LEXICAL, add_article, cluster_of


def _canonical(place: str) -> str:
    """The gazetteer's own name for a place (GeoNames' spelling changes between releases: Odessa, Odesa)."""
    return next(p.name for p in identify(f"News from {place}", "").places)


def _cities(title: str, text: str = "") -> set[str]:
    return {p.name for p in identify(title, text).places if p.kind == "city"}


def test_places_resolve_across_spellings_scripts_and_cases():
    spellings = ["Missile strike on Kharkiv", "Missile strike on Kharkov", "Ракетний удар по Харкову",
                 "Ракетный удар по Харькову", "Удар по Харків", "Raketový útok na Charkov"]
    ids = {frozenset(identify(title, "").cities) for title in spellings}
    assert ids == {frozenset({706483})}  # GeoNames' Kharkiv, whatever the spelling
    assert identify("Drone attack on Odessa port", "").cities == identify("Drone attack on Odesa port", "").cities
    assert len(identify("Glide bombs on Kharkiv, drones on Odesa", "").cities) == 2  # two places, both kept
    # The English press's Zaporizhzhia and GeoNames' Zaporižžja are one city
    assert identify("Strike on Zaporizhzhia", "").cities == identify("Удар по Запоріжжя", "").cities == \
        identify("Strike on Zaporizhzhya", "").cities != frozenset()


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
    dated = identify("Strike on Kharkiv", "On Tuesday, governor Oleh Syniehubov said Tuesday's strike killed "
                     "three, and Selenskyj spoke on Dienstag of the Russian attack.")
    # weekdays are time words, "Russian" a nationality: neither says who; "Oleh" is the first name of one
    assert {form for _, form in dated.names} == {"Syniehubov", "Selenskyj"}
    # a month is a date too ("on 19 November" was the brief's first "who"), but May is also a surname
    months = identify("Strike on Kharkiv", "On 19 November, governor Oleh Syniehubov said the strike of 12 "
                      "Listopad and of March killed three; Theresa May spoke of it in Juni.")
    assert {form for _, form in months.names} == {"Syniehubov", "May"}
    assert {"27", "1200"} <= set(found.numbers)
    assert found.language == "en"
    # Headline and lead, as articles arrive (a lone Slovak sentence may read as Czech to the model).
    assert identify("Vláda schválila návrh rozpočtu na budúci rok, opozícia ho kritizuje.",
                    "Poslanci budú o návrhu rokovať v decembri. Podľa ministra financií sa deficit zníži.").language == "sk"
    assert identify("Російські війська завдали удару по Харкову", "").language == "uk"
    assert identify("Российские войска нанесли удар по Харькову", "").language == "ru"
    assert identify("Short", "").language == ""  # too little to tell
    assert identify("Kurz", "", "de-AT").language == "de"  # a declared language wins
    assert numbers_in("On 12 March, 3,500 people and 12.5 million euros, 7 days") == ["12", "3500", "12.5"]


def test_features_carry_the_identity_with_the_declared_language():
    text = "Rescuers searched the rubble in Kharkiv, governor Oleh Syniehubov said."
    assert extract("Strike on Kharkiv", text).identity == identify("Strike on Kharkiv", text)
    assert extract("Strike on Kharkiv", text, "uk").identity.language == "uk"  # declared, not detected


def test_identity_is_stored_once_and_read_back(db, assign):
    a = add_article(db, "Glide bomb hits Kharkiv apartment block", "Governor Oleh Syniehubov said three died.")
    b = add_article(db, "Kharkiv apartment block hit by glide bomb, three dead",
                    "Three people died in Kharkiv, governor Oleh Syniehubov said on Telegram.", host="b.example")
    c = add_article(db, "Drone strike on Odesa port", "Two people were wounded in Odesa, the mayor said.")
    assign()
    found = article_identity(db, [a, b, c])
    assert {p.name for p in found[a].places} == {"Kharkiv"} and found[a].language == "en"
    assert found[a] == identify("Glide bomb hits Kharkiv apartment block", "Governor Oleh Syniehubov said three died.")
    assert cluster_of(db, a) == cluster_of(db, b) != cluster_of(db, c)
    event = event_identity(db, cluster_of(db, a))
    assert (event.places[0].name, event.places[0].articles) == ("Kharkiv", 2)
    assert {n.name: n.articles for n in event.names}["Syniehubov"] == 2
    assert [(m.name, m.articles) for m in event.languages] == [("en", 2)]
    assert [p.name for p in event_identity(db, cluster_of(db, c)).places] == [_canonical("Odesa")]


def test_an_old_database_gets_identities_a_slice_at_a_time_newest_first(db_path):
    db = open_db(db_path)
    ids = [add_article(db, f"Missile strike on Kharkiv, report {n}", "Governor Oleh Syniehubov said.") for n in range(5)]
    assign_backlog(db, LEXICAL)
    with write_transaction(db):  # back to a database made before identities were stored
        db.conn.execute("DROP TABLE article_identity")
        db.conn.execute("DELETE FROM meta WHERE key IN ('identity_backfill_below', 'rederive_below', 'feature_rules')")
        db.conn.execute("ALTER TABLE cluster_vectors DROP COLUMN terms_rule")  # and before rule versions
        db.conn.execute("ALTER TABLE cluster_vectors DROP COLUMN emb_rule")
        db.conn.execute("DELETE FROM _sqlite_migrations WHERE migration_set IN ('monitor-identity', 'monitor-rules')")
    db.close()
    db = open_db(db_path)  # the migrations compute nothing on opening
    try:
        assert article_identity(db, ids) == {} and rederive_store.mark(db) == 0
        assert rederive_slice(db, LEXICAL, limit=2) == 2  # the rules' signature is new: every article is looked at
        assert set(article_identity(db, ids)) == set(ids[-2:])  # the newest first
        assert assign_backlog(db, LEXICAL) == []  # nothing pending: the poll's call derives one more slice
        assert set(article_identity(db, ids)) == set(ids)
        assert rederive_store.mark(db) == 0 and rederive_slice(db, LEXICAL) == 0  # done: nothing read again
        assert {p.name for p in article_identity(db, ids)[ids[0]].places} == {"Kharkiv"}
    finally:
        db.close()


def test_a_line_opens_a_sentence_and_a_byline_names_its_writer():
    """The lead's line breaks were joined away, so a paragraph's first word read as a name mid-sentence
    ("Three people were killed" after the title made "Three" the event's who), and "By Staff" made Staff."""
    found = identify("Three killed as Russian bombs strike Kharkiv apartment block",
                     "Three killed as Russian bombs strike Kharkiv apartment block\nBy Staff\nThree people were "
                     "killed and 12 wounded when Russian bombs struck Kharkiv, governor Oleh Syniehubov said.")
    assert {form for _, form in found.names} == {"Syniehubov"}
