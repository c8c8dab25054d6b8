"""The article reader: metadata, why it is in its cluster, tags, notes, then the extracted text."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from monitor.store.views import ArticleDetail
from monitor.tui.safe import clean, safe
from monitor.tui.timefmt import stamp


def meta_text(d: ArticleDetail) -> Text:
    text = Text(end="")
    text.append_text(safe(d.title or "(untitled)", "bold", single_line=True))
    text.append("\n\n")
    rows = [
        ("source", clean(d.feed or d.source)),
        ("origin", d.origin + (" (estimated date)" if d.published_estimated else "")),
        ("published", clean(stamp(d.published_at))),
        ("author", clean(d.author)),
        ("url", clean(d.url)),
        ("language", clean(d.language)),
        ("extraction", d.extraction_status),
        ("state", d.status + (", starred" if d.starred else "")),
        ("cluster", str(d.cluster_id) if d.cluster_id else "-"),
        ("matched", clean(" · ".join(filter(None, [d.reason, ", ".join(d.terms[:8])])))),
        ("tags", clean(", ".join(d.tags))),
    ]
    for name, value in rows:
        if value:
            text.append(f"{name:>10}  ", "dim")
            text.append(value + "\n")
    for note in d.notes:
        text.append("      note  ", "dim")
        text.append(clean(note, single_line=False) + "\n", "italic")
    return text


class ArticleView(VerticalScroll):
    """Scrolls as one: the metadata block and the body below it."""

    def compose(self) -> ComposeResult:
        yield Static("", id="article-meta")
        yield Static("", id="article-body")

    _shown: tuple[Text, Text] | None = None  # (meta, body) on screen

    def show(self, detail: ArticleDetail | None) -> None:
        if detail is None:
            self._set(Text("This article is no longer in the database.", style="bold red"), Text(""))
        else:
            self._set(meta_text(detail), safe(detail.text or "(no text was extracted)", single_line=False))

    def show_nothing(self) -> None:
        self._set(Text(""), Text(""))

    def _set(self, meta: Text, body: Text) -> None:
        """Update only what changed: the reload after 'mark read' changes one metadata line, and
        wrapping a long body again for nothing cost a layout pass over it."""
        old_meta, old_body = self._shown or (None, None)
        if meta != old_meta or meta.style != old_meta.style:
            self.query_one("#article-meta", Static).update(meta)
        if body != old_body or body.style != old_body.style:
            self.query_one("#article-body", Static).update(body)
        self._shown = (meta, body)
