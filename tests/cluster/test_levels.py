"""Two levels: a republished copy is a duplicate inside its event; another write-up joins the event."""
from __future__ import annotations

from monitor.cluster.assign import assign_pending

from .conftest import LEXICAL, add_article, assignment, cluster_of, cluster_row

WIRE = ("The European Central Bank raised its main interest rate by a quarter point on Thursday, the tenth "
        "increase in a row, and said inflation in the euro area was expected to stay too high for too long. "
        "ECB President Christine Lagarde told reporters in Frankfurt that the bank was not yet done.")


def test_duplicate_and_event_levels(db, assign):
    original = add_article(db, "ECB raises interest rates for tenth time", WIRE, host="wire.example",
                           at="2026-11-20T10:00:00Z")
    copy = add_article(db, "ECB raises interest rates for the tenth time",
                       WIRE.replace("on Thursday", "on Thursday,").replace("told reporters", "told journalists"),
                       host="syndicated.example", at="2026-11-20T11:00:00Z")
    rewrite = add_article(db, "Lagarde: ECB not done after tenth rate rise",
                          "Christine Lagarde said the European Central Bank was not done fighting inflation after "
                          "lifting its interest rate again in Frankfurt, a tenth rise in a row for the euro area.",
                          host="paper.example", at="2026-11-20T12:00:00Z")
    other = add_article(db, "Wildfire forces evacuations in northern California",
                        "Thousands of residents were told to leave their homes as a fast-moving wildfire spread "
                        "through dry hills north of Sacramento.", host="paper.example", at="2026-11-20T12:30:00Z")
    made = assign()
    assert [a.article_id for a in made] == [original, copy, rewrite, other]
    event = cluster_of(db, original)
    assert cluster_of(db, copy) == cluster_of(db, rewrite) == event != cluster_of(db, other)
    dup = assignment(db, copy)
    assert dup["dup_of"] == original and dup["dup_score"] >= LEXICAL.duplicate_threshold
    assert "duplicate of article" in dup["reason"]
    joined = assignment(db, rewrite)
    assert joined["dup_of"] is None and joined["score"] >= LEXICAL.join_probability
    assert {"lagarde", "frankfurt"} & set(joined["terms"])
    assert joined["reason"].startswith("p ") and "terms " in joined["reason"]  # each feature's part of the log-odds
    row = cluster_row(db, event)
    assert (row["size"], row["dup_count"], row["source_count"]) == (3, 1, 3)
    assert (row["first_seen"], row["last_seen"]) == ("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z")
    assert row["label"] == "ECB raises interest rates for tenth time"


def test_assign_pending_is_idempotent(db, assign):
    add_article(db, "ECB raises interest rates for tenth time", WIRE)
    assert len(assign()) == 1
    assert assign() == []
    assert db.conn.execute("SELECT count(*) FROM assignments").fetchone()[0] == 1


def test_window_keeps_old_events_apart(db, assign):
    first = add_article(db, "ECB raises interest rates for tenth time", WIRE, at="2026-01-01T10:00:00Z")
    later = add_article(db, "ECB raises interest rates for tenth time", WIRE + " Markets rose.",
                        at="2026-03-01T10:00:00Z")
    assign()
    assert cluster_of(db, first) != cluster_of(db, later)  # two months apart: outside the 72 h window


def test_two_connections_assign_each_article_once(db_path, db):
    """Cron and the dashboard each hold a connection: whoever comes second finds nothing to do."""
    from monitor.store import open_db

    for i in range(5):
        add_article(db, f"Storm {i} hits the coast", WIRE)
    other = open_db(db_path)
    first = assign_pending(db, LEXICAL)
    add_article(db, "Storm 9 hits the coast", WIRE)
    second = assign_pending(other, LEXICAL)  # its engine is rebuilt: the generation moved on
    assert len(first) == 5 and [a.article_id for a in second] == [6]
    assert db.conn.execute("SELECT count(*) FROM assignments").fetchone()[0] == 6
    other.close()


