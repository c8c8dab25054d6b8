"""Hostile text aimed at the terminal, served by the newsroom: escape sequences and C1 controls in
titles, article URLs, feed titles, a server's Content-Type header, OPML names and URLs.

`control_bytes(data)` finds what must never reach a terminal or an exported file: ESC and every
other C0 control but tab and newline, DEL, C1 controls as UTF-8 (U+0080-U+009F) and raw bytes
0x80-0x9F that are no part of a UTF-8 character.
"""
from __future__ import annotations

import re

from tests.support.newsroom import Newsroom

ESC = "\x1b"
CSI_C1 = "\u009b"  # the one-character CSI: "\u009b2J" clears a screen on many terminals
OSC_TITLE = f"{ESC}]0;owned{chr(7)}"  # sets the window title
OSC_CLIPBOARD = f"{ESC}]52;c;ZXZpbA=={chr(7)}"  # writes "evil" to the clipboard
HOSTILE_FEED_NAME = f"Hostile {OSC_TITLE} news {CSI_C1}2J"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udc9f]")


def control_bytes(data: bytes) -> list[str]:
    """The control characters in data (decoded as UTF-8, stray bytes kept as surrogates), shown."""
    return sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(data.decode("utf-8", "surrogateescape"))})


def hostile_feed(base: str) -> bytes:
    """RSS whose titles, links, descriptions and channel title carry escapes and C1 controls.

    Raw ESC is not well-formed XML: feedparser reads it with its loose parser, as it would a
    hostile server's feed."""
    items = []
    for n in range(3):
        items.append(
            f"<item><title><![CDATA[Story {n} {ESC}[2J{CSI_C1}31m about the border talks]]></title>"
            f"<link>{base}/hostile/page-{n}{OSC_CLIPBOARD}x{CSI_C1}2J</link><guid>hostile-{n}</guid>"
            f"<pubDate>Sat, 21 Nov 2026 12:0{n}:00 GMT</pubDate>"
            f"<description><![CDATA[Officials said {OSC_TITLE} the border talks {CSI_C1}2J resumed.]]>"
            "</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Channel {OSC_TITLE}{CSI_C1}2J</title><link>{base}/</link><description>d</description>"
            + "".join(items) + "</channel></rss>").encode("utf-8")


def hostile_opml(base: str) -> bytes:
    """OPML with escapes in names and categories and C1 controls in a feed URL."""
    return (f'<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head><title>t</title></head><body>'
            f'<outline text="Folder {CSI_C1}2J"><outline text="Named &#x9b;2J feed" '
            f'xmlUrl="{base}/hostile/c1-url-&#x9b;2J.xml" category="tag&#x9b;2J"/>'
            f'<outline text="Good one" xmlUrl="{base}/hostile/opml-ok.xml" category="ok&#x85;tag"/>'
            "</outline></body></opml>").encode()


def serve_hostile(room: Newsroom) -> dict[str, str]:
    """Register the hostile routes; returns their URLs by purpose."""
    room.put("/hostile/feed.xml", hostile_feed(room.base))
    # A server naming its answer's type with C1 controls: that type ends up in the error printed.
    room.put("/hostile/type.xml", b"<html><body>not a feed</body></html>",
             content_type=f"text/html; charset=utf-8; x={CSI_C1}2J{chr(0x85)}")
    for n in range(3):
        room.put(f"/hostile/page-{n}", f"<html><body><p>Page {n} {ESC}[2J text.</p></body></html>".encode(),
                 content_type="text/html")
    return {"feed": room.url("/hostile/feed.xml"), "type": room.url("/hostile/type.xml")}
