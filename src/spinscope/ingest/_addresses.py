"""Which addresses a URL given by a user may reach (``ingest/url.py`` checks every one it
connects to): global addresses only, unless the operator allows private ones."""

from __future__ import annotations

import ipaddress
import os

ALLOW_PRIVATE_ENV = "SPINSCOPE_ALLOW_PRIVATE_URLS"
# Most specific first: 169.254.0.0/16 is both link-local and private; "link-local" says more.
_BLOCKED_KINDS = ("loopback", "link_local", "unspecified", "multicast", "reserved", "private")
# IPv6 ranges that carry an IPv4 address in their low 32 bits (NAT64, RFC 6052), or tunnel to
# somewhere this check cannot see (local-use NAT64, RFC 8215; Teredo, RFC 4380).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_TEREDO = ipaddress.ip_network("2001::/32")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def private_urls_allowed(allow_private: bool = False) -> bool:
    """True if private addresses may be fetched: by argument or by the operator's env variable."""
    flag = os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower()
    return allow_private or flag in {"1", "true", "yes", "on"}


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched (e.g. ``"loopback"``), or None for a global address.
    IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4 address they carry."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip in _NAT64_LOCAL:
            return "local-use NAT64"
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in _TEREDO:
            return "Teredo"
    for kind in _BLOCKED_KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-global"


__all__ = ["ALLOW_PRIVATE_ENV", "IPAddress", "blocked_reason", "private_urls_allowed"]
