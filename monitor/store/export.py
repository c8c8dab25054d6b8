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

from monitor.safe_text import json_escaped, printable
from monitor.store import views
from monitor.store.brief import event_brief
from monitor.store.brief_render import brief_data
from monitor.timeutil import now_iso

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
            out.append(ExportCluster(
                id=row.id, label=row.label, size=row.size,
                sources=tuple(sorted({m.source for m in members if m.source})), duplicates=row.dup_count,
                first_seen=row.first_seen, last_seen=row.last_seen, status=row.status, starred=row.starred,
                tags=row.tags, notes=tuple(views.cluster_notes(db, cluster_id)),
                corpus=tuple(c.title for c in views.corpus_for_cluster(db, cluster_id, limit=10)),
                members=tuple(ExportMember(m.article_id, m.title, m.source, m.url, m.published_at, m.dup_of,
                                           m.reason, m.terms) for m in members), brief=_brief(db, cluster_id)))
    return out


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
                     "reason"])
    for c in clusters:
        for m in c.members or (None,):
            row = [c.id, c.label, c.size, c.status, "; ".join(c.tags), " | ".join(c.notes),
                   *(["", "", "", "", "", "", ""] if m is None else
                     [m.article_id, m.title, m.source, m.url or "", m.published_at or "", m.duplicate_of or "",
                      m.reason])]
            writer.writerow([_one_line(v) if isinstance(v, str) else v for v in row])
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return _one_line(text).replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def _markdown(clusters: list[ExportCluster], flt: views.ClusterFilter | None) -> str:
    """A short briefing: one section per cluster, headline, span, sources, tags, notes, top links."""
    lines = [f"# Coverage briefing ({now_iso()})", ""]
    if flt is not None:
        lines += [f"View: {flt.describe()}. {len(clusters)} clusters.", ""]
    for c in clusters:
        lines.append(f"## {_md_escape(c.label) or '(no headline)'}")
        lines.append("")
        meta = f"{c.size} articles from {len(c.sources)} sources"
        if c.duplicates:
            meta += f" ({c.duplicates} duplicates)"
        meta += f", {c.first_seen or '?'} to {c.last_seen or '?'}"
        lines.append(f"- {meta}")
        if c.brief:
            lines += ["", c.brief["paragraph"], ""]
        if c.tags:
            lines.append(f"- Tags: {', '.join(_md_escape(t) for t in c.tags)}")
        for note in c.notes:
            lines.append(f"- Note: {_md_escape(note)}")
        if c.corpus:
            lines.append(f"- Related corpus: {'; '.join(_md_escape(t) for t in c.corpus[:3])}")
        shown = [m for m in c.members if m.duplicate_of is None][:5] or list(c.members[:5])
        for m in shown:
            title = _md_escape(m.title) or "(untitled)"
            link = f"[{title}](<{m.url}>)" if m.url else title
            lines.append(f"  - {link} ({_md_escape(m.source)}, {m.published_at or 'undated'})")
        lines.append("")
    return "\n".join(lines)


def export_to_file(db: Database, flt: views.ClusterFilter, fmt: str, directory: Path) -> Path:
    """The dashboard's export: the current view written to a timestamped file."""
    text = render(export_clusters(db, flt), fmt, flt)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"monitor-export-{now_iso().replace(':', '').replace('-', '')}.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path
