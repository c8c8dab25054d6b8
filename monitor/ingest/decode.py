"""Content-Encoding with a hard budget: every layer inflates a bounded step at a time.

httpx's own decoders inflate each received chunk whole: a 2 KB `Content-Encoding: gzip, gzip`
response became 2 GB before any size cap could look at it. Here each layer (gzip, deflate,
identity) is a `zlib.decompressobj` asked for at most STEP bytes per call, the layers are
chained lazily, and the caller counts the decoded bytes as they come out: no more than a
few STEPs per layer are ever held, whatever the ratio.
"""
from __future__ import annotations

import zlib
from typing import Iterable, Iterator, Protocol

from monitor.errors import MonitorError

STEP = 64 * 1024  # the most one layer produces per call
MAX_LAYERS = 4  # more Content-Encoding layers than this is no honest server


class DecodingFailed(MonitorError):
    """The body is not what its Content-Encoding says, or uses one we do not decode."""


class TooLarge(MonitorError):
    """The decoded body passed the size cap (raised while it is being produced)."""


class _Layer(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), STEP):
            yield data[start:start + STEP]

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (several members too) or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, gzip: bool):
        self.gzip = gzip
        self.inflater: zlib._Decompress | None = None
        self.members = 0  # gzip members completed: junk after the first is ignored, as gzip(1) does
        self.done = False

    def _new(self, first: bytes) -> zlib._Decompress:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self.done:
            if self.inflater is None or (self.inflater.eof and self.gzip):
                if self.inflater is not None and not data.strip(b"\0"):
                    return  # zero padding after the last gzip member
                self.inflater = self._new(data)
            elif self.inflater.eof:
                return  # bytes after the end of a deflate stream: ignored, as zlib does
            try:
                out = self.inflater.decompress(data, STEP)
            except zlib.error as exc:
                if self.members:
                    self.done = True  # trailing junk after a whole gzip member
                    return
                raise DecodingFailed(f"invalid {'gzip' if self.gzip else 'deflate'} data: {exc}") from None
            if self.inflater.eof:
                self.members += 1
            data = self.inflater.unconsumed_tail or self.inflater.unused_data
            if out:
                yield out
            elif not self.inflater.eof and not self.inflater.unconsumed_tail:
                return  # all input taken, waiting for more

    def finish(self) -> Iterator[bytes]:
        if self.inflater is None or self.done:
            return
        while not self.inflater.eof:  # output zlib still holds, a STEP at a time
            try:
                out = self.inflater.decompress(b"", STEP)
            except zlib.error as exc:
                raise DecodingFailed(f"invalid {'gzip' if self.gzip else 'deflate'} data: {exc}") from None
            if not out:
                break  # a truncated stream: keep what came, as httpx does
            yield out


def _layer(token: str) -> _Layer:
    if token in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if token == "deflate":
        return _Zlib(gzip=False)
    if token in ("identity", "none", ""):
        return _Identity()
    raise DecodingFailed(f"unsupported Content-Encoding {token!r}")


def layers_for(content_encoding: str | None) -> list[_Layer]:
    """The decoders for a Content-Encoding header, outermost (applied last) first."""
    tokens = [t.strip().lower() for t in (content_encoding or "").split(",")]
    tokens = [t for t in tokens if t not in ("identity", "none", "")]
    if len(tokens) > MAX_LAYERS:
        raise DecodingFailed(f"more than {MAX_LAYERS} Content-Encoding layers")
    return [_layer(t) for t in reversed(tokens)]


class BoundedDecoder:
    """Raw body chunks in, decoded chunks out, raising TooLarge as soon as more than
    `max_bytes` decoded bytes have been produced."""

    def __init__(self, content_encoding: str | None, max_bytes: int):
        self.layers = layers_for(content_encoding)
        self.max_bytes = max_bytes
        self.size = 0

    def _through(self, pieces: Iterable[bytes], depth: int) -> Iterator[bytes]:
        if depth == len(self.layers):
            yield from pieces
            return
        layer = self.layers[depth]
        for piece in pieces:
            yield from self._through(layer.feed(piece), depth + 1)

    def _count(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self.size += len(piece)
            if self.size > self.max_bytes:
                raise TooLarge()
            yield piece

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of one raw chunk, produced lazily (stop reading to stop inflating)."""
        return self._count(self._through((raw,), 0))

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold once the body has ended, innermost last."""
        return self._count(self._finish(0))

    def _finish(self, depth: int) -> Iterator[bytes]:
        if depth == len(self.layers):
            return
        yield from self._through(self.layers[depth].finish(), depth + 1)
        yield from self._finish(depth + 1)
