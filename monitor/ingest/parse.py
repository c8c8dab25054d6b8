"""Feed bytes + response headers -> FeedItems, with the feed's problems named rather than raised.

feedparser does the hard part (encodings via chardet, dates, relative links against
Content-Location); this module turns its loose dicts into FeedItems and decides what
went wrong: an HTML page instead of a feed, or a feed that parsed only in part.
Runs in a worker process, so everything it returns pickles.
"""
from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

import feedparser

from monitor.ingest.plain import html_to_text, one_line
from monitor.ingest.urls import canonical_url
from monitor.models import FeedItem
from monitor.safe_text import strip_controls
from monitor.timeutil import from_iso, to_iso

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.I | re.S)


@dataclass(frozen=True)
class ParsedFeed:
    items: tuple[FeedItem, ...]
    entries: int  # entries feedparser read (before de-duplication)
    format: str | None  # feedparser's version: rss20, atom10, ...
    title: str
    problem: str | None = None  # the feed parsed, but not cleanly
    not_feed: str | None = None  # nothing feed-like: why
    capped: int = 0  # entries left out by the per-feed item cap (the oldest)
    shared_guids: int = 0  # items whose guid another item of the feed also carries

    @property
    def notes(self) -> tuple[str, ...]:
        """What the poll records about this feed beside its problem (cap, shared guids)."""
        notes = []
        if self.capped:
            notes.append(f"item cap: kept the newest {self.entries - self.capped} of {self.entries} entries "
                         "([poll] max_items)")
        if self.shared_guids:
            notes.append(f"{self.shared_guids} items share a guid with another item; told apart by their links")
        return tuple(notes)


FUTURE_SKEW = timedelta(minutes=10)  # a feed's clock may run a little ahead; a date past this is not believed


def _timestamp(entry: Mapping[str, Any]) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return to_iso(datetime.fromtimestamp(calendar.timegm(value), timezone.utc))
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _believable(published: str | None, fetched_at: str) -> tuple[str | None, str | None]:
    """(the date to sort by, the feed's own date when it was not believed).

    A date beyond the fetch time (year 9999, a wrong time zone) would pin the story on top
    for ever: it is clamped to the fetch time, and the claimed date kept beside it."""
    fetched = from_iso(fetched_at)
    if published is None or fetched is None or published <= to_iso(fetched + FUTURE_SKEW):
        return published, None
    return None, published


def _content(entry: Mapping[str, Any]) -> str | None:
    """The longest full-content block the entry carries, as text."""
    best = ""
    for block in entry.get("content") or ():
        text = html_to_text(block.get("value"))
        if len(text) > len(best):
            best = text
    return best or None


def _guid(entry: Mapping[str, Any]) -> str | None:
    return strip_controls(str(entry.get("id") or "")).strip()[:1000] or None


def _item(entry: Mapping[str, Any], feed_id: int, base: str, fetched_at: str, keep_fragment: bool,
          shared_guid: bool = False, plain_url: str | None = None) -> FeedItem:
    """`plain_url`: the entry's canonical_url without its fragment, when the caller has it already
    (canonical_url, a fifth of a feed's parse, was computed twice for every entry)."""
    url = plain_url if plain_url is not None and not keep_fragment else \
        canonical_url(entry.get("link"), base, keep_fragment=keep_fragment)
    guid = _guid(entry)
    summary = html_to_text(entry.get("summary")) or None
    content = _content(entry)
    if content and summary and content == summary:
        summary = summary[:1000]
    published, claimed = _believable(_timestamp(entry), fetched_at)
    if not guid or shared_guid:
        # Nothing stable to know it by, or a guid other items carry too: its link, else a digest of
        # what it says, tells it apart and keeps re-polls from duplicating it.
        seed = "\n".join([entry.get("title") or "", summary or "", content or "", published or claimed or ""])
        digest = "digest:" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:32]
        if not guid:
            guid = None if url else digest
        else:
            guid = f"{guid} {url or digest}"[:2000]
    author = one_line(entry.get("author")) or None
    return FeedItem(feed_id=feed_id, url=url, guid=guid, title=one_line(entry.get("title")),
                    published_at=published or fetched_at, published_estimated=published is None,
                    summary=summary, content=content, author=author, published_claimed=claimed)


