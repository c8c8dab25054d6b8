"""One strike reported in English, Ukrainian and Russian is one event; strikes elsewhere, later or
with other figures are not. Every text here is written for this test."""
from __future__ import annotations

import pytest

from monitor.cluster.across_languages import judge
from monitor.text.name_skeleton import name_skeleton, same_person
from monitor.cluster.similarity import side_of
from monitor.cluster_settings import ClusterSettings
from monitor.models import ArticleIdentity, Place
from monitor.store import triage

from .conftest import LEXICAL, add_article, assignment, cluster_of, cluster_row

DAY = "2026-11-19T{}:00Z"
KHARKIV = {
    "en": ("Russian glide bomb strike on Kharkiv kills three, governor says",
           "A Russian glide bomb hit a residential building in Kharkiv on Thursday, killing three people and "
           "wounding 27, governor Oleh Syniehubov said. Mayor Ihor Terekhov said the bomb struck the "
           "Shevchenkivskyi district."),
    "uk": ("Російська КАБ влучила в житловий будинок у Харкові: троє загиблих",
           "У четвер російська керована авіабомба влучила в житловий будинок у Харкові, загинули три людини, "
           "ще 27 поранені, повідомив голова ОВА Олег Синєгубов. За словами мера Ігоря Терехова, бомба влучила "
           "в Шевченківський район."),
    "ru": ("Российская авиабомба попала в жилой дом в Харькове: трое погибших",
           "В четверг российская управляемая авиабомба попала в жилой дом в Харькове, погибли три человека, "
           "еще 27 ранены, сообщил глава ОВА Олег Синегубов. По словам мэра Игоря Терехова, бомба попала в "
           "Шевченковский район."),
}
ODESA = {
    "en": ("Russian missile strike on Odesa kills two, governor says",
           "Russian missiles hit port infrastructure in Odesa on Thursday, killing two people and wounding 11, "
           "governor Oleh Kiper said."),
    "uk": ("Ракетний удар по Одесі: двоє загиблих",
           "У четвер російські ракети влучили в портову інфраструктуру Одеси, загинули двоє людей, 11 поранені, "
           "повідомив голова ОВА Олег Кіпер."),
}
# The same city, the same officials, the same day: another strike (other figures), and the day after.
KHARKIV_EVENING = ("Ще одна КАБ влучила в Харків: один загиблий, 12 поранених",
                   "У четвер, 19 листопада, російська авіабомба влучила в Київський район Харкова, загинула одна "
                   "людина, 12 поранені, повідомив голова ОВА Олег Синєгубов. Мер Ігор Терехов сказав, що виникла "
                   "пожежа.")
KHARKIV_NEXT_DAY = ("Російські дрони атакували Харків у п'ятницю",
                    "У п'ятницю російські дрони атакували Харків, пошкоджено житловий будинок, повідомив голова ОВА "
                    "Олег Синєгубов. Мер Ігор Терехов сказав, що постраждалих немає.")


def _reports(db, texts: dict[str, tuple[str, str]], outlet: str, minute: str = "00") -> dict[str, int]:
    """One outlet's report of the story in each language, an hour apart from 06:{minute}."""
    return {lang: add_article(db, *text, host=f"{outlet}-{lang}.example", at=DAY.format(f"0{6 + n}:{minute}"))
            for n, (lang, text) in enumerate(texts.items())}


def _one_event(db, reports: dict[str, int]) -> tuple[int, dict[str, str]]:
    """The event every report is in (asserted), and each report's stored reason."""
    event = cluster_of(db, reports["en"])
    reasons = {lang: assignment(db, aid)["reason"] for lang, aid in reports.items()}
    assert {cluster_of(db, aid) for aid in reports.values()} == {event}, reasons
    return event, reasons


