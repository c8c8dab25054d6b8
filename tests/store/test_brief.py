"""An event's brief from a real database: figures stored by ingestion, compared per event; sources
counted once; languages; the timeline; members new since the analyst last looked."""
from __future__ import annotations

import pytest

from monitor.store import write_transaction
from monitor.store.brief import event_brief, timeline
from monitor.store.brief_render import brief_data, markdown, paragraph, sparkline
from monitor.store.triage import mark_seen
from monitor.text.figure_compare import Reported, compare
from monitor.text.figures import extract_figures
from tests.support.brief_events import build_brief_events


@pytest.fixture
def events(db):
    return build_brief_events(db)


def group(brief, key):
    return next(g for g in brief.figures if g.key == key)


def test_ingestion_stores_each_articles_figures_with_it(db, events):
    rows = db.conn.execute("SELECT counts, value, claimant FROM figures WHERE article_id = ?", [events.toll_3]).fetchall()
    assert ("killed", 3.0, "regional governor Oleh Syniehubov") in rows
    assert db.conn.execute("SELECT content_hash FROM figures_read WHERE article_id = ?", [events.toll_3]).fetchone()


def test_a_rising_toll_is_a_change_with_the_latest_value(db, events):
    brief = event_brief(db, events.kharkiv)
    tolls = group(brief, "tolls")
    governor = next(s for s in tolls.series if s.claimant == "regional governor Oleh Syniehubov")
    assert [p.figure.value for p in governor.points] == [3, 5]
    assert [p.source for p in governor.points] == ["Kyiv Wire", "Euro Desk"]  # two outlets, two hours apart
    assert governor.changed and governor.latest.figure.value == 5 and tolls.latest.figure.value == 5
    assert tolls.disagreements == ()  # the same toll later, in Ukrainian, is no contradiction either


def test_ukraines_and_russias_loss_claims_are_a_disagreement(db, events):
    brief = event_brief(db, events.kursk)
    tolls = group(brief, "tolls")
    assert len(tolls.disagreements) == 1
    clash = tolls.disagreements[0]
    claims = {r.figure.claimant: (r.figure.value, r.source, r.figure.sentence) for r in (clash.first, clash.second)}
    assert claims["Ukrainian military officials"][0] == 15_000
    assert claims["the Russian defense ministry"][0] == 49_000
    assert all(source and "Kursk" in sentence for _, source, sentence in claims.values())
    troops = {g.label for g in brief.figures if g.key.startswith("troops")}
    assert {"troops (Russia)", "troops (North Korean)"} <= troops  # two parties: two groups, no clash


def test_sources_count_outlets_once_and_copies_apart(db, events):
    brief = event_brief(db, events.kharkiv)
    assert [(o.name, o.articles) for o in brief.sources] == [("Kyiv Wire", 2), ("Euro Desk", 1), ("Ukrinform UA", 1)]
    assert [o.name for o in brief.republishers] == ["Aggregator"]  # a copy (dup_of) does not count as a source
    assert brief.first_source == "Kyiv Wire"
    assert dict(brief.languages) == {"en": 4, "uk": 1}


def test_timeline_counts_arrivals_per_hour():
    line = timeline(["2026-11-21T10:05:00Z", "2026-11-21T12:10:00Z", "2026-11-21T12:40:00Z", "2026-11-21T13:20:00Z"])
    assert (line.start, line.bucket_hours, line.counts) == ("2026-11-21T10:00:00Z", 1, (1, 0, 2, 1))
    assert sparkline(line.counts) == "▂▁█▂"
    week = timeline([f"2026-11-{day:02d}T00:00:00Z" for day in range(1, 8)])
    assert week.bucket_hours == 4 and sum(week.counts) == 7 and len(week.counts) <= 48


def test_members_new_since_the_analyst_last_looked(db, events):
    assert not any(m.new for m in event_brief(db, events.kharkiv).members)  # never opened: nothing marked
    mark_seen(db, events.kharkiv)
    from tests.support.brief_events import TOLL_5, _store, arrive_later

    later = _store(db, "Euro Desk", "https://eurodesk.example/news/kharkiv-later", "2026-11-21T15:00:00Z",
                   "Kharkiv missile strike: death toll rises to five, rescuers say", TOLL_5[1])
    arrive_later(db, later, events.kharkiv)
    brief = event_brief(db, events.kharkiv)
    assert [m.article_id for m in brief.members if m.new] == [later]


