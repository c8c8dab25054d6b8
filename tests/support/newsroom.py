"""The local newsroom: a real HTTP server on 127.0.0.1 for ingestion tests and benchmarks.

It serves the real feed files from ../shared/fixtures/feeds (the .gz ones with
Content-Encoding: gzip), a generated feed whose items link to the 80 real pages in
../shared/fixtures/extraction, synthetic feeds for benchmarks, and fault modes.
Every feed and page answers conditional requests (ETag, Last-Modified -> 304).

Routes (all GET):
  /feeds/<file>                 a fixture feed file, bytes unchanged
  /extraction/feed.xml          RSS, one item per fixture page (?offset=&limit=&copies=)
  /pages/aeb/<NAME>.html        scrapinghub-aeb page, served as text/html without charset
  /pages/mozilla/<name>.html    mozilla-readability source.html, text/html without charset
  /synth/<n>.xml?items=20       synthetic feed n; items link to /synth/<n>/<j>-v<version>.html
  /synth/<n>/<page>.html        a small synthetic article page
  /fault/429?retry_after=S      429 with Retry-After (also /fault/503)
  /fault/500                    500
  /fault/stall?seconds=S        accepts, then sends nothing for S seconds
  /fault/slow?seconds=S         waits S seconds, then serves a small valid feed
  /fault/huge?mb=N              an endless (or N MB) body, plain
  /fault/gzip-bomb?mb=N         a small gzip body that inflates to N MB
  /fault/redirect-loop          302 to itself, for ever
  /fault/redirect?to=PATH       302 (or ?status=301, 308...) to PATH
  /fault/wrong-charset/<NAME>.html  an aeb page (UTF-8 bytes) declared charset=iso-8859-1
  /fault/html                   an HTML page where a feed is expected
  /hostile/...                  an attacker's answers: see tests/support/hostile.py
Anything registered with Newsroom.put(path, body, ...) overrides the above.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FEEDS_DIR = SHARED / "fixtures" / "feeds"
AEB_DIR = SHARED / "fixtures" / "extraction" / "scrapinghub-aeb"
MOZILLA_DIR = SHARED / "fixtures" / "extraction" / "mozilla-readability" / "test-pages"
FIXED_DATE = "Sat, 21 Nov 2026 12:00:00 GMT"


def _require(path: Path) -> Path:
    assert path.exists(), f"{path} is missing: ../shared must sit beside the checkout"
    return path


@dataclass(frozen=True)
class FixturePage:
    """One real page with its gold text source."""

    key: str  # "aeb/NAME" or "mozilla/name"
    html_path: Path
    title: str

    @property
    def route(self) -> str:
        return f"/pages/{self.key}.html"

    def gold_text(self) -> str:
        """Gold article text: AEB articleBody, or the text of mozilla's expected.html read as UTF-8."""
        if self.key.startswith("aeb/"):
            return json.loads(self.html_path.with_suffix(".json").read_text(encoding="utf-8"))["articleBody"]
        import lxml.html

        raw = (self.html_path.parent / "expected.html").read_bytes().decode("utf-8")
        return lxml.html.fromstring(raw).text_content()


def fixture_feed_files() -> list[Path]:
    """Every real feed file (not SOURCE.md / manifest.json)."""
    return sorted(p for p in _require(FEEDS_DIR).iterdir() if p.suffix in (".xml", ".html", ".gz"))


_OG_TITLE = re.compile(rb"""<meta[^>]+property=["']og:title["'][^>]*content=(?:"([^"]+)"|'([^']+)')""", re.I)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def page_title(path: Path) -> str:
    """The page's own headline (og:title, else <title>), as a publisher's feed would carry it."""
    raw = path.read_bytes()
    match = _OG_TITLE.search(raw) or _TITLE.search(raw)
    found = next((g for g in match.groups() if g), b"") if match else b""
    title = html.unescape(found.decode("utf-8", "replace"))
    return " ".join(title.split()) or path.stem