def _none_joins(db, settings, assign, english: tuple[str, str],
                others: dict[str, tuple[tuple[str, str], str]]) -> None:
    """The English report at 06:00 and the others (outlet: (text, published)): none joins its event."""
    first = add_article(db, *english, host="en.example", at=DAY.format("06:00"))
    ids = {outlet: add_article(db, *text, host=f"{outlet}.example", at=at) for outlet, (text, at) in others.items()}
    assign(settings)
    event = cluster_of(db, first)
    for aid in ids.values():
        assert cluster_of(db, aid) != event, assignment(db, aid)["reason"]
    assert cluster_row(db, event)["size"] == 1


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on"), LEXICAL], ids=["embeddings", "lexical"])
def test_one_strike_in_three_languages_is_one_event(db, settings, assign):
    kharkiv = _reports(db, KHARKIV, "kharkiv")
    odesa = _reports(db, ODESA, "odesa", minute="30")
    assign(settings)

    event, reasons = _one_event(db, kharkiv)
    joined = [r for r in reasons.values() if r.startswith("across languages")]
    assert len(joined) == 2 and all("where Kharkiv" in r and "27" in r for r in joined), reasons
    assert cluster_of(db, odesa["en"]) == cluster_of(db, odesa["uk"]) != event
    assert "Kiper" in assignment(db, odesa["uk"])["reason"] or "Кіпер" in assignment(db, odesa["uk"])["reason"]
    assert cluster_row(db, event)["size"] == 3


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on"), LEXICAL], ids=["embeddings", "lexical"])
def test_the_same_city_and_officials_in_another_language_are_not_enough(db, settings, assign):
    """Another strike on Kharkiv the same day (other figures; the date, 19, is no figure in common),
    and the next day's (another day named, more than 12 hours later), name the same governor and
    mayor: neither joins the English report's event."""
    _none_joins(db, settings, assign, KHARKIV["en"], {"evening": (KHARKIV_EVENING, DAY.format("12:00")),
                                                       "next": (KHARKIV_NEXT_DAY, "2026-11-20T09:00:00Z")})


def test_a_report_in_another_language_is_proposed_to_a_locked_event(db, assign):
    english = add_article(db, *KHARKIV["en"], host="en.example", at=DAY.format("06:00"))
    assign(ClusterSettings(embedding="on"))
    event = cluster_of(db, english)
    triage.toggle_lock(db, event)
    ukrainian = add_article(db, *KHARKIV["uk"], host="uk.example", at=DAY.format("07:00"))
    assign(ClusterSettings(embedding="on"))
    row = assignment(db, ukrainian)
    assert row["cluster_id"] == event and row["proposed"] == 1, row["reason"]
    assert row["reason"].startswith("proposed to locked event: across languages")
    assert cluster_row(db, event)["size"] == 1


@pytest.mark.parametrize("one, other", [
    ("Syniehubov", "Синєгубов"), ("Syniehubov", "Синегубова"), ("Sinegubov", "Синєгубовим"),
    ("Terekhov", "Тереховим"), ("Zelensky", "Зеленського"), ("Zelenskyy", "Зеленский"), ("Kiper", "Кіпер"),
    ("Putin", "Путіна"), ("Shevchenkivskyi", "Шевченковский"),
])
def test_one_name_in_two_scripts(one, other):
    assert same_person(name_skeleton(one), name_skeleton(other))


@pytest.mark.parametrize("one, other", [
    ("Kiper", "Klitschko"), ("Fedorov", "Федоренка"), ("Syniehubov", "Терехов"), ("Kyiv", "Київ"),
    ("Terekhov", "Тарасова"),
])
def test_two_names_in_two_scripts(one, other):
    assert not same_person(name_skeleton(one), name_skeleton(other))


def _identity(language: str, names: tuple[tuple[str, str], ...], numbers: tuple[str, ...] = ("27",)) -> ArticleIdentity:
    kharkiv = Place(706483, "Kharkiv", "UA", "city", 1_430_885)
    return ArticleIdentity(language, (kharkiv,), names, numbers)


def test_the_rule_leaves_an_event_in_the_articles_own_language_to_the_words():
    """Where a member shares the article's language, its words had their say: the rule does not apply.
    Nor do names that are not telling, nor a shared number that is the day's date."""
    names = (("syniehu", "Syniehubov"), ("terekho", "Terekhov"))
    english = side_of(_identity("en", names))
    assert judge(english, names, side_of(_identity("uk", (("синєгуб", "Синєгубов"), ("терех", "Терехова")))),
                 1.0, lambda key: True) is not None
    assert judge(english, names, side_of(_identity("en", names)), 1.0, lambda key: True) is None
    # names that are not telling (in every report of the desk) do not carry it
    assert judge(english, names, side_of(_identity("uk", (("синєгуб", "Синєгубов"), ("терех", "Терехова")))),
                 1.0, lambda key: False) is None
    assert judge(english, names, side_of(_identity("uk", (("синєгуб", "Синєгубов"),))),
                 1.0, lambda key: True, frozenset({"26", "27", "28"})) is None


