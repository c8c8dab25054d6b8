"""Figures with attribution: numbers, what they count, who claims them (monitor.text.figures, numbers, claimants)."""
from __future__ import annotations

import pytest

from monitor.text.claimants import claimant_in
from monitor.text.figures import Figure, extract_figures
from monitor.text.numbers import find_numbers_in
from tests.conftest import shared_path


def figures_of(text: str, title: str = "", language: str = "en") -> list[Figure]:
    return extract_figures(title, text, language)


def only(figures: list[Figure], counts: str) -> Figure:
    found = [f for f in figures if f.counts == counts]
    assert len(found) == 1, [(f.counts, f.number_text) for f in figures]
    return found[0]


def corpus_figures() -> list[Figure]:
    figures = []
    for name in ("003_69df3a4c3d8d99f1.txt", "004_91d6fe78f18404af.txt"):
        title, _, text = shared_path("corpus", name).read_text(encoding="utf-8").partition("\n")
        figures += extract_figures(title, text, "en")
    return figures


def test_the_corpus_kursk_documents_yield_the_four_figures_with_their_claimants():
    by_value = {f.value: f for f in corpus_figures()}
    deployed, north_korean, killed, losses = by_value[59_000], by_value[11_000], by_value[15_000], by_value[49_000]
    assert (deployed.counts, deployed.party, deployed.qualifier) == ("troops", "Russia", "about")
    assert deployed.claimant == "A senior Ukrainian military source"
    assert (north_korean.counts, north_korean.subject) == ("troops", "North Korean troops")
    assert north_korean.claimant is None  # "have reportedly arrived": nobody named
    assert (killed.counts, killed.subject, killed.number_text) == ("killed", "Russian soldiers", "approximately 15,000")
    assert killed.claimant == "Ukrainian military officials"
    assert (losses.counts, losses.qualifier, losses.party) == ("losses", "more_than", "Ukraine")
    # "The ministry also claimed ...": the ministry named in the sentence before.
    assert losses.claimant == "the Russian defense ministry"
    assert "49,000" in losses.sentence and losses.scope == "Kursk"


def test_other_corpus_figures_keep_units_and_qualifiers():
    figures = corpus_figures()
    assert any(f.counts == "area" and f.qualifier == "more_than" and f.value == 1200 and f.unit == "km²"
               for f in figures)
    assert any(f.counts == "percent" and f.number_text == "over 40%" for f in figures)
    assert any(f.counts == "villages" and f.value == 93 for f in figures)
    assert any(f.counts == "wounded" and f.value == 23_000 for f in figures)


@pytest.mark.parametrize("text, counts, value, high, qualifier, written", [
    ("Dozens of people were wounded in the attack.", "wounded", 24, 99, "vague", "Dozens"),
    ("Hundreds of drones were launched overnight.", "drones", 200, 999, "vague", "Hundreds"),
    ("Tens of thousands of residents were evacuated.", "displaced", 20_000, 99_999, "vague", "Tens of thousands"),
    ("Between 200 and 300 soldiers were captured.", "prisoners", 200, 300, "range", "Between 200 and 300"),
    ("Russia fired 30-40 missiles at the city.", "missiles", 30, 40, "range", "30-40"),
    ("More than 40% of the villages lost power.", "percent", 40, None, "more_than", "More than 40%"),
    ("The army said about 1,200 troops had crossed.", "troops", 1200, None, "about", "about 1,200"),
    ("At least 12 people were killed.", "killed", 12, None, "at_least", "At least 12"),
    ("Up to 5,000 troops may be sent.", "troops", 5000, None, "up_to", "Up to 5,000"),
    ("Fifteen thousand soldiers were deployed.", "troops", 15_000, None, "exact", "Fifteen thousand"),
    ("The strike killed 3 people.", "killed", 3, None, "exact", "3"),
    ("Some 2.5 million people have fled the region.", "displaced", 2_500_000, None, "about", "Some 2.5 million"),
])
def test_numbers_keep_their_qualifier(text, counts, value, high, qualifier, written):
    figure = only(figures_of(text), counts)
    assert (figure.value, figure.high, figure.qualifier, figure.number_text) == (value, high, qualifier, written)


