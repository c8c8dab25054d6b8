"""Export a view of clusters (members, sources, tags, notes) as CSV, JSON, JSON lines or a Markdown
briefing. `monitor export` and the dashboard's export both call export_clusters()/render()."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from monitor.safe_text import clip, json_escaped, markdown_inert, printable
from monitor.store import views
from monitor.store.brief import event_brief
from monitor.store.brief_render import TITLE_CHARS, brief_data
from monitor.text.plural import counted
from monitor.timeutil import human_utc, now_iso
from monitor.store.db import IN_LIST, as_list

FORMATS = ("csv", "json", "jsonl", "md")
MEMBER_LIMIT = 200


@dataclass(frozen=True)
class ExportMember:
    article_id: int
    title: str
    source: str
    url: str | None
    published_at: str | None
    duplicate_of: int | None
    reason: str
    terms: tuple[str, ...]
    status: str = "new"  # the article's own triage: read, starred, tags, notes
    starred: bool = False
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportCluster:
    id: int
    label: str
    size: int
    sources: tuple[str, ...]
    duplicates: int
    first_seen: str | None
    last_seen: str | None
    status: str
    starred: bool
    tags: tuple[str, ...]
    notes: tuple[str, ...]
    corpus: tuple[str, ...]
    members: tuple[ExportMember, ...]
    brief: dict[str, Any] | None = None  # the event brief's fields (monitor.store.brief_render.brief_data)


def export_clusters(db: Database, flt: views.ClusterFilter, limit: int | None = None) -> list[ExportCluster]:
    ids = views.cluster_ids(db, flt)[:limit] if limit else views.cluster_ids(db, flt)
    out = []
    for start in range(0, len(ids), 200):
        chunk = ids[start:start + 200]
        rows = views.cluster_rows(db, chunk)
        for cluster_id in chunk:
            row = rows[cluster_id]
            members = views.cluster_members(db, cluster_id, limit=MEMBER_LIMIT)
            ids = [m.article_id for m in members]
            tags, notes = _article_tags(db, ids), _article_notes(db, ids)
            out.append(ExportCluster(
                id=row.id, label=row.label, size=row.size,
                sources=tuple(sorted({m.source for m in members if m.source})), duplicates=row.dup_count,
                first_seen=row.first_seen, last_seen=row.last_seen, status=row.status, starred=row.starred,
                tags=row.tags, notes=tuple(views.cluster_notes(db, cluster_id)),
                corpus=tuple(c.title for c in views.corpus_for_cluster(db, cluster_id, limit=10)),
                members=tuple(ExportMember(m.article_id, m.title, m.source, m.url, m.published_at, m.dup_of,
                                           m.reason, m.terms, status=m.status, starred=m.starred,
                                           tags=tags.get(m.article_id, ()), notes=notes.get(m.article_id, ()))
                              for m in members), brief=_brief(db, cluster_id)))
    return out


def _grouped(rows: Any) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for article_id, value in rows:
        found.setdefault(article_id, []).append(value)
    return {k: tuple(v) for k, v in found.items()}


def _article_tags(db: Database, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Each article's own tags (its event's tags are the cluster's)."""
    return _grouped(db.conn.execute(
        "SELECT x.article_id, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id "
        f"WHERE x.article_id IN {IN_LIST} ORDER BY x.article_id, t.name COLLATE NOCASE", [as_list(ids)]))


def _article_notes(db: Database, ids: list[int]) -> dict[int, tuple[str, ...]]:
    return _grouped(db.conn.execute(
        f"SELECT article_id, body FROM notes WHERE article_id IN {IN_LIST} ORDER BY article_id, id", [as_list(ids)]))


def _brief(db: Database, cluster_id: int) -> dict[str, Any] | None:
    brief = event_brief(db, cluster_id)
    return brief_data(brief) if brief is not None else None


def _one_line(text: str | None) -> str:
    return printable(text, single_line=True)


