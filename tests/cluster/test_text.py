"""Normalization shared by matching and search: look-alikes, case, punctuation, other languages."""
from __future__ import annotations

from monitor.store.search import search_articles
from monitor.text.fold import fold
from monitor.text.normalize import match_text, normalize, strip_boilerplate
from monitor.text.tokens import terms

from .conftest import add_article, assignment, cluster_of

CYRILLIC_E = "\u0435"


def test_lookalike_letters_fold_to_latin_twin_but_russian_words_stay():
    assert normalize(f"Pat{CYRILLIC_E}l, Prime-Minister!") == "patel prime minister"
    assert terms(f"Pat{CYRILLIC_E}l") == terms("Patel") == ["patel"]
    assert normalize("Москва") == "москва"  # a genuine Cyrillic word keeps its letters
    assert fold("ﬁnal") == "final"  # NFKC


def test_lookalike_copy_is_a_duplicate_and_found_by_search(db, assign):
    text = ("Priti Patel announced new border rules on Tuesday, saying the measures would take effect "
            "next spring after a consultation with police chiefs and local councils across the country.")
    first = add_article(db, "Patel announces new border rules", text, host="a.example")
    twin = add_article(db, f"Pat{CYRILLIC_E}l announces new border rules", text.replace("Patel", f"Pat{CYRILLIC_E}l"),
                       host="b.example")
    assign()
    row = assignment(db, twin)
    assert row["dup_of"] == first and cluster_of(db, twin) == cluster_of(db, first)
    assert {r["id"] for r in search_articles(db, "patel")} == {first, twin}


def test_boilerplate_lines_do_not_count():
    page = "Advertisement\nThe council approved the budget.\nShare this article\nRead more: other news\n© 2024 Paper"
    assert strip_boilerplate(page) == "The council approved the budget."
    assert match_text("Budget approved", page) == "budget approved the council approved the budget"


def test_german_and_portuguese_keep_their_words():
    german = "Die Bundesregierung hat am Mittwoch das Heizungsgesetz beschlossen, sagte der Minister."
    portuguese = "O governo aprovou na quarta-feira a nova lei do aquecimento, disse o ministro."
    assert {"bundesr", "heizung", "beschlo", "minist"} <= set(terms(german, "de"))
    assert {"govern", "aprov", "aquec", "ministr"} <= set(terms(portuguese, "pt"))


def test_non_english_articles_cluster_on_shared_words(db, assign):
    de1 = add_article(db, "Bundestag beschließt Heizungsgesetz nach langem Streit",
                      "Der Bundestag hat das umstrittene Heizungsgesetz beschlossen. Die Ampelkoalition stimmte "
                      "nach monatelangem Streit für die Reform der Heizungen.", host="de1.example")
    de2 = add_article(db, "Heizungsgesetz: Bundestag stimmt für Reform",
                      "Nach langem Streit in der Ampelkoalition hat der Bundestag dem Heizungsgesetz zugestimmt.",
                      host="de2.example")
    pt1 = add_article(db, "Seleção brasileira vence a Argentina no Maracanã",
                      "A seleção brasileira venceu a Argentina por dois a zero no Maracanã, com gols no segundo tempo.",
                      host="pt1.example")
    pt2 = add_article(db, "Brasil vence Argentina no Maracanã por dois a zero",
                      "Com dois gols no segundo tempo, a seleção brasileira venceu a Argentina no Maracanã.",
                      host="pt2.example")
    assign()
    assert cluster_of(db, de1) == cluster_of(db, de2)
    assert cluster_of(db, pt1) == cluster_of(db, pt2)
    assert cluster_of(db, de1) != cluster_of(db, pt1)
    assert assignment(db, pt2)["terms"]  # tied by shared Portuguese terms, not by an English list
