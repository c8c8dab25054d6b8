"""Two events stored the way ingestion stores them (store_article, then assign_pending), for brief tests.

- Kharkiv: a toll rising from 3 (Kyiv Wire, 10:00) to 5 (Euro Desk, 12:00), the same governor
  quoted; Euro Desk's report republished word for word by Aggregator; Kyiv Wire reporting again
  under another URL (one outlet, two URLs), and a report in Ukrainian.
- Kursk: the corpus's two Kursk documents (read from ../shared/corpus) arriving as feed articles
  from two outlets: Ukraine's and Russia's loss claims in one event.
"""
from __future__ import annotations

from dataclasses import dataclass

from monitor.cluster_settings import ClusterSettings
from monitor.config import FeedConfig
from monitor.ingest.articles import store_article
from monitor.ingest.extract import PageText
from monitor.models import FeedItem
from monitor.store.feeds import feed_id_by_name, sync_feeds
from tests.conftest import shared_path

SETTINGS = ClusterSettings(embedding="off")
KURSK_DOCUMENTS = ("003_69df3a4c3d8d99f1.txt", "004_91d6fe78f18404af.txt")
FEEDS = ("Kyiv Wire", "Euro Desk", "Aggregator", "Ukrinform UA", "Front Line Daily", "Steppe Post")

TOLL_3 = ("Russian missile strike on Kharkiv apartment block kills three",
          ("Three people were killed when a Russian missile hit an apartment block in Kharkiv on Tuesday morning, "
          "regional governor Oleh Syniehubov said. Dozens of residents were wounded and rescuers are searching "
          "the rubble of the apartment block in Kharkiv."))
TOLL_5 = ("Kharkiv missile strike: death toll rises to five",
          ("The death toll from Tuesday's Russian missile strike on a Kharkiv apartment block has risen to five, "
          "regional governor Oleh Syniehubov said. More than 40 people were wounded, and rescuers are still "
          "searching the rubble of the apartment block in Kharkiv."))
KYIV_AGAIN = ("Kharkiv apartment block: rescuers search rubble after Russian missile strike",
              ("Rescuers in Kharkiv searched the rubble of the apartment block hit by a Russian missile on Tuesday. "
              "Hundreds of residents were evacuated from nearby buildings, regional governor Oleh Syniehubov said."))
UKRAINIAN = ("Ракетний удар по Харкову: загинули п'ятеро людей",
             ("Внаслідок ракетного удару по житловому будинку в Харкові загинули 5 людей, повідомив голова "
             "обласної адміністрації Олег Синєгубов. Рятувальники розбирають завали. (English: " + TOLL_5[1] + ")"))


@dataclass(frozen=True)
class BriefEvents:
    kharkiv: int  # cluster ids
    kursk: int
    toll_3: int  # article ids
    toll_5: int
    copy: int


def _store(db, feed: str, url: str, published: str, title: str, text: str, language: str | None = "en") -> int:
    item = FeedItem(feed_id=feed_id_by_name(db, feed), url=url, guid=url, title=title, published_at=published,
                    published_estimated=False, summary=None, content=None)
    article_id = store_article(db, item, PageText(text=text, title=title, language=language), None, url).article_id
    assert article_id is not None
    return article_id


def arrive_later(db, article_id: int, cluster_id: int) -> None:
    """The article joins the event after the analyst last looked (assigned in the far future)."""
    from monitor.store.db import write_transaction

    with write_transaction(db):
        db.conn.execute("INSERT INTO assignments (article_id, cluster_id, assigned_at, reason) "
                        "VALUES (?, ?, '2099-01-01T00:00:00Z', 'test')", [article_id, cluster_id])
        db.conn.execute("UPDATE clusters SET size = size + 1 WHERE id = ?", [cluster_id])


def kharkiv_grows_after_a_look(db_path, events: BriefEvents) -> int:
    """The analyst looked at the Kharkiv event, then one more report joined it: that report's id."""
    from monitor.store import open_db
    from monitor.store.triage import mark_seen

    db = open_db(db_path)
    try:
        mark_seen(db, events.kharkiv)
        later = _store(db, "Euro Desk", "https://eurodesk.example/news/kharkiv-later", "2026-11-21T14:30:00Z",
                       "Rescuers end search in Kharkiv rubble", TOLL_5[1])
        arrive_later(db, later, events.kharkiv)
    finally:
        db.close()
    return later


def build_brief_events(db) -> BriefEvents:
    """Store both events' articles through ingestion's own path and cluster them."""
    from monitor.cluster.assign import assign_pending

    sync_feeds(db, [FeedConfig(name=name, url=f"http://127.0.0.1:9/{n}.xml") for n, name in enumerate(FEEDS)])
    toll_3 = _store(db, "Kyiv Wire", "https://kyivwire.example/kharkiv-strike", "2026-11-21T10:05:00Z", *TOLL_3)
    toll_5 = _store(db, "Euro Desk", "https://eurodesk.example/news/kharkiv-toll", "2026-11-21T12:10:00Z", *TOLL_5)
    copy = _store(db, "Aggregator", "https://aggregator.example/a/991", "2026-11-21T12:40:00Z", *TOLL_5)
    _store(db, "Kyiv Wire", "https://www.kyivwire.example/live/kharkiv-rescue", "2026-11-21T13:20:00Z", *KYIV_AGAIN)
    _store(db, "Ukrinform UA", "https://ukrinform.example/ua/kharkiv", "2026-11-21T13:50:00Z", *UKRAINIAN,
           language="uk")
    for n, (name, document) in enumerate(zip(("Front Line Daily", "Steppe Post"), KURSK_DOCUMENTS, strict=True)):
        title, _, text = shared_path("corpus", document).read_text(encoding="utf-8").partition("\n")
        _store(db, name, f"https://{name.split()[0].lower()}.example/kursk/{n}", f"2026-11-20T0{8 + n}:00:00Z",
               title.strip()[:90], text.strip())
    assign_pending(db, SETTINGS)
    cluster_of = lambda article: db.conn.execute(  # noqa: E731
        "SELECT cluster_id FROM assignments WHERE article_id = ?", [article]).fetchone()[0]
    kursk_article = db.conn.execute("SELECT id FROM articles WHERE url LIKE '%/kursk/0'").fetchone()[0]
    return BriefEvents(kharkiv=cluster_of(toll_3), kursk=cluster_of(kursk_article), toll_3=toll_3, toll_5=toll_5,
                       copy=copy)
