"""Which webhook URLs may be called: http(s) only, and never loopback, private, link-local or
reserved addresses unless the operator allows them (SSRF protection)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def url_problem(url: str, *, allow_private: bool) -> str | None:
    """Why the URL is refused, or None. Checks the literal host; `resolved_problem` re-checks
    the addresses the name resolves to at delivery time (DNS can change after registration)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "only http and https URLs are allowed"
    host = (parts.hostname or "").lower()
    if not host:
        return "the URL has no host"
    if parts.username or parts.password:
        return "credentials in the URL are not allowed"
    if port == 0:
        return "port 0 is not allowed"
    if allow_private:
        return None
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return "loopback hosts are not allowed"
    try:
        internal = _is_internal(host)
    except ValueError:
        return None  # a DNS name: checked again when it resolves
    return "private, loopback and reserved addresses are not allowed" if internal else None


def resolved_problem(url: str, *, allow_private: bool) -> str | None:
    if allow_private:
        return None
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or 443)
    except OSError as exc:
        return f"cannot resolve host: {exc}"
    if any(_is_internal(str(info[4][0])) for info in infos):
        return "the host resolves to a private or loopback address"
    return None