def render(clusters: list[ExportCluster], fmt: str, flt: views.ClusterFilter | None = None) -> str:
    """The export as text holding no control character, whether it goes to a terminal or a file:
    JSON escapes them (the data stays exact), CSV and Markdown show them as visible symbols."""
    if fmt == "json":
        return json_escaped(json.dumps([asdict(c) for c in clusters], ensure_ascii=False, indent=2)) + "\n"
    if fmt == "jsonl":
        return "".join(json_escaped(json.dumps(asdict(c), ensure_ascii=False)) + "\n" for c in clusters)
    if fmt == "csv":
        return _csv(clusters)
    if fmt == "md":
        return printable(_markdown(clusters, flt))
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _csv(clusters: list[ExportCluster]) -> str:
    """One row per member, with its cluster's fields repeated (what a spreadsheet wants)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # no \r: the output holds no control character
    writer.writerow(["cluster_id", "cluster_label", "cluster_size", "cluster_status", "cluster_tags",
                     "cluster_notes", "article_id", "title", "source", "url", "published_at", "duplicate_of",
                     "reason", *_CSV_ARTICLE_TRIAGE, "cluster_starred"])
    for c in clusters:
        for m in c.members or (None,):
            row = [c.id, c.label, c.size, c.status, "; ".join(c.tags), " | ".join(c.notes),
                   *(["", "", "", "", "", "", ""] if m is None else
                     [m.article_id, m.title, m.source, m.url or "", m.published_at or "", m.duplicate_of or "",
                      m.reason]),
                   *_csv_article_triage(m), int(c.starred)]
            writer.writerow([_inert_cell(_one_line(v)) if isinstance(v, str) else v for v in row])
    return buffer.getvalue()


def _inert_cell(text: str) -> str:
    """A text cell a spreadsheet shows and does not evaluate: a feed's title "=HYPERLINK(...)" or
    "=cmd|' /C calc'!A0" was a formula when the CSV was opened (OWASP's CSV injection), so a cell
    starting with = + - @ takes a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


_CSV_ARTICLE_TRIAGE = ("article_status", "article_starred", "article_tags", "article_notes")


def _csv_article_triage(m: ExportMember | None) -> list[Any]:
    if m is None:
        return ["", "", "", ""]
    return [m.status, int(m.starred), "; ".join(m.tags), " | ".join(m.notes)]




def _markdown(clusters: list[ExportCluster], flt: views.ClusterFilter | None) -> str:
    """A short briefing: one section per cluster, headline, span, sources, tags, notes, top links."""
    lines = [f"# Coverage briefing ({human_utc(now_iso())})", ""]
    if flt is not None:
        lines += [f"View: {markdown_inert(flt.describe())}. {counted(len(clusters), 'cluster')}.", ""]
    for c in clusters:
        lines.append(f"## {markdown_inert(clip(c.label or '', TITLE_CHARS)) or '(no headline)'}")
        lines.append("")
        if c.brief:  # its paragraph counts the articles, the sources (each once) and the span
            if c.starred:
                lines += ["- ★ starred", ""]
            lines += [c.brief["paragraph"], ""]
        else:
            meta = f"{counted(c.size, 'article')} from {counted(len(c.sources), 'source')}"
            if c.duplicates:
                meta += f" ({counted(c.duplicates, 'duplicate')})"
            meta += f", {_md_span(c.first_seen, c.last_seen)}"
            lines.append(f"- {'★ ' if c.starred else ''}{meta}")
        if c.tags:
            lines.append(f"- Tags: {', '.join(markdown_inert(t) for t in c.tags)}")
        for note in c.notes:
            lines.append(f"- Note: {markdown_inert(note)}")
        if c.corpus:
            lines.append(f"- Related corpus: {'; '.join(markdown_inert(t) for t in c.corpus[:3])}")
        shown = [m for m in c.members if m.duplicate_of is None][:5] or list(c.members[:5])
        shown += [m for m in c.members if m not in shown and (m.starred or m.tags or m.notes)]  # the analyst's marks
        for m in shown:
            title = markdown_inert(clip(m.title or "", TITLE_CHARS)) or "(untitled)"
            link = f"[{title}](<{m.url}>)" if m.url else title
            lines.append(f"  - {'★ ' if m.starred else ''}{link} ({markdown_inert(m.source)}, "
                         f"{human_utc(m.published_at) or 'undated'}){_md_article_tags(m)}")
            lines += [f"    - Note: {markdown_inert(note)}" for note in m.notes]
        lines.append("")
    return "\n".join(lines)


def _md_span(first: str | None, last: str | None) -> str:
    start, end = human_utc(first) or "?", human_utc(last) or "?"
    return start if start == end else f"{start} to {end}"


def _md_article_tags(m: ExportMember) -> str:
    return f" — tags: {', '.join(markdown_inert(t) for t in m.tags)}" if m.tags else ""


def export_to_file(db: Database, flt: views.ClusterFilter, fmt: str, directory: Path) -> Path:
    """The dashboard's export: the current view written to a timestamped file."""
    text = render(export_clusters(db, flt), fmt, flt)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"monitor-export-{now_iso().replace(':', '').replace('-', '')}.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path
