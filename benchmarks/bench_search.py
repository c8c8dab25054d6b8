"""Search: what the stemmed index costs each stored article, how fast its migration rebuilds, and query times.

1. Index cost per article: the trigger's work for one article of real page text (the 80 extraction
   fixtures' gold texts), stem_text() now against fold() (what the index stored before), same run.
2. Inserting those articles through insert_article (triggers and all), articles/s, beside the same
   inserts into a database with the folded-word index it replaced.
3. The migration's rebuild of the stemmed index over every stored article, articles/s.
4. Queries at 100k articles (Google News headlines replayed): median and p95 of search_articles for
   each kind of query, beside a one-word query measured in the same run (the ratio is printed).
The database lives in a private temporary folder (never a file another benchmark shares).
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "shared"
PAGES = ROOT / "fixtures" / "extraction" / "scrapinghub-aeb"
HEADLINES = ROOT / "datasets" / "googlenews-yin2014" / "News"
BODIES = 2_000
ARTICLES = 100_000
QUERIES = {
    "one word (baseline)": "obama",
    "two words, stemmed": "winter storms",
    "OR": "obama OR putin",
    "exclusion": "obama -syria",
    "phrase": '"prime minister"',
    "title:": "title:apple",
    "prefix": "champion*",
    "only an exclusion": "-obama",
}


def _texts() -> list[str]:
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PAGES.glob("*.json"))]
    texts = [g["articleBody"] for g in gold if isinstance(g, dict) and g.get("articleBody")]
    assert texts, f"{PAGES} is missing: ../shared must sit beside the checkout"
    return texts


def index_cost(texts: list[str]) -> tuple[float, float]:
    from monitor.text.fold import fold
    from monitor.text.stem import stem_text

    for t in texts:  # warm caches
        stem_text(t)
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            fold(t)
    folded = (time.perf_counter() - started) / (rounds * len(texts))
    started = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            stem_text(t)
    stemmed = (time.perf_counter() - started) / (rounds * len(texts))
    return folded * 1000, stemmed * 1000


def _insert(db, texts: list[str]) -> float:
    from monitor.models import Article
    from monitor.store import write_transaction
    from monitor.store.articles import content_hash, insert_article

    started = time.perf_counter()
    with write_transaction(db):
        for i in range(BODIES):
            text = texts[i % len(texts)]
            title = " ".join(text.split()[:9])
            insert_article(db, Article(origin="feed", title=title, text=text, content_hash=content_hash(title, f"{i}"),
                                       url=f"http://127.0.0.1/b/{i}"))
    return BODIES / (time.perf_counter() - started)


def insert_and_rebuild(folder: Path, texts: list[str]) -> tuple[float, float, float]:
    """Articles/s inserted with the stemmed index, with the folded-word index it replaced (the core
    migrations alone, as a database was before schema_search), and rebuilt by the migration."""
    import sqlite_utils

    from monitor.store import open_db, schema_core, write_transaction
    from monitor.store.db import execute_script
    from monitor.store.schema_search import _STEMMED_INDEX
    from monitor.text.fold import fold

    before = sqlite_utils.Database(folder / "before.db")
    before.register_function(fold, deterministic=True, name="monitor_fold")
    schema_core.migrations.apply(before)
    folded = _insert(before, texts)
    before.close()

    db = open_db(folder / "bodies.db")
    inserted = _insert(db, texts)
    started = time.perf_counter()
    with write_transaction(db):
        execute_script(db, _STEMMED_INDEX)  # what the migration runs
    rebuilt = BODIES / (time.perf_counter() - started)
    db.close()
    return inserted, folded, rebuilt


def queries(folder: Path) -> dict[str, tuple[float, float, int]]:
    from monitor.models import Article
    from monitor.store import open_db, write_transaction
    from monitor.store.articles import content_hash, insert_article
    from monitor.store.search import search_articles

    rows = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = open_db(folder / "headlines.db")
    for start in range(0, ARTICLES, 10_000):
        with write_transaction(db):
            for i in range(start, start + 10_000):
                text = rows[i % len(rows)]["textCleaned"]
                title = " ".join(text.split()[:6])
                insert_article(db, Article(origin="feed", title=title, text=text,
                                           content_hash=content_hash(title, f"{text}#{i}"), url=f"http://127.0.0.1/h/{i}"))
    times: dict[str, list[float]] = {name: [] for name in QUERIES}
    for _ in range(21):  # the queries take turns, so the machine's noise falls on each alike
        for name, query in QUERIES.items():
            started = time.perf_counter()
            search_articles(db, query, limit=20)
            times[name].append((time.perf_counter() - started) * 1000)
    out = {}
    for name, query in QUERIES.items():
        ordered = sorted(times[name])
        total = len(search_articles(db, query, limit=ARTICLES))
        assert total, f"{query!r} found nothing"
        out[name] = (statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], total)
    db.close()
    return out


def main() -> None:
    texts = _texts()
    folded, stemmed = index_cost(texts)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"index cost per article ({len(texts)} real page texts, {words:.0f} words on average): "
          f"stem_text {stemmed:.3f} ms, fold alone (the index before) {folded:.3f} ms, ratio {stemmed / folded:.2f}")
    with tempfile.TemporaryDirectory(prefix="monitor-bench-search-") as folder:
        inserted, folded_rate, rebuilt = insert_and_rebuild(Path(folder), texts)
        print(f"insert_article ({BODIES:,} page-length articles, one transaction): stemmed index "
              f"{inserted:,.0f} articles/s, folded-word index before it {folded_rate:,.0f} articles/s, "
              f"ratio {inserted / folded_rate:.2f}; migration rebuild {rebuilt:,.0f} articles/s")
        results = queries(Path(folder))
    base = results["one word (baseline)"][0]
    print(f"queries over {ARTICLES:,} headlines (search_articles, limit 20; 21 rounds, queries taking turns):")
    for name, (median, p95, total) in results.items():
        print(f"  {name:22} {QUERIES[name]!r:22} median {median:7.2f} ms  p95 {p95:7.2f} ms  "
              f"ratio {median / base:5.2f}  ({total:,} matches)")


if __name__ == "__main__":
    main()
