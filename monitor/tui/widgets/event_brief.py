"""The event pane: one event's brief as the analyst reads it on screen.

Headline, span and size; sources counted once (first to report first) and copies apart;
languages; who and where (from the event-identity features); arrivals per hour
as a sparkline; the figures side by side with changes and disagreements, each with its source and
quote; the members, newest first, marked when new since the analyst last looked; tags, notes and
linked corpus documents. Every untrusted string is plain Text through monitor.tui.safe.
"""
from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from monitor.store.brief import EventBrief, Outlet
from monitor.store.brief_render import figure_phrase, sparkline
from monitor.text.figure_compare import UNATTRIBUTED, FigureGroup
from monitor.text.plural import counted
from monitor.timeutil import from_iso, short_utc
from monitor.tui.safe import clean
from monitor.tui.widgets.event_header import language_counts

NEW_MARK = "●"


def _outlets(text: Text, outlets: tuple[Outlet, ...]) -> None:
    for index, outlet in enumerate(outlets):
        if index:
            text.append(", ")
        text.append(clean(outlet.name, limit=40))
        if outlet.articles > 1:
            text.append(f" ×{outlet.articles}", "dim")


def _figures(text: Text, groups: tuple[FigureGroup, ...]) -> None:
    text.append("\nFigures\n", "bold underline")
    if not groups:
        text.append(" no figures found in these articles\n", "dim")
    for group in groups:
        text.append(f" {clean(group.label, limit=60)}", "bold")
        text.append(f"  latest {clean(figure_phrase(group.latest), limit=60)}", "cyan")
        if group.disagreements:
            text.append("  ⚠ sources disagree", "bold red")
        text.append("\n")
        for series in group.series:
            who = "unattributed" if series.claimant == UNATTRIBUTED else clean(series.claimant, limit=50)
            text.append(f"   {who}: ", "italic" if series.claimant == UNATTRIBUTED else "")
            text.append(" → ".join(clean(figure_phrase(p), limit=50) for p in series.points),
                        "yellow" if series.changed else "")
            latest = series.latest
            text.append(f"  {clean(latest.source, limit=30)}, {short_utc(latest.published_at)}\n", "dim")
        for clash in group.disagreements:
            for side in (clash.first, clash.second):
                text.append(f"   ⚠ {clean(side.figure.claimant, limit=50)}: ", "red")
                text.append(f"“{clean(side.figure.sentence, limit=220)}”", "italic")
                text.append(f" ({clean(side.source, limit=30)})\n", "dim")


def brief_text(brief: EventBrief) -> Text:
    """The whole pane as one Text (wrapped by its Static to the pane's width)."""
    text = Text(end="")
    text.append(clean(brief.headline, limit=200) or "(no headline)", "bold")
    text.append(f"   event {brief.cluster_id}\n", "dim")
    text.append(f"{counted(brief.size, 'article')} · {counted(len(brief.sources), 'source')}")
    if brief.republished:
        text.append(f" (+{brief.republished} republished)", "dim")
    text.append(f" · {short_utc(brief.first_seen)} → {short_utc(brief.last_seen)} UTC\n")
    text.append("Sources: ", "bold")
    _outlets(text, brief.sources)
    if brief.first_source:
        text.append(f"  (first: {clean(brief.first_source, limit=40)})", "dim")
    text.append("\n")
    if brief.republishers:
        text.append("Copies: ", "bold")
        _outlets(text, brief.republishers)
        text.append("\n")
    text.append("Languages: ", "bold")
    text.append(language_counts(brief.languages) + "\n")
    if brief.identity.places or brief.identity.names:
        text.append("Where: ", "bold")
        text.append(", ".join(f"{clean(p.name, limit=30)} {p.articles}" for p in brief.identity.places[:6]) or "-")
        text.append("   Who: ", "bold")
        text.append(", ".join(f"{clean(n.name, limit=30)} {n.articles}" for n in brief.identity.names[:6]) or "-")
        text.append("\n")
    text.append("Arrivals: ", "bold")
    text.append(sparkline(brief.timeline.counts), "green")
    text.append(f"  per {brief.timeline.bucket_hours} h from {short_utc(brief.timeline.start)}\n", "dim")
    _figures(text, brief.figures)
    # Never opened, nothing is marked apart (as in the Articles pane): every member is new.
    news = "never opened: every article is new" if brief.never_opened else \
        f"{NEW_MARK} new since you last looked: {brief.new_members}"
    text.append(f"\nArticles (newest first; {news})\n", "bold underline")
    for member in brief.members:
        text.append(f" {NEW_MARK} " if member.new else "   ", "bold green")
        when = short_utc(member.published_at)
        text.append(f"{when[5:] if from_iso(member.published_at) else when}  ", "dim")  # no year: the span has it
        text.append(f"{clean(member.source, limit=18):<18} ", "cyan")
        text.append(clean(member.title, limit=120))
        if member.dup_of:
            text.append(f"  ≈ copy of {member.dup_of}", "magenta")
        text.append("\n")
    if brief.tags:
        text.append("\nTags: ", "bold")
        text.append(", ".join(clean(t, limit=40) for t in brief.tags) + "\n")
    for note in brief.notes:
        text.append("Note: ", "bold")
        text.append(clean(note, limit=300) + "\n")
    if brief.corpus:
        text.append("\nLinked corpus\n", "bold underline")
        for document in brief.corpus:
            text.append(f"   {clean(document.title, limit=100)}", "")
            text.append(f"  {document.score or 0:.2f}\n", "dim")
    return text


class EventBriefView(VerticalScroll):
    """A scrolling pane holding one event's brief."""

    DEFAULT_CSS = """
    EventBriefView { padding: 0 1; }
    """

    def compose(self):
        yield Static(Text("Reading the event…"), id="event-brief-text")

    def show(self, brief: EventBrief | None) -> None:
        body = self.query_one("#event-brief-text", Static)
        body.update(brief_text(brief) if brief is not None else Text("This event no longer exists."))
