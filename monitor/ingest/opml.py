"""OPML, the subscription format every feed reader speaks: names, URLs and categories as tags."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from monitor.config import FeedConfig
from monitor.errors import MonitorError
from monitor.ingest.plain import one_line
from monitor.ingest.urls import is_fetchable


class OpmlError(MonitorError):
    pass


def _tags(value: str | None) -> list[str]:
    """OPML categories: comma-separated, each maybe a /path/like/this -> its parts."""
    tags: list[str] = []
    for category in (value or "").split(","):
        for part in category.strip().strip("/").split("/"):
            part = part.strip()
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

    def walk(node: ET.Element, folders: list[str]) -> None:
        for outline in node.findall("outline"):
            name = one_line(outline.get("title") or outline.get("text") or "")
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            if url:
                tags = folders + [t for t in _tags(outline.get("category")) if t not in folders]
                if not is_fetchable(url):
                    problems.append(f"{name or url}: only http(s) feeds are supported")
                else:
                    feeds.append(FeedConfig(name=name or url, url=url, tags=tuple(tags)))
            walk(outline, folders + ([name] if not url and name else []))

    walk(body, [])
    return feeds, problems


def write_opml(feeds: Iterable[FeedConfig], title: str = "monitor feeds") -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.tags:
            attributes["category"] = ",".join(feed.tags)
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
