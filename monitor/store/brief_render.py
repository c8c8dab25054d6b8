"""An event brief as Markdown (a paragraph an analyst pastes, then the details) and as JSON data.

In the Markdown every untrusted string (titles, sources, claimants, quotes, tags, notes) goes
through monitor.safe_text.printable and Markdown escaping; the JSON data keeps them exact, and is
printed through monitor.safe_text.json_escaped like every JSON the CLI writes.
"""
from __future__ import annotations

from typing import Any

from monitor.safe_text import clip, printable
from monitor.safe_text import markdown_inert as md
from monitor.store.brief import EventBrief, Outlet
from monitor.text.figure_compare import UNATTRIBUTED, FigureGroup, Reported, Series
from monitor.text.figures import CASUALTIES
from monitor.timeutil import short_utc

BARS = "▁▂▃▄▅▆▇█"
TITLE_CHARS = 300  # a headline or title cut in the text briefs (a feed's 10,000-character title was one line of
# the paragraph to paste); JSON keeps it whole
PARAGRAPH_GROUPS = 4  # kinds of figures told in the paragraph (disagreements first); the rest below


def sparkline(counts: tuple[int, ...] | list[int]) -> str:
    """One character per bar: ▁ for none, ▂ for one, up to █ for the busiest."""
    top = max(counts, default=0)
    bars = []
    for count in counts:
        if count <= 0:
            bars.append(BARS[0])
        else:
            bars.append(BARS[1 + (len(BARS) - 2) * (count - 1) // (top - 1)] if top > 1 else BARS[-1])
    return "".join(bars)


def one_line(text: str | None) -> str:
    return printable(text, single_line=True)




def figure_phrase(report: Reported) -> str:
    """"approximately 15,000 Russian soldiers killed", "more than 1,200 km²", "over 40%"."""
    figure = report.figure
    phrase = one_line(figure.number_text)
    if figure.unit:
        return phrase if phrase.endswith(figure.unit) else f"{phrase} {figure.unit}"
    subject = one_line(figure.subject)
    if subject:
        phrase += f" {subject}"
    if figure.counts == "losses":  # "losses exceeding 49,000 troops", "losses of about 300 troops"
        joined = " " if phrase.split()[0].casefold() in ("exceeding", "over", "above", "under", "below") else " of "
        return f"losses{joined}{phrase}"
    if figure.counts in CASUALTIES and not any(subject.casefold().startswith(s) or f" {s}" in subject.casefold()
                                               for s in CASUALTIES[figure.counts]):
        phrase += f" {figure.counts}"
    return phrase


def _series_text(series: Series) -> str:
    values = " → ".join(figure_phrase(p) for p in series.points)
    who = "unattributed" if series.claimant == UNATTRIBUTED else one_line(series.claimant)
    latest = series.latest
    return f"{who}: {values} ({one_line(latest.source)}, {short_utc(latest.published_at)})"


def _series_sentence(series: Series) -> str:
    """"three people killed, then five killed (regional governor ...; Euro Desk, 2026-11-21 12:10)"."""
    values = ", then ".join(md(figure_phrase(p)) for p in series.points)
    who = "unattributed" if series.claimant == UNATTRIBUTED else md(series.claimant)
    latest = series.latest
    return f"{values} ({who}; {md(latest.source)}, {short_utc(latest.published_at)})"


def _outlets(outlets: tuple[Outlet, ...]) -> str:
    return ", ".join(md(o.name) + (f" ×{o.articles}" if o.articles > 1 else "") for o in outlets)


def paragraph(brief: EventBrief) -> str:
    """The brief in one paragraph: what, when, who reports it, where, the figures and where they differ."""
    original = sum(o.articles - o.copies for o in brief.sources)
    parts = [(f"**{md(clip(brief.headline or '', TITLE_CHARS)) or '(no headline)'}** (event {brief.cluster_id}): {brief.size} "
              f"article{'s' * (brief.size != 1)} from {len(brief.sources)} source{'s' * (len(brief.sources) != 1)}")]
    copies = brief.size - original
    if copies:
        parts[0] += f" ({copies} republished cop{'ies' if copies != 1 else 'y'})"
    parts[0] += f", {short_utc(brief.first_seen)} to {short_utc(brief.last_seen)} UTC."
    if brief.first_source:
        parts.append(f"First reported by {md(brief.first_source)}.")
    if brief.identity.places or brief.identity.names:
        where = ", ".join(f"{md(p.name)} ({p.articles})" for p in brief.identity.places[:5])
        who = ", ".join(f"{md(n.name)} ({n.articles})" for n in brief.identity.names[:5])
        parts.append(" ".join(x for x in (f"Where: {where}." if where else "", f"Who: {who}." if who else "") if x))
    parts.append("Languages: " + ", ".join(f"{md(code)} {count}" for code, count in brief.languages) + ".")
    for group in brief.figures[:PARAGRAPH_GROUPS]:
        label = md(group.label)
        text = f"{label[:1].upper()}{label[1:]}: " + "; ".join(_series_sentence(s) for s in group.series) + "."
        for clash in group.disagreements:
            first = md(clash.first.figure.claimant)
            text += f" {first[:1].upper()}{first[1:]} and {md(clash.second.figure.claimant)} disagree."
        parts.append(text)
    if len(brief.figures) > PARAGRAPH_GROUPS:
        parts.append(f"{len(brief.figures) - PARAGRAPH_GROUPS} more kinds of figures below.")
    return " ".join(parts)


def _disagreement_lines(group: FigureGroup) -> list[str]:
    lines = []
    for clash in group.disagreements:
        lines.append(f"- **{md(group.label)}**: sources disagree")
        for side in (clash.first, clash.second):
            lines.append(f"  - {md(side.figure.claimant)}: {md(figure_phrase(side))} "
                         f"({md(side.source)}, {short_utc(side.published_at)}): “{md(side.figure.sentence)}”")
    return lines


def markdown(brief: EventBrief) -> str:
    """The whole brief: the paragraph, then disagreements, timeline, members, tags, notes, corpus."""
    lines = [f"## {md(clip(brief.headline or '', TITLE_CHARS)) or '(no headline)'}", "", paragraph(brief), ""]
    disagreements = [line for group in brief.figures for line in _disagreement_lines(group)]
    if disagreements:
        lines += ["### Where sources disagree", "", *disagreements, ""]
    if brief.figures:
        lines += ["### Figures", ""]
        for group in brief.figures:
            lines.append(f"- **{md(group.label)}** (latest {md(figure_phrase(group.latest))})")
            lines += [f"  - {md(_series_text(s))}" for s in group.series]
        lines.append("")
    spark = sparkline(brief.timeline.counts)
    arrivals = (f"Arrivals per {brief.timeline.bucket_hours} h from {brief.timeline.start or '-'}: "
                f"`{spark}` ({sum(brief.timeline.counts)} articles)")
    lines += ["### Timeline", "", arrivals, ""]
    lines += ["### Sources", "", f"- Reporting: {_outlets(brief.sources) or '-'}"]
    if brief.republishers:
        lines.append(f"- Republished copies only: {_outlets(brief.republishers)}")
    lines += ["", "### Articles", ""]
    for member in brief.members:
        title = md(clip(member.title or "", TITLE_CHARS)) or "(untitled)"
        link = f"[{title}](<{one_line(member.url)}>)" if member.url else title
        marks = (" — new since you last looked" if member.new else "") + (
            f" — copy of article {member.dup_of}" if member.dup_of else "")
        lines.append(f"- {link} ({md(member.source)}, {short_utc(member.published_at)}){marks}")
    if brief.tags:
        lines += ["", f"Tags: {', '.join(md(t) for t in brief.tags)}"]
    if brief.notes:
        lines += ["", "Notes:", *[f"- {md(n)}" for n in brief.notes]]
    if brief.corpus:
        lines += ["", "Linked corpus documents:", *[f"- {md(c.title)} ({md(c.source)}, score {c.score or 0:.2f})"
                                                    for c in brief.corpus]]
    return "\n".join(lines) + "\n"


def _report(report: Reported) -> dict[str, Any]:
    f = report.figure
    return {"value": f.value, "high": f.high, "qualifier": f.qualifier, "counts": f.counts, "unit": f.unit,
            "number_text": f.number_text, "subject": f.subject, "party": f.party, "scope": f.scope,
            "claimant": f.claimant, "sentence": f.sentence,
            "article_id": report.article_id, "source": report.source, "published_at": report.published_at,
            "url": report.url}


def figures_data(groups: tuple[FigureGroup, ...]) -> list[dict[str, Any]]:
    return [{"group": g.key, "label": g.label, "latest": _report(g.latest),
             "series": [{"claimant": s.claimant, "changed": s.changed, "latest": _report(s.latest),
                         "values": [_report(p) for p in s.points]} for s in g.series],
             "disagreements": [{"first": _report(d.first), "second": _report(d.second)} for d in g.disagreements]}
            for g in groups]


def brief_data(brief: EventBrief) -> dict[str, Any]:
    """The brief as JSON-ready data (the same fields `monitor export` adds under "brief"). Strings stay
    exact: whoever prints them as JSON escapes control characters (monitor.safe_text.json_escaped)."""
    outlet = lambda o: {"name": o.name, "first_at": o.first_at, "articles": o.articles,  # noqa: E731
                        "copies": o.copies}
    return {
        "cluster_id": brief.cluster_id, "headline": brief.headline, "paragraph": paragraph(brief),
        "first_seen": brief.first_seen, "last_seen": brief.last_seen, "size": brief.size, "source_count": len(brief.sources),
        "first_source": brief.first_source, "sources": [outlet(o) for o in brief.sources],
        "republishers": [outlet(o) for o in brief.republishers],
        "languages": dict(brief.languages), "places": [{"name": p.name, "articles": p.articles} for p in brief.identity.places],
        "names": [{"name": n.name, "articles": n.articles} for n in brief.identity.names],
        "figures": figures_data(brief.figures),
        "timeline": {"start": brief.timeline.start, "bucket_hours": brief.timeline.bucket_hours,
                     "counts": list(brief.timeline.counts), "sparkline": sparkline(brief.timeline.counts)},
        "members": [{"article_id": m.article_id, "title": m.title, "source": m.source,
                     "url": m.url, "published_at": m.published_at, "language": m.language,
                     "duplicate_of": m.dup_of, "new": m.new} for m in brief.members],
        "tags": list(brief.tags), "notes": list(brief.notes),
        "corpus": [{"article_id": c.article_id, "title": c.title, "source": c.source,
                    "score": c.score} for c in brief.corpus],
    }
