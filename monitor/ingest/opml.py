"""OPML, the subscription format every feed reader speaks: names, URLs and categories as tags."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from monitor.config import FeedConfig
from monitor.errors import MonitorError
from monitor.ingest.plain import one_line
from monitor.ingest.urls import is_fetchable
from monitor.safe_text import has_controls, strip_controls


MAX_DEPTH = 100  # outlines within outlines; deeper is not a subscription list


class OpmlError(MonitorError):
    pass


def _tags(value: str | None) -> list[str]:
    """OPML categories: comma-separated, each maybe a /path/like/this -> its parts."""
    tags: list[str] = []
    for category in (value or "").split(","):
        for part in category.strip().strip("/").split("/"):
            part = one_line(part)
            if part and part.lower() not in (t.lower() for t in tags):
                tags.append(part)
    return tags


def read_opml(data: bytes) -> tuple[list[FeedConfig], list[str]]:
    """Feeds in an OPML document; folder outlines become tags. Returns (feeds, problems)."""
    try:
        root = ET.fromstring(data)  # expat: no external entities, no DTD fetching
    except ET.ParseError as exc:
        raise OpmlError(f"not a readable OPML file: {exc}") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("not an OPML file (no <opml><body>)")
    feeds: list[FeedConfig] = []
    problems: list[str] = []
    # Depth first, in document order, without recursion: a hostile file may nest thousands deep.
    stack: list[tuple[ET.Element, list[str], int]] = [(o, [], 1) for o in reversed(body.findall("outline"))]
    while stack:
        outline, folders, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise OpmlError(f"outlines nested more than {MAX_DEPTH} deep")
        name = one_line(outline.get("title") or outline.get("text") or "")
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            tags = folders + [t for t in _tags(outline.get("category")) if t not in folders]
            if has_controls(url):
                problems.append(f"{name or url}: the URL holds control characters")
            elif not is_fetchable(url):
                problems.append(f"{name or url}: only http(s) feeds are supported")
            else:
                feeds.append(FeedConfig(name=name or url, url=url, tags=tuple(tags)))
        inner = folders + ([name] if not url and name else [])
        stack.extend((child, inner, depth + 1) for child in reversed(outline.findall("outline")))
    return feeds, problems


def write_opml(feeds: Iterable[FeedConfig], title: str = "monitor feeds") -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        # XML cannot carry control characters (and a terminal must not receive them).
        name = strip_controls(feed.name)
        attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": strip_controls(feed.url)}
        if feed.tags:
            attributes["category"] = strip_controls(",".join(feed.tags))
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
