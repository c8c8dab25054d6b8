"""The selected event's header above its articles: who reports it, in which languages, its arrivals,
where and who, its top figures with disagreements marked, and the analyst's tags and note.

Fixed lines (cut with an ellipsis, never wrapped): a box whose height followed its text would lay
out the whole screen on every move of the cursor. The whole brief is `i`; this is its summary,
from the same EventBrief. Every untrusted string is plain Text through monitor.tui.safe.
"""
from __future__ import annotations

from rich.text import Text

from monitor.store.brief import EventBrief, timeline
from monitor.store.brief_render import sparkline
from monitor.text.figure_compare import FigureGroup
from monitor.text.plural import counted
from monitor.tui.safe import clean

LINES = 7  # the #event-info box's height in app.tcss
PANE_BARS = 16  # arrivals bars: an event longer than 16 h gets wider bars here (the brief has 48)
PANE_LANGUAGES = 3
PANE_FIGURES = 2
PANE_IDENTITY = 3  # places, then names


def language_counts(languages: tuple[tuple[str, int], ...]) -> str:
    """`en 5 · uk 2 · ?`: each language code (untrusted, from pages) with its articles."""
    return " · ".join(f"{clean(code, limit=8)} {count}" for code, count in languages)


def _figure_line(text: Text, group: FigureGroup) -> None:
    """`⚠ killed / losses: 15,000 ≠ 49,000`, `killed / losses: 3 → 5`, `troops (North Korean): 11,000`."""
    if group.disagreements:
        clash = group.disagreements[0]
        text.append("⚠ ", "bold red")
        text.append(f"{clean(group.label, limit=40)}: ", "bold")
        text.append(f"{clean(clash.first.figure.number_text, limit=30)} ≠ {clean(clash.second.figure.number_text, limit=30)}",
                    "red")
        return
    text.append(f"{clean(group.label, limit=40)}: ", "bold")
    series = max(group.series, key=lambda s: (len(s.points), s.latest.published_at or "", s.latest.article_id))
    if series.changed:
        text.append(" → ".join(clean(p.figure.number_text, limit=20) for p in series.points[-3:]), "yellow")
    else:
        text.append(clean(group.latest.figure.number_text, limit=30), "cyan")


def top_figures(groups: tuple[FigureGroup, ...], count: int = PANE_FIGURES) -> list[FigureGroup]:
    """Disagreements first, then the groups most reported; ties keep the brief's order."""
    ranked = sorted(enumerate(groups), key=lambda ig: (not ig[1].disagreements,
                                                        -sum(len(s.points) for s in ig[1].series), ig[0]))
    return [group for _, group in ranked[:count]]


def _summary_lines(text: Text, brief: EventBrief) -> None:
    text.append(counted(len(brief.sources), "source"), "bold")
    if brief.republished:
        text.append(" +" + counted(brief.republished, "copy", "copies"), "magenta")
    if brief.first_source:
        text.append(" · first ", "dim")
        text.append(clean(brief.first_source, limit=40))
    text.append("\n")
    languages = brief.languages[:PANE_LANGUAGES]
    text.append(language_counts(languages) or "?")
    if len(brief.languages) > PANE_LANGUAGES:
        text.append(f" +{len(brief.languages) - PANE_LANGUAGES}", "dim")
    bars = timeline([m.published_at for m in brief.members], PANE_BARS)
    text.append(" · ", "dim")
    text.append(sparkline(bars.counts) or "-", "green")
    text.append(f" per {bars.bucket_hours} h", "dim")
    text.append("\nwhere ", "bold")
    identity = brief.identity
    text.append(", ".join(clean(p.name, limit=30) for p in identity.places[:PANE_IDENTITY]) or "-",
                "" if identity.places else "dim")
    text.append(" · who ", "bold")
    text.append(", ".join(clean(n.name, limit=30) for n in identity.names[:PANE_IDENTITY]) or "-",
                "" if identity.names else "dim")
    figures = top_figures(brief.figures)
    for index in range(PANE_FIGURES):
        text.append("\n")
        if index < len(figures):
            _figure_line(text, figures[index])
        elif index == 0:
            text.append("no figures in these articles", "dim")


def event_header(brief: EventBrief | None, tags: tuple[str, ...], notes: list[str], *, waiting: bool = True) -> Text:
    """LINES lines: sources and first to report; languages and arrivals; where and who; the top
    figures; tags; note. Before the event's brief has loaded (`waiting`), its lines wait with a dim
    ellipsis; with no event selected they are blank."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if brief is None:
        text.append("\n".join(["…" if waiting else ""] * (LINES - 2)), "dim")
    else:
        _summary_lines(text, brief)
    text.append("\ntags ", "bold")
    text.append(clean(", ".join(tags), limit=200) if tags else "none (t adds one)", "cyan" if tags else "dim")
    text.append("\nnote ", "bold")
    if notes:
        text.append(clean(notes[-1], limit=300), "italic")
        if len(notes) > 1:
            text.append(f"  (+{len(notes) - 1} older)", "dim")
    else:
        text.append("none (n adds one)", "dim")
    return text
