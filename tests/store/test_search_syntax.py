"""The search syntax over a real SQLite file: stemming, OR, NOT/-, phrases, title:, prefixes, errors."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.models import Article
from monitor.store import open_db, write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.search import search_articles
from monitor.text.search_query import (
    AllOf,
    AnyOf,
    Phrase,
    QuerySyntaxError,
    SearchQuery,
    Term,
    parse_query,
)
from monitor.text.stem import SIGNATURE, stem_text, stem_word, words

DOCS = {
    "glide": ("Glide bombs hit Kharkiv", "Russian forces dropped guided glide bombs on the city overnight."),
    "kursk": ("Kursk incursion continues", "Ukrainian units near Sudzha report a glide bomb attack."),
    "gliding": ("Gliding over Kharkiv", "A plane was seen; residents sheltered in the metro."),
    "belgorod": ("Belgorod shelling", "Shells landed in Belgorod; no bombs were reported."),
    "russian": ("Удары по Харькову", "Российские войска нанесли удар по Харькову управляемыми авиабомбами."),
    "title_only": ("Zelensky visits the front", "The president met soldiers."),
}


@pytest.fixture
def ids(db):
    found = {}
    with write_transaction(db):
        for key, (title, text) in DOCS.items():
            origin = "corpus" if key == "kursk" else "feed"  # corpus documents are searched too
            found[key] = insert_article(db, Article(origin=origin, title=title, text=text,
                                                    content_hash=content_hash(title, text)))
    return found


def found(db, ids, query: str) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[row["id"]] for row in search_articles(db, query, limit=100)}


def test_terms_are_stemmed_so_plural_and_singular_meet(db, ids):
    assert found(db, ids, "glide bomb") == {"glide", "kursk"}
    assert found(db, ids, "glide bombs") == {"glide", "kursk"}
    assert found(db, ids, "GLIDING") == {"glide", "kursk", "gliding"}  # glide/gliding share the stem "glide"
    assert found(db, ids, "харьков") == {"russian"}  # the Russian stemmer: Харькову -> харьков
    assert found(db, ids, "удары") == {"russian"}


def test_or_and_exclusion(db, ids):
    assert found(db, ids, "kursk OR belgorod") == {"kursk", "belgorod"}
    assert found(db, ids, "glide bomb -kursk") == {"glide"}
    assert found(db, ids, "glide bomb NOT sudzha") == {"glide"}
    assert found(db, ids, "(kursk OR belgorod) shell") == {"belgorod"}
    # A query that only excludes lists everything else.
    assert found(db, ids, "-kursk") == set(DOCS) - {"kursk"}
    assert found(db, ids, "NOT kharkiv -belgorod") == {"kursk", "title_only", "russian"}  # Харьков is another word


def test_phrase_title_and_prefix(db, ids):
    assert found(db, ids, '"glide bombs"') == {"glide", "kursk"}
    assert found(db, ids, '"bombs glide"') == set()
    assert found(db, ids, "«удары по Харькову»") == found(db, ids, "“удары по харькову”") == {"russian"}
    assert found(db, ids, "title:kharkiv") == {"glide", "gliding"}
    assert found(db, ids, "title:sudzha") == set()
    assert found(db, ids, 'title:"glide bombs"') == {"glide"}
    assert found(db, ids, "zelen*") == {"title_only"}
    assert found(db, ids, "bomb*") == {"glide", "kursk", "belgorod"}
    assert found(db, ids, "sudz*") == {"kursk"}


def test_titles_rank_first(db, ids):
    rows = search_articles(db, "kharkiv", limit=10)
    assert rows[0]["id"] in (ids["glide"], ids["gliding"])


@pytest.mark.parametrize("query, message", [
    ('"glide', "unclosed quote at column 1"),
    ("OR kursk", "OR at column 1 needs a word before it"),
    ("kursk OR", "OR at column 7 needs a word after it"),
    ("(kursk", 'unclosed "(" at column 1'),
    ("kursk)", 'unbalanced ")" at column 6'),
    ("NOT", "NOT at column 1 needs a word after it"),
    ("title:", "title: at column 1 needs a word"),
    ("*", "* at column 1 needs letters before it"),
    ("", "nothing to search for"),
    ("!!! ...", "nothing to search for"),
    ("(-kursk) glide", "a group needs a word to find"),
])
def test_syntax_errors_are_one_line(db, ids, query, message):
    with pytest.raises(QuerySyntaxError) as caught:
        search_articles(db, query)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_the_parse_tree():
    assert parse_query("glide bombs") == SearchQuery("glide bombs", AllOf((Term(("glide",), typed="glide"),
                                                                            Term(("bomb",), typed="bombs"))))
    query = parse_query('kursk OR title:"Glide bombs" -sudzha')
    assert query.find == AnyOf((Term(("kursk",), typed="kursk"),
                                Phrase(("glide", "bomb"), "title", 'title:Glide bombs')))
    assert query.excluded == (Term(("sudzha",), typed="sudzha"),)
    assert parse_query("or not and").find == AllOf((Term(("or",), typed="or"), Term(("not",), typed="not"),
                                                    Term(("and",), typed="and")))
    assert parse_query("running*").find == Term(("run",), prefix=True, typed="running*")
    assert parse_query("Kharkiv's").find == Term(("kharkiv", "s"), typed="Kharkiv's")
    assert parse_query("glide -kursk").words == ("glide",)


def test_migration_rebuilds_an_old_index_with_stems(db_path):
    """A database whose index holds folded words (before schema_search) is reindexed with stems."""
    import sqlite_utils

    from monitor.store import schema_core
    from monitor.text.fold import fold

    old = sqlite_utils.Database(db_path)
    old.register_function(fold, deterministic=True, name="monitor_fold")
    schema_core.migrations.apply(old)
    with write_transaction(old):
        kept = insert_article(old, Article(origin="feed", title="Glide bombs", text="Strikes on Kharkiv.",
                                           content_hash="x"))
    old.close()
    db = open_db(db_path)
    assert [r["id"] for r in search_articles(db, "glide bomb")] == [kept]
    assert [r["id"] for r in search_articles(db, "strike")] == [kept]
    assert db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_the_index_and_queries_split_and_stem_words_alike(text):
    """stem_text (the index, token by token with a cache) gives the stems of words() (what queries use)."""
    assert stem_text(text).split() == [stem_word(w) for w in words(text)]
    assert stem_text(text).split() == stem_text(text + " ").split()  # the cache changes nothing


def test_the_index_follows_the_stemmer_that_runs(db_path):
    """An index built by another stemmer (a PyStemmer upgrade) is rebuilt when the database is opened."""
    db = open_db(db_path)
    with write_transaction(db):
        kept = insert_article(db, Article(origin="feed", title="Glide bombs", text="Strikes.", content_hash="x"))
        db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
        db.conn.execute("UPDATE meta SET value = 'pystemmer 0.1; rules 0' WHERE key = 'search_stems'")
    assert search_articles(db, "glide") == []
    db.close()
    again = open_db(db_path)
    assert [r["id"] for r in search_articles(again, "glide bombs")] == [kept]
    assert again.conn.execute("SELECT value FROM meta WHERE key = 'search_stems'").fetchone()[0] == SIGNATURE
