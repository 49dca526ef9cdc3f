"""Which address a join link uses: the one learners can reach, not the teacher's ``localhost``.

``join_base`` is pure (the configured public URL, the address the teacher's browser used and
this machine's network address in; a base URL and a note for the teacher out). ``lan_address``
asks the operating system which local address it would use for an outgoing route; no packet
is sent. Not handled: proxies that rewrite paths (configure the public URL for those).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

HOW_TO_SET = (
    "set TEACHBACK_PUBLIC_URL, `teachback serve --public-url URL`, or `public_url` under "
    "[server] in teachback.toml"
)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def join_base(configured: str, request_url: str, lan_host: str | None) -> tuple[str, str]:
    """``(base URL, note)`` for join links.

    >>> join_base("", "http://localhost:8501/classroom", "192.168.1.20")[0]
    'http://192.168.1.20:8501'
    >>> join_base("https://class.example.org/", "http://localhost:8501/", None)
    ('https://class.example.org', '')
    """
    if configured:
        return configured.rstrip("/"), ""
    parts = urlsplit(request_url or "")
    scheme, host, port = parts.scheme or "http", parts.hostname or "", parts.port
    if host and not _is_loopback(host):
        return f"{scheme}://{parts.netloc}", ""  # the teacher reached it over the network too
    suffix = f":{port}" if port else ""
    if lan_host and not _is_loopback(lan_host):
        return f"{scheme}://{lan_host}{suffix}", (
            "This is this computer's address on the local network; if learners reach the "
            f"server another way, {HOW_TO_SET}."
        )
    return f"{scheme}://{host or 'localhost'}{suffix}", (
        f"Only this computer can open this link (no network address found): {HOW_TO_SET}."
    )


def lan_address() -> str | None:
    """This machine's address on its default route (a UDP ``connect`` sends nothing), else
    None when it has no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only looked up
            host = s.getsockname()[0]
        except OSError:
            return None
    return None if _is_loopback(host) or host == "0.0.0.0" else host
