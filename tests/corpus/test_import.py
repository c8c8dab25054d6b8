"""Corpus import on the real corpus (../shared/corpus) and on awkward files."""
from __future__ import annotations

import json

import pytest

from monitor.corpus.importer import import_paths
from monitor.corpus.plaintext import CHROME, TRAILERS, parse_plaintext
from monitor.store.articles import get_article
from monitor.text.fold import fold

EXPECTED_TITLES = {
    "000_0258e15840582357.txt": ("Uncovering the Russian Kharkiv Offensive of 2024", False),
    "001_9c56feab08a9dca8.txt": ("Kharkiv Liberated by Soviet Red Army Again", False),
    "002_bbb1966add76849a.txt": ("Is Kharkiv under danger of occupation?", False),
    "003_69df3a4c3d8d99f1.txt": ("Russian Counteroffensive in Kursk: Ukraine Suffers Significant Losses", False),
}


def corpus_rows(db):
    cursor = db.conn.execute("SELECT * FROM articles WHERE origin = 'corpus' ORDER BY source_path")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def test_the_corpus_imports_five_documents_with_correct_titles(db, corpus_dir):
    report = import_paths(db, [corpus_dir])
    assert (report.files, len(report.imported), report.failed) == (5, 5, [])
    rows = {r["source_path"].rsplit("/", 1)[-1]: r for r in corpus_rows(db)}
    for name, (title, generated) in EXPECTED_TITLES.items():
        assert (rows[name]["title"], bool(rows[name]["title_generated"])) == (title, generated)
    untitled = rows["004_91d6fe78f18404af.txt"]
    assert untitled["title_generated"] == 1
    assert untitled["title"].startswith("Ukraine has initiated a significant counter-offensive in Russia's Kursk")
    assert len(untitled["title"]) <= 121


def test_no_chrome_or_trailer_line_is_left_in_any_text(db, corpus_dir):
    import_paths(db, [corpus_dir])
    for row in corpus_rows(db):
        lines = {fold(line).strip() for line in row["text"].splitlines()}
        assert not lines & (CHROME | TRAILERS), (row["source_path"], lines & (CHROME | TRAILERS))
        assert "experienced tech writer" not in fold(row["text"])  # the author bio under 000
        assert not row["text"].startswith(row["title"]) or row["title_generated"]


def test_metadata_written_in_the_text_is_kept(db, corpus_dir):
    import_paths(db, [corpus_dir])
    rows = {r["source_path"].rsplit("/", 1)[-1]: r for r in corpus_rows(db)}
    icaro = rows["003_69df3a4c3d8d99f1.txt"]
    meta = json.loads(icaro["meta"])
    assert icaro["published_at"] == "2024-11-23T22:30:00Z"
    assert meta["urls"][0].startswith("https://icaro.icaromediagroup.com/")
    assert "ICARO Media Group" in meta["header"] and "ICARO Media Group" not in icaro["text"]
    assert icaro["source_host"] == "icaro.icaromediagroup.com"
    assert rows["002_bbb1966add76849a.txt"]["author"] == "Matthew Parish"
    assert "By Matthew Parish" not in rows["002_bbb1966add76849a.txt"]["text"]
    assert rows["000_0258e15840582357.txt"]["author"] == "Kavya Patel"