def test_other_languages_where_numbers_and_units_are_recognizable():
    french = only(figures_of("Trois mille soldats ont été déployés, selon le ministère.", language="fr"), "troops")
    assert french.value == 3000 and french.claimant == "le ministère"
    ukrainian = only(figures_of("Внаслідок удару загинули 5 людей, повідомив губернатор.", language="uk"), "killed")
    assert ukrainian.value == 5 and ukrainian.claimant == "губернатор"
    german = only(figures_of("Mehr als 200 Drohnen wurden abgeschossen.", language="de"), "drones")
    assert (german.value, german.qualifier) == (200, "more_than")


@pytest.mark.parametrize("text", [
    "On 21 November 2024 troops moved in.",
    "On November 21, 2024, the soldiers left.",
    "The report dated 23/11/2024 mentions soldiers.",
    "At 10:30 soldiers were seen; at 22h30 troops left.",
    "Soldiers gathered at 12 Troop Street in the morning.",
    "The embassy at 221B Baker Street was closed to soldiers.",
    "Article 20241123 describes troops near the border.",
    "See report No. 4471 troops section; id 889 drones.",
    "In 2024 soldiers returned home.",
    "http://example.com/news/2024/500-troops-1732401943 was shared by soldiers.",
])
def test_dates_times_addresses_and_ids_are_not_figures(text):
    assert figures_of(text) == []


def test_a_number_that_counts_nothing_known_is_not_a_figure():
    assert figures_of("The president spoke for 45 minutes in 3 languages about the war.") == []


def test_numbers_parse_ranges_changes_and_multipliers():
    assert [(n.value, n.high) for n in find_numbers_in("between 2 and 3 million people")] == [(2e6, 3e6)]
    assert [n.value for n in find_numbers_in("The death toll rose from 3 to 5")] == [3, 5]  # a change, not a range


@pytest.mark.parametrize("sentence, claimant", [
    ("Russia's defence ministry said it shot down 40 drones.", "Russia's defence ministry"),
    ("Five people were killed, police said.", "police"),
    ("Three people died, according to the regional governor, Oleh Syniehubov.", "the regional governor"),
    ("On Monday, the Russian defense ministry reported 300 losses.", "the Russian defense ministry"),
    ("Current estimates from Ukraine suggest 575,000 troops.", "Ukraine"),
    ("About 11,000 troops have reportedly arrived.", None),
])
def test_claimants(sentence, claimant):
    assert claimant_in(sentence) == claimant


def test_the_titles_figure_takes_the_claimant_the_text_names():
    figures = figures_of("The death toll has risen to five, regional governor Oleh Syniehubov said.",
                         title="Kharkiv strike: death toll rises to five")
    killed = only(figures, "killed")
    assert killed.value == 5 and killed.claimant == "regional governor Oleh Syniehubov"


class _PlainToken(str):
    """text2num's Token protocol written as Python methods (numbers._Token's before it took str's own
    C methods): the reference the cheaper tokens must agree with."""

    __slots__ = ()

    def text(self) -> str:
        return str.__str__(self)

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return self.isdigit()


class _PlainVague(_PlainToken):
    __slots__ = ()

    def not_a_number_part(self) -> bool:
        return True


def test_the_tokens_handed_to_text2num_read_the_same_figures_as_the_plain_protocol(monkeypatch):
    import json

    from monitor.text import numbers
    from tests.support.newsroom import fixture_pages

    texts = [(p.title, p.gold_text(), "en") for p in fixture_pages()]
    for line in shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        texts.append(("", article["text"], article.get("lang") or "en"))
    fast = [extract_figures(*t) for t in texts]
    monkeypatch.setattr(numbers, "_Token", _PlainToken)
    monkeypatch.setattr(numbers, "_Vague", _PlainVague)
    plain = [extract_figures(*t) for t in texts]

    assert fast == plain
    found = [f for figures in fast for f in figures]
    assert len(found) > 200
    assert any(not any(c.isdigit() for c in f.number_text) for f in found)  # spelled numbers went through text2num


def test_qualifiers_and_vague_amounts_the_regex_engine_matches_with_a_dotless_or_dotted_i_are_read():
    # IGNORECASE equates ı and İ with i, casefold() does not: looking the match up by its case fold was a
    # KeyError, and an article holding such a sentence failed to store (found by test_ascii_view's strings).
    assert [(n.value, n.high, n.qualifier) for n in find_numbers_in("mıllions of people fled", "en")] == \
        [(2_000_000, 9_999_999, "vague")]
    more = figures_of("İn excess of 300 troops were killed.")
    assert [(f.value, f.qualifier, f.number_text) for f in more] == [(300, "more_than", "İn excess of 300")]