@functools.lru_cache(maxsize=1)
def fixture_pages() -> tuple[FixturePage, ...]:
    """The 80 extraction fixture pages, AEB first, in a stable order, titled as a feed would title them."""
    pages = []
    for gold in sorted(_require(AEB_DIR).glob("*.json")):
        if gold.name == "story_clusters.json":
            continue
        pages.append(FixturePage(f"aeb/{gold.stem}", gold.with_suffix(".html"), page_title(gold.with_suffix(".html"))))
    for folder in sorted(_require(MOZILLA_DIR).iterdir()):
        if (folder / "source.html").exists():
            meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
            pages.append(FixturePage(f"mozilla/{folder.name}", folder / "source.html", meta.get("title") or folder.name))
    return tuple(pages)


def rss_feed(title: str, items: list[dict[str, str]]) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
             f"<title>{html.escape(title)}</title><link>http://127.0.0.1/</link><description>local newsroom</description>"]
    for item in items:
        parts.append("<item>")
        for tag in ("title", "link", "guid", "pubDate", "description"):
            if item.get(tag):
                parts.append(f"<{tag}>{html.escape(item[tag])}</{tag}>")
        if item.get("content"):
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).replace('<rss version="2.0">',
                                  '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">').encode()


_WORDS = ("ministry official said talks border forces city region report council vote energy prices "
          "market shares inquiry court ruling drone strike convoy harbour rail grain aid summit envoy").split()


def synthetic_paragraphs(seed: str, count: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(25, 45))).capitalize() + "." for _ in range(count)]