def test_figures_missing_for_an_old_article_are_read_on_demand(db, events):
    with write_transaction(db):
        db.conn.execute("DELETE FROM figures_read")
        db.conn.execute("DELETE FROM figures")
    brief = event_brief(db, events.kursk)
    assert len(group(brief, "tolls").disagreements) == 1


def test_the_markdown_brief_reads_as_a_paragraph(db, events):
    brief = event_brief(db, events.kharkiv)
    text = paragraph(brief)
    assert "\n" not in text and text.count(". ") >= 3
    assert text.startswith("**Russian missile strike on Kharkiv apartment block kills three** (event")
    assert "5 articles from 3 sources (1 republished copy)" in text
    assert "First reported by Kyiv Wire." in text and "Languages: en 4, uk 1." in text
    assert "Three people killed, then five killed (regional governor Oleh Syniehubov; Euro Desk" in text
    whole = markdown(brief)
    assert whole.startswith("## ") and text in whole and "new since you last looked" not in whole
    kursk = markdown(event_brief(db, events.kursk))
    assert "### Where sources disagree" in kursk and "the Russian defense ministry" in kursk


def test_hostile_text_stays_inert_in_the_brief(db, events):
    with write_transaction(db):
        db.conn.execute("UPDATE articles SET title = ? WHERE id = ?",
                        ["\x1b]52;c;aGk=\x07 [x](javascript:alert) *bold*", events.toll_3])
        db.conn.execute("UPDATE clusters SET label = ? WHERE id = ?", ["\x1b[2J **label**", events.kharkiv])
    brief = event_brief(db, events.kharkiv)
    text = markdown(brief)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\[x\\](javascript:alert)" in text and "\\*bold\\*" in text
    assert brief_data(brief)["headline"] == "\x1b[2J **label**"  # the data stays exact; printing escapes it


def test_compare_keeps_one_point_per_value_and_widens_about():
    first, second = extract_figures("", "About 1,200 troops crossed, the army said.", "en"), \
        extract_figures("", "The army said 1,250 troops crossed.", "en")
    reports = [Reported(first[0], 1, "A", "2026-01-01T00:00:00Z", "en", None),
               Reported(second[0], 2, "B", "2026-01-01T01:00:00Z", "en", None),
               Reported(second[0], 3, "C", "2026-01-01T02:00:00Z", "en", None)]
    (only,) = compare(reports)
    (series,) = only.series
    assert [p.article_id for p in series.points] == [1, 2]  # the third is the same value again
    assert only.disagreements == ()


def test_languages_are_the_detected_ones_where_pages_declare_none(db):
    """A page without a declared language counted as "?" in the brief ("Languages: ? 3" for an English
    event), though clustering had detected its language and stored it with the article's identity."""
    from monitor.cluster.assign import assign_pending
    from monitor.config import FeedConfig
    from monitor.store.feeds import sync_feeds
    from tests.support.brief_events import SETTINGS, TOLL_3, TOLL_5, UKRAINIAN, _store

    sync_feeds(db, [FeedConfig(name=name, url=f"http://127.0.0.1:9/{n}.xml")
                    for n, name in enumerate(("Kyiv Wire", "Euro Desk", "Ukrinform UA"))])
    first = _store(db, "Kyiv Wire", "https://kyivwire.example/a", "2026-11-21T10:05:00Z", *TOLL_3, language=None)
    _store(db, "Euro Desk", "https://eurodesk.example/b", "2026-11-21T12:10:00Z", *TOLL_5, language=None)
    _store(db, "Ukrinform UA", "https://ukrinform.example/c", "2026-11-21T13:50:00Z", *UKRAINIAN, language="uk")
    assign_pending(db, SETTINGS)
    cluster = db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ?", [first]).fetchone()[0]
    brief = event_brief(db, cluster)
    assert brief is not None and dict(brief.languages).get("en") == 2 and "?" not in dict(brief.languages)
