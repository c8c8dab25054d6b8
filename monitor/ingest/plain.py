"""Untrusted HTML fragments from feeds -> plain text that is safe to show anywhere."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from monitor.safe_text import strip_controls

_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                     "pre", "tr", "table", "section", "article", "figure", "figcaption", "hr", "dd", "dt"})
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment, paragraphs on their own lines; plain text passes through."""
    if not fragment:
        return ""
    if "<" in fragment:
        collector = _TextCollector()
        try:
            collector.feed(fragment)
            collector.close()
            text = "".join(collector.parts)
        except Exception:  # HTMLParser is lenient; this is belt and braces for hostile input
            text = re.sub(r"<[^>]*>", " ", fragment)
    else:
        text = html.unescape(fragment)
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(fragment: str | None) -> str:
    """A title: markup stripped, entities decoded, whitespace collapsed to single spaces."""
    return " ".join(html_to_text(fragment).split())