@dataclass
class Served:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Newsroom:
    """The server plus what tests inspect: a log of requests and registered overrides."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.overrides: dict[str, Served] = {}
        self.lock = threading.Lock()
        self.stop_stalling = threading.Event()
        self.synth_version = 0  # bump to make every synthetic feed change
        # Requests between their arrival and the start of their response, and the most ever at
        # once. Counting ends before the response is written: the client can only send its
        # next request after reading this one, so a limit it keeps shows exactly (no race with
        # a handler thread that has sent everything but not yet returned).
        self.in_flight = 0
        self.max_in_flight = 0
        handler = type("Handler", (_Handler,), {"newsroom": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        self.thread = threading.Thread(target=self.server.serve_forever, name="newsroom", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> Newsroom:
        self.thread.start()
        return self

    def close(self) -> None:
        self.stop_stalling.set()
        self.server.shutdown()
        self.server.server_close()

    def put(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        """Serve `body` at `path` (with ETag/304 handling when status is 200)."""
        headers = {"-".join(p.capitalize() for p in k.split("_")): v for k, v in headers.items()}
        with self.lock:
            self.overrides[path] = Served(status, body, headers)

    def hits(self, path: str) -> list[dict[str, str]]:
        """Request headers of every request to path (query string ignored)."""
        with self.lock:
            return [h for p, h in self.requests if urlsplit(p).path == path]

    def feed_path_bytes(self, route: str) -> bytes:
        """The bytes a /feeds/<file> route serves (for re-serving them elsewhere with put)."""
        return (FEEDS_DIR / route.removeprefix("/feeds/")).read_bytes()

    def feed_url(self, file_name: str) -> str:
        return self.url(f"/feeds/{file_name}")

    def extraction_feed_url(self, offset: int = 0, limit: int = 1000, copies: int = 1) -> str:
        return self.url(f"/extraction/feed.xml?offset={offset}&limit={limit}&copies={copies}")

    def __enter__(self) -> Newsroom:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


@functools.lru_cache(maxsize=4096)
def _etag(body: bytes) -> str:
    # Cached: the benchmarks serve the same page bodies hundreds of times, and the server's
    # CPU is taken from the same two cores as the poller it serves.
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


@functools.lru_cache(maxsize=256)
def _read_page(path: Path) -> bytes:
    return path.read_bytes()


class _Handler(BaseHTTPRequestHandler):
    newsroom: Newsroom
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    _answering = False  # counted in Newsroom.in_flight

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        room = self.newsroom
        with room.lock:
            room.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            override = room.overrides.get(urlsplit(self.path).path)
            room.in_flight += 1
            room.max_in_flight = max(room.max_in_flight, room.in_flight)
        self._answering = True
        try:
            if override is not None:
                if override.status == 200:
                    self._send_cached(override.body, override.headers.get("Content-Type", "application/rss+xml"),
                                      **{k: v for k, v in override.headers.items() if k != "Content-Type"})
                else:
                    self._send(override.status, override.body, override.headers)
                return
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self._answered()

    # --- plumbing -------------------------------------------------------------------
    def _answered(self) -> None:
        if self._answering:
            self._answering = False
            with self.newsroom.lock:
                self.newsroom.in_flight -= 1

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self._answered()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_cached(self, body: bytes, content_type: str, **extra: str) -> None:
        """200 with ETag and Last-Modified, or 304 when the client already has these bytes."""
        etag = _etag(body)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm and etag in inm) or (not inm and ims == FIXED_DATE):
            self._send(304, b"", {"ETag": etag, "Last-Modified": FIXED_DATE})
            return
        self._send(200, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": FIXED_DATE, **extra})

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _route(self) -> None:
        path = urlsplit(self.path).path
        for prefix, method in (("/feeds/", self._feed_file), ("/extraction/feed.xml", self._extraction_feed),
                               ("/pages/", self._page), ("/synth/", self._synth), ("/fault/", self._fault),
                               ("/hostile/", self._hostile)):
            if path.startswith(prefix):
                method(path[len(prefix):])
                return
        self._send(404, b"not found", {"Content-Type": "text/plain"})

    # --- content ----------------------------------------------------------------------
    def _feed_file(self, name: str) -> None:
        path = FEEDS_DIR / name
        if "/" in name or not path.is_file():
            self._send(404, b"no such feed", {"Content-Type": "text/plain"})
            return
        body = path.read_bytes()
        if name.endswith(".gz"):
            self._send_cached(body, "application/rss+xml", **{"Content-Encoding": "gzip"})
        elif name.endswith(".html"):
            self._send_cached(body, "text/html")
        else:
            self._send_cached(body, "application/xml")

    def _extraction_feed(self, _: str) -> None:
        query = self._query()
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 1000))
        copies = int(query.get("copies", 1))  # the same pages again under other URLs (benchmarks)
        first = int(query.get("copy_from", 0))  # which copies: one feed per copy looks like several sites
        items = []
        for copy in range(first, first + copies):
            suffix = f"?copy={copy}&utm_source=rss" if copy else "?utm_source=rss&utm_medium=feed"
            for page in fixture_pages()[offset:offset + limit]:
                items.append({"title": page.title, "link": self.newsroom.base + page.route + suffix,
                              "guid": f"{page.key}#{copy}" if copy else page.key, "pubDate": FIXED_DATE,
                              "description": f"Summary of {page.title}"})
        self._send_cached(rss_feed("Extraction fixtures", items), "application/rss+xml")

    def _page(self, rest: str) -> None:
        kind, _, name = rest.partition("/")
        name = name.removesuffix(".html")
        if kind == "aeb":
            path = AEB_DIR / f"{name}.html"
        elif kind == "mozilla":
            path = MOZILLA_DIR / name / "source.html"
        else:
            path = Path("/nonexistent")
        if "/" in name or ".." in name or not path.is_file():
            self._send(404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
            return
        self._send_cached(_read_page(path), "text/html")

    def _synth(self, rest: str) -> None:
        version = self.newsroom.synth_version
        if rest.endswith(".xml"):
            number = rest.removesuffix(".xml")
            count = int(self._query().get("items", 20))
            items = []
            for j in range(count):
                link = f"{self.newsroom.base}/synth/{number}/{j}-v{version}.html"
                paras = synthetic_paragraphs(f"{number}-{j}-{version}", 2)
                items.append({"title": f"Synthetic story {number}.{j} v{version}", "link": link,
                              "guid": f"synth-{number}-{j}-{version}", "pubDate": FIXED_DATE,
                              "description": paras[0], "content": "".join(f"<p>{p}</p>" for p in paras)})
            self._send_cached(rss_feed(f"Synthetic feed {number}", items), "application/rss+xml")
            return
        number, _, page = rest.partition("/")
        paras = synthetic_paragraphs(f"{number}-{page}-{version}")
        body = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Synthetic story</title></head><body>"
                "<nav>Home | World | Sport</nav><article><h1>Synthetic story</h1>"
                + "".join(f"<p>{p}</p>" for p in paras) + "</article><footer>Contact us</footer></body></html>")
        self._send_cached(body.encode(), "text/html; charset=utf-8")

    def _fault(self, rest: str) -> None:
        query = self._query()
        if rest in ("429", "503"):
            retry = query.get("retry_after", "120")
            self._send(int(rest), b"slow down", {"Retry-After": retry, "Content-Type": "text/plain"})
        elif rest == "500":
            self._send(500, b"internal error", {"Content-Type": "text/plain"})
        elif rest == "stall":
            self.newsroom.stop_stalling.wait(float(query.get("seconds", 30)))
        elif rest == "slow":
            self.newsroom.stop_stalling.wait(float(query.get("seconds", 2)))
            self._send_cached(rss_feed("Slow but fine", [{"title": "Slow story", "guid": "slow-1",
                                                      "description": "It took a while."}]), "application/rss+xml")
        elif rest == "huge":
            self._huge(int(query.get("mb", 0)))
        elif rest == "gzip-bomb":
            raw = b"<rss><channel>" + b" " * (int(query.get("mb", 20)) << 20)
            self._send(200, gzip.compress(raw, 9), {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
        elif rest == "redirect-loop":
            self._send(302, b"", {"Location": "/fault/redirect-loop"})
        elif rest == "redirect":
            self._send(int(query.get("status", 302)), b"", {"Location": query.get("to", "/")})
        elif rest.startswith("wrong-charset/"):
            name = rest.removeprefix("wrong-charset/").removesuffix(".html")
            path = AEB_DIR / f"{name}.html"
            if "/" in name or not path.is_file():
                self._send(404, b"", {})
                return
            self._send_cached(path.read_bytes(), "text/html; charset=iso-8859-1")
        elif rest == "html":
            self._send_cached(b"<!DOCTYPE html><html><head><title>Welcome</title></head>"
                              b"<body><h1>Our news site</h1><p>Nothing to see.</p></body></html>", "text/html")
        else:
            self._send(404, b"", {})

    def _hostile(self, rest: str) -> None:
        from tests.support.hostile import route

        route(self, rest, self._query())

    def _huge(self, megabytes: int) -> None:
        """Stream a body without Content-Length (chunked) until the client hangs up or N MB are sent."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<item><title>filler</title></item>" * 2000
        sent, limit = 0, (megabytes << 20) if megabytes else 1 << 40
        while sent < limit and not self.newsroom.stop_stalling.is_set():
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")


