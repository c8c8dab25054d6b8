"""Names' keys are the script rule's terms in every language ("Biden" stays "biden" in a German article, where
the German stemmer says "bid"), and who: also finds the bare 7-character prefixes stored before stems."""
from __future__ import annotations

from monitor.cluster.assign import assign_pending
from monitor.store import views, write_transaction
from monitor.text.tokens import term
from tests.cluster.conftest import LEXICAL, add_article


def test_a_german_articles_name_key_is_the_script_rules_and_who_finds_it(db):
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
    assert term("biden") in keys and term("biden", "de") not in keys
    found = set(views.cluster_ids(db, views.ClusterFilter(query="who:Biden")))
    clusters = {c for (c,) in db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id IN (?, ?)",
                                              [german, other])}
    assert len(clusters) == 2
    assert found == {c for (c,) in db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ?", [german])}


def test_who_finds_a_key_stored_as_the_bare_prefix_before_stems(db):
    text = "The senator Ted Kennedy spoke on Monday in Boston about the harbour budget, aides said."
    article = add_article(db, "Kennedy speaks on the harbour budget", text, host="en.example")
    assign_pending(db, LEXICAL)
    with write_transaction(db):  # as a database clustered before stems stored it
        db.conn.execute("UPDATE article_identity SET names = json('[[\"kennedy\", \"Kennedy\"]]') WHERE article_id = ?",
                        [article])
    assert term("kennedy") == "kennedi"
    found = set(views.cluster_ids(db, views.ClusterFilter(query="who:Kennedy")))
    assert found == {c for (c,) in db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ?", [article])}