def _describe(exc: Any) -> str:
    text = str(exc) or type(exc).__name__
    return one_line(text)[:300]


_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)[\"']?", re.I)


def _trusted_content_type(content_type: str, body: bytes) -> str:
    """Drop a header charset that the bytes contradict: non-ASCII text that is valid UTF-8 is UTF-8.

    For XML media types the HTTP charset outranks the document's own declaration, so a
    server's wrong default (iso-8859-1) would otherwise turn every accent into mojibake.
    """
    match = _CHARSET.search(content_type)
    if not match or match.group(1).lower().replace("_", "-") in ("utf-8", "utf8") or body.isascii():
        return content_type
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return content_type
    return content_type[:match.start()] + "; charset=utf-8" + content_type[match.end():]


def _newest(entries: list[Any], max_items: int | None) -> list[Any]:
    """At most max_items entries, the newest by their own dates (undated ones count as new), in feed order."""
    if not max_items or len(entries) <= max_items:
        return entries
    dated = [(_timestamp(e) or "~", -i) for i, e in enumerate(entries)]  # "~" sorts after every ISO date
    keep = sorted(range(len(entries)), key=lambda i: dated[i], reverse=True)[:max_items]
    return [entries[i] for i in sorted(keep)]


def parse_feed(body: bytes, headers: Mapping[str, str], url: str, feed_id: int, fetched_at: str,
               max_items: int | None = None) -> ParsedFeed:
    """Parse fetched bytes; the base for relative links is the final URL of the response.

    Linear in the number of entries; with max_items, only the newest that many become items."""
    response_headers = {k.lower(): v for k, v in headers.items() if k.lower() in ("content-type", "content-language")}
    if "content-type" in response_headers:
        response_headers["content-type"] = _trusted_content_type(response_headers["content-type"], body)
    response_headers["content-location"] = url
    parsed = feedparser.parse(body, response_headers=response_headers, sanitize_html=False,
                              resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    version = parsed.get("version") or None
    title = one_line((parsed.get("feed") or {}).get("title"))
    problem = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not entries and not version:
        content_type = headers.get("content-type", "").lower()
        if "html" in content_type or _HTML_START.match(body[:2048]):
            return ParsedFeed((), 0, None, title, problem, not_feed=f"an HTML page, not a feed ({content_type or 'no type'})")
        reason = problem or "no RSS, Atom or RDF root element"
        return ParsedFeed((), 0, None, title, problem, not_feed=f"not a feed: {reason}")
    if not entries and problem:
        problem = f"broken feed, no entries could be read: {problem}"
    kept = _newest(entries, max_items)
    items = []
    seen: set[str] = set()
    # Entries that differ only by #anchor are separate posts on one page (Scripting News).
    plain = [canonical_url(e.get("link"), url) for e in kept]
    url_counts = Counter(u for u in plain if u)
    guid_counts = Counter(g for g in map(_guid, kept) if g)
    shared: Counter[str] = Counter()  # distinct items stored per shared guid
    for entry, plain_url in zip(kept, plain):
        guid = _guid(entry)
        shared_guid = guid is not None and guid_counts[guid] > 1
        item = _item(entry, feed_id, url, fetched_at, keep_fragment=url_counts[plain_url] > 1 if plain_url else False,
                     shared_guid=shared_guid, plain_url=plain_url)
        key = item.url or item.guid or ""
        if key in seen:
            continue
        seen.add(key)
        if shared_guid and guid:
            shared[guid] += 1
        items.append(item)
    return ParsedFeed(tuple(items), len(entries), version, title, problem, capped=len(entries) - len(kept),
                      shared_guids=sum(n for n in shared.values() if n > 1))
