"""Places of war coverage as Ukrainian, Russian and English outlets write them, resolved to one
GeoNames place each: current and former romanizations, both scripts, every case ending."""
from __future__ import annotations

from monitor.cluster.gazetteer import mentions
from monitor.cluster.identity import identify
from monitor.cluster.place_forms import name_form, word_forms


def _place(sentence: str) -> tuple[int, str, str]:
    """The one place a sentence names: (GeoNames id, country, English name)."""
    places = identify(sentence, "").places
    assert len(places) == 1, (sentence, places)
    return places[0].id, places[0].country, places[0].name


def _same_place(*sentences: str) -> tuple[int, str, str]:
    found = {_place(sentence) for sentence in sentences}
    assert len(found) == 1, found
    return found.pop()


def _names(title: str, text: str) -> set[str]:
    return {form for _, form in identify(title, text).names}


def test_odesa_as_the_press_writes_it_since_2022_is_the_ukrainian_city():
    _, country, _ = _same_place("Russian drones hit the port of Odesa overnight",
                                "Russian drones hit the port of Odessa overnight",
                                "Російські дрони атакували порт Одеси вночі",
                                "Вибухи в Одесі: уламки пошкодили житловий будинок",
                                "Взрывы в Одессе: повреждены жилые дома")
    assert country == "UA"  # not Odessa, Texas, whose own name it also is


def test_pokrovsk_is_the_town_in_donetsk_oblast_not_the_former_name_of_engels():
    _, country, _ = _same_place("Russian forces press towards Pokrovsk, the army says",
                                "Бої за Покровськ тривають, повідомляє Генштаб",
                                "У Покровську оголосили евакуацію дітей")
    assert country == "UA"


def test_a_big_city_keeps_its_english_name_against_a_small_town_whose_own_name_it_is():
    # "Hanover" is Hannover's English name (515k) and the own name of US towns of up to 38k: an own name
    # counts ten times its town's size, which leaves Pokrovsk (68k) above Engels (196k) but not this.
    _, country, _ = _same_place("Train strike in Hanover halts German rail traffic",
                                "Train strike in Hannover halts German rail traffic")
    assert country == "DE"
    _, country, _ = _place("Protest in Venice over cruise ships")
    assert country == "IT"  # Dayton's alternate name is no match for Venice's own


def test_case_endings_of_ukrainian_and_russian_city_names():
    kyiv = _same_place("Kyiv hit by ballistic missiles", "Вибухи у Києві вночі", "Взрывы в Киеве ночью",
                       "Удар по Киеву", "Київ під атакою дронів")
    kharkiv = _same_place("Glide bomb hits Kharkiv", "Удар по Харкові: є загиблі", "Взрывы в Харькове",
                          "Харків знову під обстрілом")
    zaporizhzhia = _same_place("Strike on Zaporizhzhia", "Обстріл у Запоріжжі вранці", "Удар по Запоріжжю",
                               "Удар по Запорожье")
    odesa = _same_place("Strike on Odesa", "Атака на Одесу", "Удар по Одесі")
    assert len({kyiv, kharkiv, zaporizhzhia, odesa}) == 4
    _same_place("Shelling in Sumy", "Вибухи в Сумах", "Удар по Сумам", "Суми")
    _same_place("Strike on Mykolaiv", "Strike on Nikolaev", "Удар по Миколаєву", "Удар по Миколаїву")
    _same_place("Strike on Dnipro", "Strike on Dnepropetrovsk", "Удар по Дніпру")
    _same_place("Strike on Kherson", "Обстріл Херсона", "Вибухи у Херсоні")
    _same_place("Fighting near Bakhmut", "Бої під Бахмутом", "Бахмут")
    _same_place("Fighting near Avdiivka", "Бої в Авдіївці", "Бои в Авдеевке")
    _same_place("Missile hits Kramatorsk", "Удар по Краматорську")
    _same_place("Strike on Sloviansk", "Strike on Slovyansk", "Удар по Слов'янську")
    _same_place("Shelling of Belgorod", "Обстріл Бєлгорода", "Взрыв в Белгороде")
    _same_place("Fighting in Kursk", "Бои в Курской области", "Курськ")


def test_a_declined_place_is_a_place_not_a_name():
    found = identify("Удар по Слов'янську", "Уламки впали в Слов'янську, повідомив Вадим Лях.")
    assert [p.country for p in found.places] == ["UA"]
    assert "Слов'янську" not in {form for _, form in found.names}
    assert "Києві" not in _names("Вибухи в Києві", "Уночі у Києві пролунали вибухи, повідомив Віталій Кличко.")


