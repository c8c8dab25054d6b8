"""ctrl+w: a watch rule added from the dashboard, written to feeds.toml by the configuration's writer,
prefilled from the search or the event, refused in one line, and matched by the next poll."""
from __future__ import annotations

from monitor.config import Config, PollConfig, load_config
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.watch_rule import watchable
from tests.tui.conftest import CLUSTER, settle
from tests.tui.helpers import make_app, one
from tests.tui.test_analyst_loop import DESK, ITEMS, LATER, serve_desk, status_text, toasts, until_polled

FEEDS_TOML = """# the desk's feeds
[[feeds]]
name = "Desk"
url = "{url}"
"""


def desk(newsroom, tmp_path) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(FEEDS_TOML.format(url=newsroom.url(DESK)), encoding="utf-8")
    loaded = load_config(path)
    return Config(feeds=loaded.feeds, poll=PollConfig(fetch_pages=False, connect_timeout=2.0, read_timeout=5.0,
                                                      interval=3600), cluster=CLUSTER, path=path)


def prompt_value(app) -> str:
    assert isinstance(app.screen, PromptScreen)
    return app.screen.query_one("#prompt-input").value


async def test_a_rule_from_the_search_is_written_to_feeds_toml_and_the_next_poll_counts_its_hits(
        newsroom, db_path, tmp_path):
    serve_desk(newsroom, DESK, "Desk", ITEMS)
    config = desk(newsroom, tmp_path)
    app = make_app(db_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await until_polled(pilot)
        await pilot.press("slash", *"glide where:Kharkiv", "enter")
        await settle(pilot)
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert prompt_value(app) == "glide Kharkiv"  # where: as a bare word: a rule cannot watch it
        await pilot.press("enter")
        await settle(pilot)
        assert prompt_value(app) == "glide Kharkiv"  # the name, prefilled from the query
        await pilot.press(*" strikes", "enter")
        await settle(pilot)
        rules = load_config(config.path).watch
        assert [(r.name, r.query) for r in rules] == [("glide Kharkiv strikes", "glide Kharkiv")]
        assert "# the desk's feeds" in config.path.read_text(encoding="utf-8")  # the writer keeps comments
        assert toasts(app)[-1].startswith("Watch rule added to ") and "(1 stored article matches it now" in toasts(app)[-1]
        assert "watch hits" not in status_text(app)
        serve_desk(newsroom, DESK, "Desk", ITEMS + LATER)  # a new glide-bomb report on Kharkiv
        await pilot.press("p")
        await until_polled(pilot)
        assert one(db_path, "SELECT count(*) FROM watch_hits WHERE rule = 'glide Kharkiv strikes'") == 1
        await pilot.pause(0.2)
        assert "watch hits 1 (W)" in status_text(app)


async def test_a_refused_rule_is_one_line_and_nothing_is_written(newsroom, db_path, tmp_path):
    serve_desk(newsroom, DESK, "Desk", ITEMS)
    config = desk(newsroom, tmp_path)
    before = config.path.read_text(encoding="utf-8")
    app = make_app(db_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+w", *"glide OR", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
        assert toasts(app)[-1] == "Watch rule not added: invalid search: OR at column 7 needs a word after it"
        await pilot.press("ctrl+w", *"glide", "enter", "ctrl+u", *"Glide", "enter")
        await settle(pilot)
        await pilot.press("ctrl+w", *"bomb", "enter")
        await settle(pilot)
        await pilot.press(*["backspace"] * 10, *"GLIDE", "enter")  # the same name in another case
        await settle(pilot)
        assert toasts(app)[-1] == "Watch rule not added: a watch rule named 'GLIDE' already exists"
        assert [r.name for r in load_config(config.path).watch] == ["Glide"]
        assert [r.name for r in app.config.watch] == ["Glide"]
    assert before in config.path.read_text(encoding="utf-8")


async def test_without_a_search_the_rule_is_prefilled_from_the_events_place_and_name(brief_db, offline_config,
                                                                                   tmp_path):
    app = make_app(brief_db[0], Config(feeds=offline_config.feeds, cluster=CLUSTER, path=tmp_path / "feeds.toml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert prompt_value(app) == "Kharkiv Syniehubov"


def test_a_search_becomes_a_query_a_rule_can_watch():
    assert watchable('glide -where:Kursk who:"Oleh Syniehubov"  WHERE:Kharkiv') == \
        'glide -Kursk "Oleh Syniehubov" Kharkiv'
    assert watchable("nowhere:x somewho:y") == "nowhere:x somewho:y"


def test_the_events_place_is_prefilled_as_its_headlines_write_it():
    """The gazetteer's 'Odessa' prefilled a rule that matched none of the reports writing 'Odesa'."""
    from monitor.tui.screens.watch_rule import as_written

    titles = ["Drones hit Odesa port infrastructure overnight", "Дрони атакували портову інфраструктуру Одеси"]
    assert as_written("Odessa", titles) == "Odesa"
    assert as_written("Kharkiv", ["Kharkiv's mayor speaks"]) == "Kharkiv"
    assert as_written("Zaporizhzhia", ["Обстріл Запоріжжя"]) == "Zaporizhzhia"  # none written alike: as given
    assert as_written('"New York"', ["New Yorkers vote"]) == '"New York"'