def serve() -> Iterator[Newsroom]:
    room = Newsroom().start()
    try:
        yield room
    finally:
        room.close()


@pytest.fixture
def newsroom() -> Iterator[Newsroom]:
    """A running local newsroom on 127.0.0.1 (one per test)."""
    yield from serve()


if __name__ == "__main__":  # python -m tests.support.newsroom: browse it by hand (benchmarks run it so)
    with Newsroom() as room:
        print(f"local newsroom at {room.base} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


def outlet_item(newsroom: Newsroom, path: str, title: str, lead: str, published: str) -> dict[str, str]:
    """A feed item whose text is its lead (the polls that use it do not fetch pages)."""
    return {"title": title, "link": newsroom.url(path), "guid": path, "pubDate": published, "description": lead,
            "content": f"<p>{lead}</p>"}


def serve_outlets(newsroom: Newsroom, folder: Path, items: dict[str, list[dict[str, str]]]) -> None:
    """One outlet per language ("Outlet uk") served, and folder/feeds.toml naming them (pages not fetched)."""
    feeds = ""
    for language, entries in items.items():
        newsroom.put(f"/{language}/feed.xml", rss_feed(f"Outlet {language}", entries))
        feeds += f'[[feeds]]\nname = "Outlet {language}"\nurl = "{newsroom.url(f"/{language}/feed.xml")}"\n\n'
    (folder / "feeds.toml").write_text("[poll]\nfetch_pages = false\n\n" + feeds, encoding="utf-8")