def test_a_fate_after_a_conjunction_or_the_next_number_is_that_numbers():
    """"killed three people and wounded 12" read as three wounded (the persons' fate looked past
    "and"), and "killed 2 also left 5 people wounded" as two wounded (past the next number)."""
    def read(sentence: str) -> list[tuple[float, str]]:
        return [(f.value, f.counts) for f in extract_figures("", sentence)]

    assert read("A glide bomb hit Kharkiv, killed three people and wounded 12, the governor said.") \
        == [(3.0, "killed"), (12.0, "wounded")]
    assert read("The attack that killed 2 also left 5 people wounded.") == [(2.0, "killed"), (5.0, "wounded")]
    assert read("Three people, including a child, were killed.") == [(3.0, "killed")]  # past a comma, still theirs
    assert read("Three people were killed and 12 wounded in the strike.") == [(3.0, "killed"), (12.0, "wounded")]


@pytest.mark.parametrize("language", [None, "uk", "ru"])  # a page seldom declares its language: read by script
@pytest.mark.parametrize("text, expected", [
    ("Удар по Харкову: троє загиблих, 27 поранених.", [("killed", 3, None, "троє"), ("wounded", 27, None, "27")]),
    ("Загинули двоє людей, п'ятеро поранених, повідомила КМВА.",
     [("killed", 2, None, "двоє"), ("wounded", 5, None, "п'ятеро")]),
    ("Загинули п’ятеро людей і ще семеро поранені.", [("killed", 5, None, "п’ятеро"), ("wounded", 7, None, "семеро")]),
    ("Погибли три человека, ранены пятеро, сообщил губернатор.",
     [("killed", 3, None, "три"), ("wounded", 5, None, "пятеро")]),
    ("Ранены двенадцать мирных жителей.", [("wounded", 12, None, "двенадцать")]),
    ("Щонайменше сорок два цивільних загинули.", [("killed", 42, None, "Щонайменше сорок два")]),
    ("Армія втратила двадцять п'ять тисяч військових.", [("losses", 25_000, None, "двадцять п'ять тисяч")]),
    ("Погибли три тысячи двести солдат.", [("killed", 3_200, None, "три тысячи двести")]),
    ("Від двох до п'яти людей поранено.", [("wounded", 2, 5, "Від двох до п'яти")]),
    ("Сили ППО збили десятки дронів.", [("drones", 20, 99, "десятки")]),
    ("Уничтожены сотни беспилотников.", [("drones", 200, 999, "сотни")]),
    ("Загинула одна людина; одна из ракет упала.", []),  # a lone "one" is no count, as in English
])
def test_ukrainian_and_russian_number_words(text, expected, language):
    assert [(f.counts, f.value, f.high, f.number_text) for f in figures_of(text, language=language)] == expected


def test_the_brief_reads_a_ukrainian_toll_written_in_words():
    """"троє загиблих" was no figure: the Ukrainian event's brief gave the wounded and not the dead."""
    killed = only(figures_of("Унаслідок удару по Харкову троє людей загинули, ще 27 поранені, повідомив голова ОВА "
                             "Олег Синєгубов.", language=None), "killed")
    assert (killed.value, killed.claimant) == (3, "голова ОВА Олег Синєгубов")


def test_each_fate_counts_its_own_number_and_a_rank_counts_nothing():
    """"killed two and injured 14": two killed (the wounded are the next number's, past the "and"),
    not two wounded whose subject is "and"; "killing 3 people and wounding 27" as the wire writes
    it; "2-й удар" (the day's second strike) is a rank, not two killed."""
    def read(text: str, language: str = "en") -> list[tuple[str, float]]:
        return [(f.counts, f.value) for f in extract_figures("", text, language)]

    assert read("The strike killed two and injured 14.") == [("killed", 2.0), ("wounded", 14.0)]
    assert read("A missile hit Kharkiv, killing 3 people and wounding 27.") == [("killed", 3.0), ("wounded", 27.0)]
    assert read("A drone attack on Odesa injuring 5 people.") == [("wounded", 5.0)]
    assert read("Погибли трое мирных жителей, 2-й удар за сутки.", "ru") == [("killed", 3.0)]