def test_a_report_left_alone_moves_when_its_story_forms_in_another_language(db, assign):
    """The English report comes first; the first Ukrainian one names no figure (nor a toll), so it
    opens an event of its own, and the second Ukrainian one joins it by its words, with the figures.
    At the batch's end the English report, still alone, is looked at again and moves there."""
    english = add_article(db, *KHARKIV["en"], host="en.example", at=DAY.format("06:00"))
    first = add_article(db, "КАБ влучила в житловий будинок у Харкові: є загиблі",
                        "Російська керована авіабомба влучила в житловий будинок у Харкові, є загиблі, "
                        "повідомив голова ОВА Олег Синєгубов. Мер Ігор Терехов сказав, що бомба влучила в "
                        "Шевченківський район.", host="uk1.example", at=DAY.format("07:00"))
    second = add_article(db, *KHARKIV["uk"], host="uk2.example", at=DAY.format("07:30"))
    assign(ClusterSettings(embedding="on"))
    event = cluster_of(db, first)
    assert cluster_of(db, second) == event, assignment(db, second)["reason"]
    row = assignment(db, english)
    assert row["cluster_id"] == event, row["reason"]
    assert row["reason"].startswith("moved: across languages (en -> event in uk): where Kharkiv"), row["reason"]


# A drone strike whose reports share no figure of two digits: only the toll, in words ("three", "троє",
# "три") or a digit. Written for this test.
DRONE = {
    "en": ("Russian drone strike on Kharkiv kills three",
           "A Russian drone hit a residential building in Kharkiv on Thursday, killing three people, governor "
           "Oleh Syniehubov said. Mayor Ihor Terekhov said the drone struck the Kyivskyi district."),
    "uk": ("Російський дрон влучив у житловий будинок у Харкові: троє загиблих",
           "У четвер російський дрон влучив у житловий будинок у Харкові, загинули троє людей, повідомив голова "
           "ОВА Олег Синєгубов. Мер Ігор Терехов сказав, що дрон влучив у Київський район."),
    "ru": ("Российский дрон попал в жилой дом в Харькове: 3 погибших",
           "В четверг российский дрон попал в жилой дом в Харькове, погибли 3 человека, сообщил глава ОВА Олег "
           "Синегубов. Мэр Игорь Терехов сообщил, что дрон попал в Киевский район."),
}
# The same city, officials and day, another strike: two killed; and one whose only small number is a rank.
DRONE_SECOND = ("Ще один дрон влучив у Харків: двоє загиблих",
                "У четвер ввечері ще один російський дрон влучив у Харків, загинули двоє людей, повідомив голова ОВА "
                "Олег Синєгубов. Мер Ігор Терехов сказав, що виникла пожежа.")
DRONE_RANK = ("Третій за добу удар дронів по Харкову",
              "В четверг вечером в Харькове есть погибшие, это 3-й удар за сутки по городу, сообщил глава ОВА Олег "
              "Синегубов. Мэр Игорь Терехов сообщил о пожаре.")


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on"), LEXICAL], ids=["embeddings", "lexical"])
def test_a_toll_in_words_or_one_digit_is_a_figure_in_common(db, settings, assign):
    """Three killed, троє загиблих, 3 погибших: one toll, so one event; the reason names it."""
    drone = _reports(db, DRONE, "drone")
    assign(settings)
    event, reasons = _one_event(db, drone)
    assert "where Kharkiv" in reasons["uk"] and "toll 3" in reasons["uk"], reasons
    assert cluster_row(db, event)["size"] == 3


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on"), LEXICAL], ids=["embeddings", "lexical"])
def test_another_toll_or_a_rank_is_no_figure_in_common(db, settings, assign):
    """The same city, officials and day: a second strike with two killed, and a report whose only 3 is
    a rank (3-й удар), do not join the English report of three killed."""
    _none_joins(db, settings, assign, DRONE["en"], {"second": (DRONE_SECOND, DAY.format("10:00")),
                                                     "rank": (DRONE_RANK, DAY.format("10:30"))})


def test_the_toll_in_common_is_stated_by_a_member_of_the_same_hours(db, assign):
    """A Russian event holds a Thursday evening strike (two killed) and, three days later, a report
    naming three killed (its words join them). The Ukrainian report of Thursday morning's strike (three
    killed) is 11 hours from the evening's report, and its toll is the Sunday report's: the parts come
    from two members days apart, so it does not join."""
    morning = add_article(db, *DRONE["uk"], host="uk.example", at=DAY.format("07:00"))
    add_article(db, DRONE["ru"][0], DRONE["ru"][1].replace("В четверг", "В воскресенье"), host="ru.example",
                at="2026-11-22T08:00:00Z")
    evening = add_article(db, "Еще один дрон попал в Харьков: двое погибших",
                          "В четверг вечером еще один российский дрон попал в Харьков, погибли двое человек, "
                          "сообщил глава ОВА Олег Синегубов.", host="ru2.example", at=DAY.format("18:00"))
    assign(LEXICAL)
    assert cluster_of(db, morning) != cluster_of(db, evening), assignment(db, morning)["reason"]
