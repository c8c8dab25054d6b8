"""Which addresses a request may reach: the rule against feeds that point us at internal hosts.

A feed's content (article links, redirects, permanent moves) is written by whoever runs the
feed's server, not by the analyst. Such a URL may not reach loopback, private, link-local,
multicast, unspecified or otherwise non-global addresses, checked on the addresses its host
name resolves to (and again on every redirect): only the feed's own origin (scheme, host,
port), which the analyst chose, and the networks listed in `[poll] allow_addresses` are
exempt. The addresses that passed are the ones connected to (see monitor.ingest.transport),
so a name cannot resolve to a public address for the check and a private one for the
connection.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

from monitor.errors import MonitorError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Origin = tuple[str, str, int]  # scheme, host (lower case, no brackets), port
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(MonitorError):
    """A URL from a feed's content leads to an address the policy refuses."""


class Unresolved(AddressRefused):
    """The host has no address at all (the name does not resolve): every URL on it fails alike."""


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """`allow_addresses` entries ("10.0.0.0/8", "192.168.1.20", "fd00::/8"); ValueError names a bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {value!r}") from None
    return tuple(networks)


def _embedded_v4(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def address_kind(address: IPAddress) -> str | None:
    """What makes an address internal ("loopback", "private", ...), or None for a global one."""
    address = _embedded_v4(address)
    for kind, flag in (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
                       ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                       ("private", address.is_private), ("reserved", address.is_reserved)):
        if flag:
            return kind
    return None if address.is_global else "reserved"


@dataclass(frozen=True)
class AddressPolicy:
    """The internal addresses allowed anyway (`[poll] allow_addresses`)."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_config(cls, allow_addresses: Iterable[str]) -> AddressPolicy:
        return cls(parse_networks(allow_addresses))

    def refusal(self, address: str) -> str | None:
        """Why `address` may not be reached ("a loopback address"), or None when it may."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
        kind = address_kind(ip)
        if kind is None or any(_embedded_v4(ip) in net or ip in net for net in self.allowed):
            return None
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"


def origin_of(url: str) -> Origin | None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class Permit:
    """What one fetch may reach: its trusted origin anywhere, everything else by the policy."""

    trusted: Origin | None
    policy: AddressPolicy

    def trusts(self, scheme: str, host: str, port: int | None) -> bool:
        scheme = scheme.lower()
        origin = (scheme, host.lower().rstrip("."), port or _DEFAULT_PORTS.get(scheme, 0))
        return self.trusted is not None and origin == self.trusted


@dataclass(frozen=True)
class Pinned:
    """The checked addresses a connection to host:port must use."""

    host: str
    port: int
    addresses: tuple[str, ...]


current_permit: ContextVar[Permit | None] = ContextVar("monitor_permit", default=None)
current_pin: ContextVar[Pinned | None] = ContextVar("monitor_pin", default=None)


def literal_address(host: str) -> str | None:
    """The address when `host` is an IP literal ("127.0.0.1", "::1"), else None."""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        return None


def permit_to_check(scheme: str, host: str, port: int | None) -> Permit | None:
    """The permit a request must pass (every redirect hop asks), or None: no permit was given
    for this fetch, or the URL is on its trusted origin."""
    permit = current_permit.get()
    if permit is None or permit.trusts(scheme, host, port):
        return None
    return permit


def addresses_to_pin(host: str, port: int, resolved: Iterable[str], policy: AddressPolicy) -> Pinned:
    """The resolved addresses the policy allows; AddressRefused when there is none."""
    found = list(dict.fromkeys(resolved))
    allowed = tuple(a for a in found if policy.refusal(a) is None)
    if not allowed:
        if not found:
            raise Unresolved(f"{host} has no address")
        named = found[0] if found[0] == host else f"{host} ({found[0]})"
        raise AddressRefused(f"refused {named}: {policy.refusal(found[0])}, not the feed's own site "
                             "(allow it with [poll] allow_addresses)")
    return Pinned(host, port, allowed)


def resolve(host: str, port: int) -> list[str]:
    """getaddrinfo's addresses for host:port (blocking)."""
    literal = literal_address(host)
    if literal:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unresolved(f"cannot resolve {host}: {exc}") from None
    return [str(info[4][0]) for info in infos]


async def resolve_async(host: str, port: int) -> list[str]:
    """The same on the running event loop (getaddrinfo in its default executor)."""
    literal = literal_address(host)
    if literal:
        return [literal]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unresolved(f"cannot resolve {host}: {exc}") from None
    return [str(info[4][0]) for info in infos]
