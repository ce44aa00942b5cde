"""Outbound fetches that a feed cannot point at briefbot's own network (SSRF).

A feed is third-party input, and so is every address in it: its redirects and
its episodes' transcript links. Whatever briefbot fetches is ingested and shown
to anyone who searches, so a feed that could make it fetch
``http://localhost/...`` or the cloud metadata address would publish the answer.

So every URL is vetted before each request: the scheme must be http(s), the
host is resolved (off the event loop) and refused if ANY of its addresses is
not public. Then the request goes to the vetted address itself, not the host
name: the name is not resolved a second time, so a DNS server answering a
public address to the check and 127.0.0.1 to the connection (rebinding) is not
followed. The Host header and, for https, the TLS server name (SNI and the
certificate check) still carry the original host name.

What remains: an HTTP proxy configured in the environment (``HTTPS_PROXY``)
sees the vetted address and could be told to go elsewhere, which is the proxy
operator's call; and a DNS answer that changes between two polls is vetted
again each time, as it should be.

``allow_private`` (``BRIEFBOT_FEED_ALLOW_PRIVATE=1``) admits loopback and
private ranges for a home network (and the tests' own feed server on
127.0.0.1). Link-local (169.254.169.254 is where cloud metadata lives),
multicast, unspecified and reserved addresses stay refused even then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field

import httpx

__all__ = ["MAX_REDIRECTS", "Refused", "Vetted", "refusal", "resolve", "vet"]

MAX_REDIRECTS = 5
"""Hops followed per fetch; each is vetted like the first."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Metadata services outside link-local: Alibaba Cloud's and AWS's IPv6 one. A
# home network never needs them, so even allow_private leaves them refused.
_METADATA = (ipaddress.ip_network("100.100.100.200/32"), ipaddress.ip_network("fd00:ec2::254/128"))
# "This network": Linux connects 0.0.0.0 (and friends) to the machine itself.
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HINT = "; BRIEFBOT_FEED_ALLOW_PRIVATE=1 allows loopback and private addresses"


class Refused(Exception):
    """An address briefbot will not fetch; ``str()`` is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Vetted:
    """A URL that passed the check, and how to request it pinned to the vetted address."""

    url: httpx.URL  # the request URL, its host replaced by the vetted address
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


def refusal(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``ip`` may not be fetched from ("a loopback address"), or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 2002:7f00:1:: reach an IPv4 address: judge that one.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:  # DNS64 wraps IPv4 addresses in 64:ff9b::/96
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return "an unspecified address (it means this machine)"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata lives)"
    if any(ip in net for net in _METADATA):
        return "a cloud metadata address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_loopback:  # before "reserved": ::1 sits in the reserved ::/8
        return None if allow_private else "a loopback address (this machine)" + _HINT
    if ip.is_reserved:
        return "a reserved address"
    if allow_private:
        return None
    if ip.is_private:
        return "a private address" + _HINT
    if not ip.is_global:
        return "not a public address" + _HINT
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal IP, in any spelling, included).

    ``loop.getaddrinfo`` runs in the default executor, so a slow DNS server
    never blocks the event loop. Decimal and hex spellings (``2130706433``,
    ``0x7f.1``) come back as the address they mean, so they are judged as that.
    """
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        # An IPv6 address may carry a zone ("fe80::1%eth0"): the zone is not part of it.
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


async def vet(url: str, *, allow_private: bool) -> Vetted:
    """Check ``url`` for a fetch; raise ``Refused`` with the reason, or ``OSError`` if
    its host does not resolve."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as err:
        raise Refused(f"not a valid address ({err})") from None
    if parsed.scheme not in ("http", "https"):
        scheme = f"{parsed.scheme}://" if parsed.scheme else "no scheme"
        raise Refused(f"only http:// and https:// addresses are fetched, not {scheme}")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise Refused("the address has no host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await resolve(host.strip("[]"), port)
    if not addresses:
        raise OSError(f"{host} has no address")
    for ip in addresses:
        reason = refusal(ip, allow_private=allow_private)
        if reason is not None:
            said = f"{ip} is" if host.strip("[]") == str(ip) else f"{host} resolves to {ip},"
            raise Refused(f"{said} {reason}")
    address = addresses[0]
    netloc = parsed.netloc.decode("ascii")  # host[:port], brackets kept for IPv6
    extensions = {}
    if parsed.scheme == "https":
        # The certificate is checked against this name, not against the address.
        extensions["sni_hostname"] = host
    return Vetted(parsed.copy_with(host=str(address)), {"Host": netloc}, extensions)
