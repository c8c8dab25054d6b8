"""who: finds a name whatever the language whose stems its article's key took ("Biden" is "bid" in German)."""
from __future__ import annotations

from monitor.cluster.assign import assign_pending
from monitor.store import views, write_transaction
from monitor.text.tokens import term
from tests.cluster.conftest import LEXICAL, add_article


def test_who_finds_a_name_stored_under_another_languages_stem(db):
    text = ("Der Präsident Joe Biden hat am Dienstag in Berlin mit dem Kanzler gesprochen, "
            "teilte das Weiße Haus mit. Biden reiste danach weiter nach Paris.")
    german = add_article(db, "Biden trifft den Kanzler in Berlin", text, host="de.example")
    other = add_article(db, "Council approves the harbour budget",
                        "The city council approved the harbour budget on Monday, officials said.", host="en.example")
    with write_transaction(db):
        db.conn.execute("UPDATE articles SET language = 'de' WHERE id = ?", [german])
    assign_pending(db, LEXICAL)
    keys = [k for (k,) in db.conn.execute(
        "SELECT json_extract(n.value, '$[0]') FROM article_identity i, json_each(i.names) n WHERE i.article_id = ?",
        [german])]
    assert term("biden", "de") in keys and term("biden", "de") != term("biden", "")  # the German stem was stored
    found = set(views.cluster_ids(db, views.ClusterFilter(query="who:Biden")))
    clusters = {c for (c,) in db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id IN (?, ?)",
                                              [german, other])}
    assert len(clusters) == 2
    assert found == {c for (c,) in db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ?", [german])}