def test_common_words_and_first_names_are_not_places():
    for sentence in ("Заява: Білий дім відповів на питання журналістів", "Вибух біля Білого дому",
                     "Governor Oleh Kiper said the port was hit", "Голова ОВА Олег Кіпер повідомив про удар",
                     "Губернатор Олега Синєгубова не було на місці"):
        assert identify(sentence, "").places == (), sentence
    assert [p.name for p, _ in mentions("Олег")] == []


def test_one_form_for_every_case():
    assert name_form("київ") == name_form("киев") and name_form("київ") in word_forms("києві")
    assert name_form("харків") in word_forms("харкові") and name_form("харьков") in word_forms("харькове")
    assert name_form("суми") in word_forms("сумах") and name_form("авдіївка") in word_forms("авдіївці")
    assert name_form("біла") not in word_forms("білий")  # a short stem keeps its vowel: Білий дім


def test_a_first_name_is_not_a_telling_name():
    kharkiv = identify("Glide bomb hits Kharkiv", "Three people were wounded, governor Oleh Syniehubov said.")
    odesa = identify("Drones hit Odesa port", "Two people were wounded, governor Oleh Kiper said in a statement.")
    assert {form for _, form in kharkiv.names} == {"Syniehubov"} and {form for _, form in odesa.names} == {"Kiper"}
    assert not set(kharkiv.name_keys) & set(odesa.name_keys)  # two governors, one first name: nothing shared
    ukrainian = identify("Удар по Одесі", "Уламки впали на територію порту, повідомив голова ОВА Олег Кіпер.")
    assert {form for _, form in ukrainian.names} == {"Кіпер"}
    alone = identify("Strike on Kharkiv", "Oleh Syniehubov said. Later, Syniehubov added that Oleh was safe.")
    assert {form for _, form in alone.names} == {"Syniehubov", "Oleh"}  # alone, a word is still a name


def test_a_possessive_names_the_place():
    assert [p.name for p in identify("Russia's strikes on Kyiv’s power grid", "").places] == ["Russia", "Kyiv"]


def test_months_and_weekdays_are_not_places():
    # March is a town in England, Mai one in China: in a date they are the month
    found = identify("In March 2024 the front moved towards Kharkiv", "Am 3. Mai meldete die Armee Angriffe auf Charkiw.")
    assert {p.name for p in found.places} == {"Kharkiv"}


def test_countries_in_the_languages_of_the_press_are_countries():
    assert [(p.name, p.kind) for p in identify("Війна в Україні: удари по Росії", "").places] == \
        [("Ukraine", "country"), ("Russia", "country")]
    assert [p.country for p in identify("Куба поддержала Мексику", "").places] == ["CU", "MX"]  # not towns


def test_ukrainian_places_are_shown_under_the_official_romanization():
    assert {_place(f"Strike on {name}")[2] for name in ("Mykolaiv", "Mykolayiv", "Миколаїв")} == {"Mykolaiv"}
    assert _place("Бої в Авдіївці")[2] == "Avdiivka" and _place("Strike on Zaporizhzhia")[2] == "Zaporizhzhia"
    assert _place("Fighting near Bakhmut")[2] == "Bakhmut"  # not its former name, Artemivsk


def test_a_word_with_letters_added_is_a_declined_place_only_in_a_language_that_declines():
    """Czech writes Kharkiv "Charkově", so a Latin word may be a place with one or two letters added; in
    English that read "Shahed" (the drone) as Shahe, a Chinese city, and made it where a strike was."""
    english = "Russia launched 40 Shahed drones at Kharkiv overnight, the governor said."
    assert [p.name for p in identify("Drones hit Kharkiv", english, "en").places] == ["Kharkiv", "Russia"]
    assert [p.name for p, _ in mentions("Rusko zaútočilo na Charkově a v Kyjeve", "", "cs")] == ["Kharkiv", "Kyiv"]


def test_a_city_s_adjective_names_the_city_as_the_region_does_in_english():
    """"Харківської області", "над Белгородской областью" say where it happened as "the Kharkiv
    region" does; an adjective of a country ("Російські війська") names no place, and a district's
    adjective ("Шевченківський район") no city."""
    cases = {("Удар по Харківській області: троє загиблих", "uk"): ["Kharkiv"],
             ("Обстрел Харьковской области: погибли двое", "ru"): ["Kharkiv"],
             ("Губернатор: над Белгородской областью сбиты 14 беспилотников", "ru"): ["Belgorod"],
             ("Атака дронів на Одеську область", "uk"): ["Odessa"],
             ("Російські війська вдарили по Сумській області", "uk"): ["Sumy"],
             ("Українські сили відбили атаку", "uk"): [],
             ("Вибухи у Шевченківському районі", "uk"): []}
    assert {case: [p.name for p in identify(case[0], "", case[1]).places] for case in cases} == cases
