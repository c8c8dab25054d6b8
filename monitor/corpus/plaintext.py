"""Plain-text documents as analysts collect them: a headline (or none), site chrome,
a byline block, the body, and trailers such as "Leave a Reply" or an author bio.

parse_plaintext() keeps the body, finds the title, and moves metadata written in the
text (byline, dates, URLs) out of the body into fields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from monitor.text.fold import fold
from monitor.timeutil import to_iso

# Lines that are page furniture wherever they stand (compared folded, punctuation trimmed).
CHROME = {
    "top of page", "bottom of page", "skip to content", "skip to main content", "back to top",
    "menu", "search", "share", "share this", "share this article", "print", "advertisement",
    "sign in", "log in", "subscribe", "close",
}
# Trailers: once the body is over, these and everything after them are not article text.
TRAILERS = {
    "leave a reply", "leave a comment", "related", "related articles", "related posts",
    "related stories", "recent articles", "recent posts", "more stories", "read more",
    "you may also like", "comments", "post navigation", "tags", "share this:", "like this:",
}
_DISCLAIMER = re.compile(r"^the views expressed (in|on) .{0,80}do not (necessarily )?reflect", re.I)
_URL = re.compile(r"^(https?://\S+)$")
_URL_ANYWHERE = re.compile(r"https?://[^\s<>\"')\]]+")
_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(.{2,80})$", re.I)
_NAME = re.compile(r"^[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,3}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_DATE_PATTERNS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?"), "ymd"),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[h:](\d{2}))?"), "dmy"),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2})[h:](\d{2}))?"), "dmy"),
]
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})|(" + "|".join(_MONTHS)
    + r")\s+(\d{1,2}),?\s+(\d{4}))\b", re.I)
TITLE_MAX_CHARS = 160
GENERATED_TITLE_CHARS = 120


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    text: str
    title_generated: bool = False
    author: str | None = None
    published_at: str | None = None
    urls: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    header: tuple[str, ...] = field(default=())  # short lines of the byline block (publisher, section)
    removed: tuple[str, ...] = ()  # chrome and trailer lines dropped from the text
    url: str | None = None  # the document's own address, when its format says so (HTML, JSON)


def _key(line: str) -> str:
    return fold(line).strip().strip(":.!|-–—•*#").strip()


def is_chrome(line: str) -> bool:
    return _key(line) in CHROME


def is_trailer(line: str) -> bool:
    return _key(line) in TRAILERS or bool(_DISCLAIMER.match(line.strip()))


def parse_date(line: str) -> str | None:
    """An ISO date from a line that is only a date (and perhaps a time)."""
    text = line.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(text)
        if match and len(text) - len(match.group(0)) <= 3:
            parts = [int(p) if p else 0 for p in match.groups()]
            year, month, day = (parts[0], parts[1], parts[2]) if order == "ymd" else (parts[2], parts[1], parts[0])
            try:
                return to_iso(datetime(year, month, day, parts[3], parts[4]))
            except ValueError:
                return None
    match = _MONTH_DATE.search(text)
    if match and len(text) - len(match.group(0)) <= 12:
        day_text, month_name, year_text = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
            match.group(5), match.group(4), match.group(6))
        try:
            return to_iso(datetime(int(year_text), _MONTHS.index(month_name.lower()) + 1, int(day_text)))
        except ValueError:
            return None
    return None


def looks_like_headline(line: str) -> bool:
    stripped = _MD_HEADING.sub("", line.strip())
    if not stripped or len(stripped) > TITLE_MAX_CHARS or _URL.match(stripped):
        return False
    if len(stripped.split()) < 2 or parse_date(stripped):
        return False
    # A headline does not read as a finished sentence followed by another.
    return not (stripped.endswith(".") and len(_SENTENCE_END.split(stripped)) > 1) and not stripped.endswith(",")


def title_from_first_sentence(text: str) -> str:
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= GENERATED_TITLE_CHARS:
        return first.rstrip(".")
    cut = first[:GENERATED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _strip_author_bio(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """Drop a closing author block: the name alone on a line (often twice), then 'Name is a ...'."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return lines, None, []
    last = lines[content[-1]].strip()
    for start in range(len(content) - 2, max(-1, len(content) - 5), -1):
        candidate = lines[content[start]].strip()
        if not _NAME.match(fold(candidate).title() if candidate.islower() else candidate):
            break
        name = _key(candidate)
        if fold(last).startswith(name + " ") and re.match(r"^\S+(\s+\S+){0,3}\s+(is|was|has|writes|covers)\b", fold(last)):
            first = start
            while first > 0 and _key(lines[content[first - 1]]) == name:
                first -= 1
            cut = content[first]
            return lines[:cut], candidate, [line for line in lines[cut:] if line.strip()]
    return lines, None, []


def parse_plaintext(raw: str) -> ParsedDocument:
    """Split a plain-text (or Markdown) document into title, body and metadata."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    removed = [line.strip() for line in lines if line.strip() and is_chrome(line)]
    lines = [line for line in lines if not is_chrome(line)]
    # Cut at the first trailer that stands after the body has begun.
    body_started = False
    for index, line in enumerate(lines):
        if body_started and line.strip() and is_trailer(line):
            removed += [x.strip() for x in lines[index:] if x.strip()]
            lines = lines[:index]
            break
        if len(line.strip()) > 80:
            body_started = True
    lines, author, bio = _strip_author_bio(lines)
    removed += bio

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    title, title_generated, start = "", False, 0
    if nonblank and looks_like_headline(lines[nonblank[0]]) and len(nonblank) > 1:
        title = _MD_HEADING.sub("", lines[nonblank[0]].strip())
        start = nonblank[0] + 1
    # The byline block: short lines between the title and the first paragraph.
    urls, dates, header, published = [], [], [], None
    index = start
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        byline, url, date = _BYLINE.match(line), _URL.match(line), parse_date(line)
        if byline and not author:
            author = byline.group(1).strip()
        elif url:
            urls.append(url.group(1))
        elif date:
            dates.append(date)
            published = published or date
        elif title and len(line.split()) <= 4 and not line.endswith((".", "?", "!", ":")) and not _MD_HEADING.match(line):
            header.append(line)
        else:
            break
        index += 1
    body_lines = [_MD_HEADING.sub("", line.rstrip()) for line in lines[index:]]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(body_lines)).strip()
    if not title:
        title, title_generated = title_from_first_sentence(body), True
    urls += [u.rstrip(".,;") for u in _URL_ANYWHERE.findall(body)]
    return ParsedDocument(
        title=title, text=body, title_generated=title_generated, author=author, published_at=published,
        urls=tuple(dict.fromkeys(urls)), dates=tuple(dates), header=tuple(header), removed=tuple(removed),
    )
