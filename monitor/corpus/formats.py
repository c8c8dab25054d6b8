"""Readers for each corpus file format; each yields ParsedDocuments."""
from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any, Iterator

import chardet

from monitor.corpus.plaintext import ParsedDocument, parse_plaintext, title_from_first_sentence
from monitor.errors import MonitorError
from monitor.timeutil import from_iso, to_iso

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson"}
_TEXT_KEYS = ("text", "body", "content", "articleBody", "textCleaned", "article")
_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = ("published", "published_at", "date", "datePublished", "publishedTime", "timestamp")


class UnreadableDocument(MonitorError):
    """A file that cannot be turned into text (the message says why)."""


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) when it is, else what chardet finds; binary files refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw[:8192]:
        raise UnreadableDocument("binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        guess = chardet.detect(raw[:200_000])
        encoding = guess.get("encoding")
        if not encoding or (guess.get("confidence") or 0) < 0.5:
            raise UnreadableDocument("not text (unknown encoding)") from None
        return raw.decode(encoding, errors="replace")


def _from_html(raw: bytes) -> ParsedDocument:
    import trafilatura

    document = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    result = document.as_dict() if document is not None and hasattr(document, "as_dict") else document
    if not result or not (result.get("text") or "").strip():
        raise UnreadableDocument("no article text found in the HTML")
    text = result["text"].strip()
    title = (result.get("title") or "").strip()
    published = to_iso(from_iso(result.get("date"))) if result.get("date") else None
    return ParsedDocument(
        title=title or title_from_first_sentence(text), text=text, title_generated=not title,
        author=result.get("author"), published_at=published,
        urls=tuple(u for u in [result.get("url")] if u), url=result.get("url") or None,
    )


def _from_record(record: Any) -> ParsedDocument:
    if not isinstance(record, dict):
        raise UnreadableDocument("a JSON document must be an object with a text field")
    text = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if text is None:
        raise UnreadableDocument(f"no text field (one of: {', '.join(_TEXT_KEYS)})")
    title = next((record[k].strip() for k in _TITLE_KEYS if isinstance(record.get(k), str) and record[k].strip()), "")
    parsed = parse_plaintext(text) if not title else None
    raw_date = next((record[k] for k in _DATE_KEYS if record.get(k)), None)
    published = None
    if isinstance(raw_date, (int, float)):
        from datetime import datetime, timezone

        published = to_iso(datetime.fromtimestamp(raw_date / (1000 if raw_date > 1e11 else 1), tz=timezone.utc))
    elif isinstance(raw_date, str):
        published = to_iso(from_iso(raw_date))
    url = record.get("url") or record.get("link")
    url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
    if parsed:
        return ParsedDocument(title=parsed.title, text=parsed.text, title_generated=parsed.title_generated,
                              author=record.get("author") or parsed.author,
                              published_at=published or parsed.published_at,
                              urls=tuple(u for u in [url, *parsed.urls] if u), dates=parsed.dates,
                              header=parsed.header, removed=parsed.removed, url=url)
    return ParsedDocument(title=title, text=text.strip(), author=record.get("author"), published_at=published,
                          urls=tuple(u for u in [url] if u), url=url)


def read_documents(path: Path) -> Iterator[tuple[str, ParsedDocument]]:
    """(location, document) pairs from one file; location names the record in JSON files."""
    suffix = path.suffix.lower()
    raw = path.read_bytes()
    if suffix in (".html", ".htm"):
        yield str(path), _from_html(raw)
        return
    text = decode(raw)
    if suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield f"{path}:{number}", _from_record(json.loads(line))
                except (json.JSONDecodeError, UnreadableDocument) as exc:
                    raise UnreadableDocument(f"line {number}: {exc}") from None
        return
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableDocument(f"invalid JSON: {exc}") from None
        records = data if isinstance(data, list) else [data]
        for index, record in enumerate(records):
            try:
                document = _from_record(record)
            except UnreadableDocument as exc:  # which one, as "line 2: ..." does in a .jsonl file
                if not isinstance(data, list):
                    raise
                raise UnreadableDocument(f"record {index + 1} of {len(records)}: {exc}") from None
            yield f"{path}[{index}]", document
        return
    document = parse_plaintext(text)
    if not document.text.strip():
        raise UnreadableDocument("no text")
    yield str(path), document