def test_empty_article_gets_a_cluster(db, assign):
    blank = add_article(db, "", "")
    assign()
    row = assignment(db, blank)
    assert row["score"] == 1.0 and row["reason"].startswith("new cluster")


def _assign_in_process(path: str) -> int:
    from monitor.store import open_db

    db = open_db(path)
    made = assign_pending(db, LEXICAL)
    db.close()
    return len(made)


def test_two_processes_at_once_assign_each_article_once(db_path, db):
    import multiprocessing

    for i in range(1200):
        add_article(db, f"Report {i % 40}: storm {i % 13} reaches coast {i % 7}", WIRE[: 80 + i % 50],
                    at=f"2026-11-20T{10 + i % 10}:00:00Z")
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        counts = pool.map(_assign_in_process, [str(db_path), str(db_path)])
    assert sum(counts) == 1200  # each article assigned by exactly one of the two processes
    assert db.conn.execute("SELECT count(*) FROM assignments").fetchone()[0] == 1200
    live = db.conn.execute("SELECT sum(size) FROM clusters WHERE merged_into IS NULL").fetchone()[0]
    assert live == 1200
    bad = db.conn.execute("""SELECT count(*) FROM clusters c WHERE size != (SELECT count(*) FROM assignments s
                             WHERE s.cluster_id = c.id)""").fetchone()[0]
    assert bad == 0


def _wire_copies(db):
    """The syndicated copy is polled and stored first; the wire's own report, published an hour earlier,
    arrives after it."""
    copy = add_article(db, "ECB raises interest rates for the tenth time",
                       WIRE.replace("on Thursday", "on Thursday,").replace("told reporters", "told journalists"),
                       host="syndicated.example", at="2026-11-20T11:00:00Z")
    original = add_article(db, "ECB raises interest rates for tenth time", WIRE, host="wire.example",
                           at="2026-11-20T10:00:00Z")
    return copy, original


def _check_original_first(db, copy, original, later):
    from monitor.store.brief import event_brief

    event = cluster_of(db, original)
    assert cluster_of(db, copy) == cluster_of(db, later) == event
    first, marked, third = assignment(db, original), assignment(db, copy), assignment(db, later)
    assert first["dup_of"] is None and first["reason"].startswith(f"original of article {copy}"), first
    assert marked["dup_of"] == original and marked["dup_score"] >= LEXICAL.duplicate_threshold, marked
    assert marked["reason"].startswith(f"duplicate of article {original}"), marked
    assert third["dup_of"] == original, third  # the copy of a copy points at the first text
    row = cluster_row(db, event)
    assert (row["size"], row["dup_count"], row["label"]) == (3, 2, "ECB raises interest rates for tenth time")
    brief = event_brief(db, event)
    assert brief.first_source == "wire.example" and [o.name for o in brief.sources] == ["wire.example"]
    assert {o.name for o in brief.republishers} == {"syndicated.example", "reprint.example"}


def test_a_copy_stored_before_its_original_becomes_its_copy(db, assign):
    copy = add_article(db, "ECB raises interest rates for the tenth time",
                       WIRE.replace("on Thursday", "on Thursday,").replace("told reporters", "told journalists"),
                       host="syndicated.example", at="2026-11-20T11:00:00Z")
    assign()  # one poll stores and clusters the copy alone
    original = add_article(db, "ECB raises interest rates for tenth time", WIRE, host="wire.example",
                           at="2026-11-20T10:00:00Z")
    made = assign()
    assert [(a.article_id, a.dup_of) for a in made] == [(original, None)]
    later = add_article(db, "ECB raises interest rates for tenth time", WIRE.replace("reporters", "the press"),
                        host="reprint.example", at="2026-11-20T12:00:00Z")
    assign()
    _check_original_first(db, copy, original, later)


def test_a_copy_stored_before_its_original_in_one_batch(db, assign):
    copy, original = _wire_copies(db)
    later = add_article(db, "ECB raises interest rates for tenth time", WIRE.replace("reporters", "the press"),
                        host="reprint.example", at="2026-11-20T12:00:00Z")
    assign()
    _check_original_first(db, copy, original, later)
