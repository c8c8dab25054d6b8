"""Places right more often: a town's name that ends a longer capitalized name (a surname) is not that
town, unless the word before it is one of its language's common words."""
from __future__ import annotations

from monitor.cluster.common_words import is_common
from monitor.cluster.gazetteer import mentions
from monitor.cluster.identity import identify


def _names(title: str, text: str, language: str | None = "en") -> set[str]:
    return {form for _, form in identify(title, text, language).names}


def _places(title: str, text: str = "", language: str | None = "en") -> list[str]:
    return [p.name for p in identify(title, text, language).places]


def test_common_words_of_each_language():
    assert is_common("East", "en") and is_common("County", "en") and is_common("Court's", "en")
    assert is_common("Polizei", "de") and is_common("Gobierno", "es") and is_common("Вчора", "uk")
    assert not is_common("Klitschko", "en") and not is_common("Syniehubov", "en")
    assert not is_common("Trump", "en")  # a name the world writes often is still under the bar
    assert not is_common("Week", "xx") and not is_common("Week", "../en")  # no list: no evidence either way
    assert is_common("Week", "")  # undetected (a bare headline): English


def test_a_surname_is_not_the_town_of_that_name():
    text = "Thieves robbed the jeweller Harry Winston on Thursday while quarterback Peyton Manning watched."
    assert "Winston-Salem" not in _places("Robbery in Paris", text)
    assert "Paris" in _places("Robbery in Paris", text)
    assert "Winston" in _names("Robbery in Paris", text)  # the surname is a name instead
    assert "Obama" not in _places("Raid", "Officers said Barack Obama arrived.")  # not the town in Japan


def test_a_town_after_a_common_word_a_place_or_a_sentence_start_stays_a_town():
    assert "Poltava" in _places("Evacuation", "Residents of East Poltava were evacuated.")  # a common word before it
    assert "Duisburg" in _places("Einsatz", "Wie die Polizei Duisburg mitteilte, wurde niemand verletzt.", "de")
    assert "Poltava" in _places("Strikes", "Drones hit Sumy Poltava and Chernihiv overnight.")  # a place before it
    assert "Sumy" in _places("Обстріл", "Вчора Суми атакували дрони, повідомила ОВА.", "uk")  # a sentence start
    assert "Qeshm" in _places("Quake", "The quake shook Iran's Qeshm island.")  # a possessive before it
    assert [p.name for p, _ in mentions("Residents of Harry Winston")] == []
