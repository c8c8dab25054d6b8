"""Canonical article URLs: one story, one URL, whatever campaign link a feed used."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "ocid", "cmpid", "cmp", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "smid", "smtyp", "sr_share", "at_medium", "at_campaign", "at_custom1", "at_custom2",
    "ref_src", "spm", "guccounter",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "__")


def is_fetchable(url: str | None) -> bool:
    """Only absolute http(s) URLs are ever fetched, stored as article links or opened in a
    browser (never file:, javascript:, data:, ...)."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1/x": not a URL (a traceback in `feeds test` and OPML import)
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _netloc(scheme: str, host: str, port: int | None) -> str:
    """host[:port] with IPv6 literals in brackets and the scheme's default port left out."""
    if ":" in host:
        host = f"[{host}]"
    return host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"


def without_credentials(url: str) -> str:
    """The URL without user:password@ (a feed's links never send credentials)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    try:
        netloc = _netloc(parts.scheme.lower(), parts.hostname or "", parts.port)
    except ValueError:  # an invalid port: keep the host part as written
        netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _unwrap_redirector(url: str) -> str:
    """google.com/url?url=REAL (Google Alerts) -> REAL."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if (host == "google.com" or host.endswith(".google.com")) and parts.path == "/url":
        for key, value in parse_qsl(parts.query):
            if key in ("url", "q") and is_fetchable(value):
                return value
    return url


def canonical_url(link: str | None, base: str | None = None, *, keep_fragment: bool = False) -> str | None:
    """Resolve against base, drop tracking parameters, credentials and the fragment, normalise
    scheme and host; None for anything but an absolute http(s) URL.

    keep_fragment is for feeds whose entries differ only by #anchor (one page, many posts).
    """
    if not link or not link.strip():
        return None
    link = link.strip()
    if base:
        link = urljoin(base, link)
    link = _unwrap_redirector(link)
    if not is_fetchable(link):
        return None  # file:, javascript:, data:, mailto:, relative without a base: no article link
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    try:
        netloc = _netloc(scheme, (parts.hostname or "").lower(), parts.port)  # credentials dropped
    except ValueError:  # a port that is not a number
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), parts.fragment if keep_fragment else ""))


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