def test_reimport_adds_nothing(db, corpus_dir):
    import_paths(db, [corpus_dir])
    again = import_paths(db, [corpus_dir])
    assert (len(again.imported), again.duplicates) == (0, 5)
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_unreadable_files_are_named_and_the_rest_import(db, tmp_path, corpus_dir):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("A headline here\n\nThe body of the story goes on for a while.\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    (folder / "broken.json").write_text("{not json")
    (folder / "empty.md").write_text("   \n")
    locked = folder / "locked.txt"
    locked.write_text("Secret\n\nNo one may read this file at all.\n")
    locked.chmod(0)
    report = import_paths(db, [folder, tmp_path / "absent.txt"])
    failed = {path.rsplit("/", 1)[-1] for path, _ in report.failed}
    assert {"binary.txt", "broken.json", "empty.md", "absent.txt"} <= failed
    assert len(report.imported) == 1 + (0 if "locked.txt" in failed else 1)
    assert get_article(db, report.imported[0])["title"] == "A headline here"


def test_json_jsonl_markdown_and_html(db, tmp_path):
    from tests.conftest import shared_path

    (tmp_path / "a.json").write_text(json.dumps([
        {"title": "Kursk talks", "text": "Delegations met in Geneva.", "url": "https://ex.test/k",
         "published": "2024-11-20T10:00:00Z"},
        {"body": "Untitled body. Second sentence."}]))
    (tmp_path / "b.jsonl").write_text(json.dumps({"headline": "Line one", "content": "Text one."}) + "\n\n"
                                      + json.dumps({"title": "Line two", "text": "Text two.", "date": 1700000000}) + "\n")
    (tmp_path / "c.md").write_text("# A markdown title\n\nSome *markdown* body text for the reader.\n")
    page = shared_path("fixtures", "extraction", "mozilla-readability", "test-pages", "bbc-1", "source.html")
    (tmp_path / "d.html").write_bytes(page.read_bytes())
    report = import_paths(db, [tmp_path])
    assert report.failed == []
    titles = {r["title"] for r in corpus_rows(db)}
    assert {"Kursk talks", "Untitled body", "Line one", "Line two", "A markdown title"} <= titles
    assert any("gun" in t.lower() for t in titles)  # the BBC page's own title
    kursk = next(r for r in corpus_rows(db) if r["title"] == "Kursk talks")
    assert (kursk["url"], kursk["published_at"]) == ("https://ex.test/k", "2024-11-20T10:00:00Z")
    line_two = next(r for r in corpus_rows(db) if r["title"] == "Line two")
    assert line_two["published_at"] == "2023-11-14T22:13:20Z"


@pytest.mark.parametrize("raw, title, generated", [
    ("Breaking: floods in Porto\nRain fell all night over the city and the river rose.", "Breaking: floods in Porto", False),
    ("Rain fell all night. The river rose over its banks and the city flooded.", "Rain fell all night", True),
    ("top of page\n\nHeadline after chrome\n\nBody text of the story is here.\n\nbottom of page", "Headline after chrome", False),
    ("Überschwemmung in Köln\nDer Rhein stieg über Nacht um zwei Meter.", "Überschwemmung in Köln", False),
])
def test_title_detection(raw, title, generated):
    document = parse_plaintext(raw)
    assert (document.title, document.title_generated) == (title, generated)


def test_a_file_is_read_only_when_a_folder_would_read_it(db, tmp_path, monkeypatch):
    """A file named directly was read whatever it was: a CSV or a log imported as a document, a
    FIFO or /dev/zero blocked the import for ever, a 2 GB file was read whole into memory. Now the
    one rule of folders applies (a corpus format, a regular file, at most MAX_FILE_BYTES), and a
    file named that breaks it is reported by name with the reason; the others import."""
    import os

    from monitor.corpus import importer

    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 2_000)
    good = tmp_path / "good.txt"
    good.write_text("A headline here\n\nThe body of the story goes on for a while.\n")
    table = tmp_path / "figures.csv"
    table.write_text("Kharkiv strike\n\nThree killed, 27 wounded, officials said.\n")  # text, but not a document
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    large = tmp_path / "large.md"
    large.write_text("Large\n\n" + "A long line of text. " * 200)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "big.txt").write_text("Big\n\n" + "More text here. " * 200)
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # passed over in a folder, as before

    report = import_paths(db, [good, table, pipe, large, folder, "/dev/zero"])
    assert len(report.imported) == 1 and report.files == 1
    reasons = {path.rsplit("/", 1)[-1]: why for path, why in report.failed}
    assert reasons == {
        "figures.csv": "not a corpus document (reads .htm, .html, .json, .jsonl, .markdown, .md, .ndjson, .txt)",
        "pipe.txt": "not a regular file", "zero": "not a regular file",
        "large.md": "too large (4.2 KB; at most 2 KB a file)", "big.txt": "too large (3.2 KB; at most 2 KB a file)"}


def test_a_bad_record_in_a_json_list_is_named_as_a_bad_jsonl_line_is(db, tmp_path):
    """A .json list with one record that is not a document said only "a JSON document must be an
    object with a text field", where a .jsonl file says "line 2: ..."."""
    listed = tmp_path / "list.json"
    listed.write_text('[{"title": "A", "text": "Kharkiv text."}, 5, {"title": "B"}]', encoding="utf-8")
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"title": "A", "text": "Kyiv text."}\n[1]\n', encoding="utf-8")
    single = tmp_path / "single.json"
    single.write_text('{"title": "B"}', encoding="utf-8")
    report = import_paths(db, [listed, lines, single])
    assert [why for _, why in report.failed] == [
        "record 2 of 3: a JSON document must be an object with a text field",
        "line 2: a JSON document must be an object with a text field",
        "no text field (one of: text, body, content, articleBody, textCleaned, article)"]
