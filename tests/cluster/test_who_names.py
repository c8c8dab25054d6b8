"""Who an article names: people, organisations and units, not a sentence's opening words, adjectives in a
case form, common acronyms or the writer's byline. Titles and leads written for these tests in the way
Ukrainian, Russian and English war coverage writes them (live-blog lines open with a time, not a full stop)."""
from __future__ import annotations

import pytest

from monitor.cluster.identity import identify
from monitor.cluster.name_words import common_word, names_a_body

# (title, text, declared language, the names an analyst lists as who; places are where)
WHO = [
    # A live blog's line opens with its time: "14:20 Російські війська" opened a sentence all the same
    ("Стрічка новин: обстріли Харкова 27 листопада",
     "Оновлюється щохвилини\n14:20 Російські війська вдарили КАБами по Харкову, повідомив начальник "
     "Харківської ОВА Олег Синєгубов.\n14:45 Сили оборони збили два дрони над містом, повідомили Повітряні сили ЗСУ.",
     "uk", {"Синєгубов", "ЗСУ"}),
    ("Президент провів нараду щодо ППО",
     "Президент Володимир Зеленський заслухав доповіді головнокомандувача ЗСУ Олександра Сирського та міністра "
     "оборони Рустема Умєрова про посилення ППО на півночі.",
     "uk", {"Зеленський", "ЗСУ", "Сирського", "Умєрова"}),
    ("Удар по енергетиці: що відомо",
     "Вночі Росія атакувала енергетичні об'єкти, заявив Зеленський у вечірньому зверненні. За даними Укренерго, "
     "знеструмлено частину споживачів у Києві; Генштаб ЗСУ повідомив про 40 ракет.",
     "uk", {"Зеленський", "Укренерго", "ЗСУ"}),
    ("Обстрел Харьковской области: погибли двое",
     "Российские войска нанесли удар по Купянску, сообщил глава Харьковской ОВА Олег Синегубов. По данным "
     "Генштаба ВСУ, силы ПВО сбили 15 дронов.",
     "ru", {"Синегубов", "ВСУ"}),
    ("Минобороны России: уничтожены катера ВСУ",
     "Российские военные корабли Черноморского флота отразили атаку безэкипажных катеров, заявили в Минобороны. "
     "Министр обороны Андрей Белоусов провел совещание.",
     "ru", {"ВСУ", "Минобороны", "Белоусов"}),
    ("Армия России ударила по Запорожью",
     "Утром армия России нанесла удары КАБами по Запорожью, сообщил Иван Федоров.\n09:30 Российские дроны "
     "атаковали Никополь.",
     "ru", {"Федоров"}),
    # A byline inside the lead names its writer, and "(Reuters)" the agency, not who the story is about
    ("Russian drones strike Odesa port, killing two",
     "By Reuters Staff KYIV (Reuters) - Russian drones struck the port of Odesa overnight, killing two "
     "people, Governor Oleh Kiper said.",
     "en", {"Kiper"}),
    ("Zelenskiy meets Macron in Paris",
     "Updated 2 hours ago By Staff Ukrainian President Volodymyr Zelenskiy met French President Emmanuel Macron "
     "in Paris on Friday to discuss air defence.",
     "en", {"Zelenskiy", "Macron"}),
    ("Ukraine says it downed 70 drones overnight",
     "By 6 a.m., Ukraine's air force said it had shot down 70 of 90 drones, and Interior Minister Ihor "
     "Klymenko said two people were hurt in Kyiv.",
     "en", {"Klymenko"}),
]


# What the rule still misses (none on this set; kept so that a miss is written down where it is accepted)
KNOWN_MISSES: dict[int, set[str]] = {}


def _who(title: str, text: str, language: str) -> set[str]:
    return {form for _, form in identify(title, text, language).names}


def score(cases: list[tuple[str, str, str, set[str]]]) -> tuple[int, int, int]:
    """(names found, false names, missed names) over the cases."""
    found = false = missed = 0
    for title, text, language, expected in cases:
        who = _who(title, text, language)
        found += len(who)
        false += len(who - expected)
        missed += len(expected - who)
    return found, false, missed


@pytest.mark.parametrize("case", range(len(WHO)), ids=[f"{c[2]}-{i}" for i, c in enumerate(WHO)])
def test_who_is_people_and_organisations(case):
    title, text, language, expected = WHO[case]
    who = _who(title, text, language)
    assert who - expected == set()  # no false names
    assert expected - who == KNOWN_MISSES.get(case, set())


def test_the_test_sets_figures():
    """Names found, false and missed over the whole set (the rule before names11: 30 found, 12 false, 1 missed)."""
    assert score(WHO) == (19, 0, 0)


def test_adjectives_acronyms_and_common_nouns_are_common_words():
    # adjectives in a case form: "Російські" (війська), a Russian region's "Харьковской" (области)
    assert common_word("Російські", "uk") and common_word("Харківської", "uk")
    assert common_word("Харьковской", "ru") and common_word("Российские", "ru")
    # an acronym with a case ending is a kind of thing (guided bombs, in the instrumental; drones)
    assert common_word("КАБами", "uk") and common_word("КАБами", "ru") and common_word("UAVs", "en")
    # the dictionary's common acronyms and common nouns
    assert common_word("ППО", "uk") and common_word("ПВО", "ru")
    assert common_word("Сили", "uk")
    # names stay names: a surname that declines as an adjective, a common word that is also Putin's
    # name, the dictionary's organisations, a body's acronym, surnames the dictionary does not list
    assert not common_word("Зеленський", "uk")
    assert not common_word("Путин", "ru")
    assert not common_word("Минобороны", "ru") and not common_word("Генштаб", "uk")
    assert not common_word("ЗСУ", "uk") and not common_word("ВСУ", "ru")
    assert not common_word("Синєгубов", "uk") and not common_word("JPMorgan", "en")
    # a language without a dictionary here: no evidence either way
    assert not common_word("Сили", "bg")


def test_a_body_known_by_its_acronym_is_no_title():
    """Of capitalized words in a row only the last is a name ("Олег Синєгубов"), but a body the dictionary
    knows by its acronym is not a title: "головнокомандувача ЗСУ Олександра Сирського" names ЗСУ too."""
    assert names_a_body("ЗСУ", "uk") and names_a_body("НАТО", "uk") and names_a_body("ФСБ", "ru")
    # a common acronym, one the dictionary does not know ("ОВА", a region's military administration),
    # a word that is not an acronym, a language without a dictionary here
    assert not names_a_body("ППО", "uk") and not names_a_body("ОВА", "uk")
    assert not names_a_body("Генштаб", "uk") and not names_a_body("NATO", "en")
    assert {form for _, form in identify("Нарада щодо фронту", "Доповідав головнокомандувач ЗСУ Олександр Сирський.",
                                         "uk").names} == {"ЗСУ", "Сирський"}


def test_a_dateline_s_dash_and_a_single_quote_open_a_sentence():
    """"WASHINGTON – Two people…" and "‘We will…" open sentences: "Two" and "We" are no one (seen
    on real pages); a dash inside a sentence keeps the name after it."""
    names = {form for _, form in identify("Strike", "WASHINGTON – Two people were killed, Biden said. He said: ‘We will "
                                                    "win.’ The strike – Zelensky said – hit a school.", "en").names}
    assert names == {"Biden", "Zelensky"}
    assert {form for _, form in identify("Strike", "KYIV, Ukraine (AP) — The strike hit Kharkiv, Governor Oleh "
                                                   "Syniehubov said.", "en").names} == {"Syniehubov"}
