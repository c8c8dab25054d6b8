"""`monitor import`: files and folders into the corpus, once each (by content hash)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from sqlite_utils import Database

from monitor.cluster_settings import ClusterSettings
from monitor.corpus.formats import SUFFIXES, UnreadableDocument, read_documents
from monitor.corpus.plaintext import ParsedDocument
from monitor.models import Article
from monitor.store.articles import content_hash, has_content_hash, insert_article
from monitor.store.db import write_transaction
from monitor.store.figures import insert_figures
from monitor.text.figures import article_figures
from monitor.timeutil import now_iso

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    files: int = 0
    imported: list[int] = field(default_factory=list)  # new article ids
    duplicates: int = 0  # documents already in the database
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    clustered: bool = False

    def to_dict(self) -> dict:
        return {"files": self.files, "imported": len(self.imported), "article_ids": self.imported,
                "duplicates": self.duplicates, "failed": [{"path": p, "error": e} for p, e in self.failed],
                "clustered": self.clustered}


MAX_FILE_BYTES = 100_000_000  # a corpus file is read whole: a 2 GB file named by mistake is refused unread


def refusal(path: Path) -> str | None:
    """Why a file is not read (None: read it), one rule for files named and found in folders: a
    regular file (a FIFO or a device would block or never end), a corpus format (a folder's other
    files are passed over; a file named is refused with this reason), at most MAX_FILE_BYTES."""
    if not path.is_file():
        return "not a regular file"
    if path.suffix.lower() not in SUFFIXES:
        return f"not a corpus document (reads {', '.join(sorted(SUFFIXES))})"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"too large ({_size(size)}; at most {_size(MAX_FILE_BYTES)} a file)"
    return None


def _size(count: int) -> str:
    """2.1 GB, 100 MB, 4.2 KB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            return f"{count / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def iter_files(paths: Iterable[Path], report: ImportReport) -> Iterator[Path]:
    """Files named, and files with a known suffix anywhere under folders named (sorted, hidden
    skipped); a file refused is reported by name with the reason."""
    for path in paths:
        found: Iterable[Path]
        if path.is_dir():
            found = (child for child in sorted(path.rglob("*")) if child.is_file() and child.suffix.lower() in SUFFIXES
                     and not any(part.startswith(".") for part in child.relative_to(path).parts))
        elif path.exists():
            found = [path]
        else:
            report.failed.append((str(path), "no such file or folder"))
            continue
        for file in found:
            why = refusal(file)
            if why is None:
                yield file.resolve()
            else:
                report.failed.append((str(file), why))


def to_article(document: ParsedDocument, location: str) -> Article:
    host_url = document.url or (document.urls[0] if document.urls else None)
    meta = {k: v for k, v in {
        "urls": list(document.urls), "dates": list(document.dates), "header": list(document.header),
        "removed_lines": list(document.removed),
    }.items() if v}
    # A URL written in a plain text (often an image) is metadata, not the article's identity.
    return Article(
        origin="corpus", title=document.title, text=document.text, url=document.url,
        content_hash=content_hash(document.title, document.text), source_path=location,
        source_host=urlsplit(host_url).hostname if host_url else None, title_generated=document.title_generated,
        author=document.author, published_at=document.published_at, fetched_at=now_iso(), meta=meta,
    )


def import_paths(db: Database, paths: Iterable[str | Path], *, settings: ClusterSettings | None = None,
                 on_file: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every readable document; unreadable files are reported by name, the rest still import."""
    report = ImportReport()
    for path in iter_files([Path(p) for p in paths], report):
        report.files += 1
        if on_file:
            on_file(path)
        try:
            documents = list(read_documents(path))
        except (UnreadableDocument, OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            report.failed.append((str(path), reason))
            log.info("cannot import %s: %s", path, reason)  # the report names it (the CLI prints it once)
            continue
        for location, document in documents:
            article = to_article(document, location)
            figures = article_figures(article.title, article.text, article.language)
            with write_transaction(db):
                if has_content_hash(db, article.content_hash, origin="corpus"):
                    report.duplicates += 1
                    continue
                article_id = insert_article(db, article)
                if article_id is not None and figures is not None:
                    insert_figures(db, article_id, article.content_hash, figures)
            if article_id is None:  # its URL is stored already
                report.duplicates += 1
            else:
                report.imported.append(article_id)
    if report.imported:
        from monitor.cluster.assign import assign_pending  # here: numpy stays out of CLI start-up

        # Links the new corpus documents to the events they relate to.
        assign_pending(db, settings or ClusterSettings())
        report.clustered = True
    return report
