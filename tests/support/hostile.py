"""Hostile routes of the local newsroom (`/hostile/...`), as an attacker's server would answer,
and `intranet`: a second server on 127.0.0.1 that no feed content may reach.

Routes (all GET):
  /hostile/bomb?layers=2&mb=1024&type=rss   zeros gzip-compressed `layers` times (a 1 GB body in
                                             about 2 KB with two layers), `Content-Encoding: gzip, gzip`
  /hostile/trickle-headers?seconds=60        a status line, then one header byte a second
  /hostile/continue?seconds=60               `100 Continue` interim responses, five a second, for ever
  /hostile/layers?encoding=gzip,deflate      a small valid feed encoded in those layers (first applied first)
"""
from __future__ import annotations

import functools
import gzip
import struct
import time
import zlib
from typing import Any, Iterator

import pytest

from tests.support.newsroom import Newsroom, rss_feed, serve

_TYPES = {"rss": "application/rss+xml", "html": "text/html; charset=utf-8"}


@functools.lru_cache(maxsize=4)
def bomb(megabytes: int, layers: int) -> bytes:
    """`megabytes` MB of zeros, gzip-compressed `layers` times, built in about a second: once the
    compressor's window is all zeros, each further MB (ended by a sync flush) compresses to the
    same bytes, so the inner stream is those bytes repeated, with the right CRC and length."""
    zeros = b"\0" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeated = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    last = packer.compress(zeros) + packer.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    body = first + repeated * (megabytes - 2) + last[:-8] + struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    for _ in range(layers - 1):
        body = gzip.compress(body, 9)
    return body


def encode(body: bytes, encoding: str) -> bytes:
    for token in [t.strip() for t in encoding.split(",") if t.strip()]:
        body = gzip.compress(body) if token == "gzip" else zlib.compress(body)
    return body


SMALL_FEED = rss_feed("Layered", [{"title": "Layered story", "guid": "layered-1", "link": "http://news.example/l1",
                                   "description": "Decoded through every layer."}])


def route(handler: Any, rest: str, query: dict[str, str]) -> None:
    """Answer one /hostile/ request on the newsroom's handler."""
    room: Newsroom = handler.newsroom
    if rest == "bomb":
        layers, megabytes = int(query.get("layers", 2)), int(query.get("mb", 1024))
        handler._send(200, bomb(megabytes, layers), {"Content-Type": _TYPES[query.get("type", "rss")],
                                                     "Content-Encoding": ", ".join(["gzip"] * layers)})
    elif rest == "layers":
        encoding = query.get("encoding", "gzip, gzip")
        handler._send(200, encode(SMALL_FEED, encoding), {"Content-Type": _TYPES["rss"],
                                                          "Content-Encoding": encoding})
    elif rest == "trickle-headers":
        handler._answered()
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        handler.wfile.flush()
        for byte in _for(room, float(query.get("seconds", 60)), 1.0, b"X-Slow: " + b"a" * 1000):
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        handler.close_connection = True
    elif rest == "continue":
        handler._answered()
        for _ in _for(room, float(query.get("seconds", 60)), 0.2, range(1 << 30)):
            handler.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            handler.wfile.flush()
        handler.close_connection = True
    else:
        handler._send(404, b"", {})


def _for(room: Newsroom, seconds: float, pause: float, items: Any) -> Iterator[Any]:
    """`items` one per `pause` seconds, until `seconds` have passed or the newsroom closes."""
    end = time.monotonic() + seconds
    for item in items:
        if time.monotonic() > end or room.stop_stalling.wait(pause):
            return
        yield item


@pytest.fixture
def intranet() -> Iterator[Newsroom]:
    """A second local server, standing for an internal service: feed content names it, the
    poller must never request anything from it (`intranet.requests` stays empty)."""
    yield from serve()
