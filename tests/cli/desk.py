"""A small news desk on the local newsroom for CLI tests: one feed whose items the test chooses."""
from __future__ import annotations

from pathlib import Path

from tests.support.newsroom import rss_feed

FEED = "/desk/feed.xml"
ITEMS = [
    ("g1", "Glide bombs hit Kharkiv overnight", "Russian aircraft dropped guided glide bombs on Kharkiv."),
    ("k1", "Glide bomb strikes in Kursk region",
     "Ukrainian units near Sudzha in the Kursk region reported a glide bomb."),
    ("p1", "Grain prices fall in Europe", "Wheat futures eased on the Paris market on Tuesday."),
]
LATER = ("g2", "More glide bombs on Kharkiv", "A second night of glide bomb strikes hit Kharkiv districts.")


def serve_items(room, items) -> None:
    room.put(FEED, rss_feed("Desk", [
        {"title": title, "link": room.url(f"/desk/{guid}.html"), "guid": guid,
         "pubDate": "Sat, 21 Nov 2026 12:00:00 GMT", "description": text, "content": f"<p>{text}</p>"}
        for guid, title, text in items]))


def write_config(tmp_path: Path, room, extra: str = "") -> None:
    """feeds.toml: the desk feed (tagged "ukraine"), no page fetching, lexical clustering, then `extra`."""
    (tmp_path / "feeds.toml").write_text(
        '[poll]\nfetch_pages = false\n\n[cluster]\nembedding = "off"\n\n'
        f'[[feeds]]\nname = "Desk"\nurl = "{room.url(FEED)}"\ntags = ["ukraine"]\n\n' + extra, encoding="utf-8")
