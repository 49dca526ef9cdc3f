"""Add a source by URL, safely: the server fetches only what an instructor could fetch anyway.

``fetch_url(url) -> Fetched`` refuses, with a ``SourceError`` naming the URL and the reason:
* schemes other than http/https, and URLs with user:password;
* hosts that resolve to private, loopback, link-local, multicast, reserved or unspecified
  addresses (10.x, 127.x, 169.254.x, ::1, fc00::/7, ...) unless ``allow_private=True`` (or
  ``TEACHBACK_FETCH_ALLOW_PRIVATE=1``, or a set of allowed addresses). The check runs on
  every redirect hop, and the connection goes to the very address that was checked (no
  second DNS lookup to race);
* more than ``max_redirects`` redirects;
* a status of 400 or more (an HTML error page is not a source);
* bodies larger than ``max_bytes`` (refused from Content-Length up front, else stopped while
  streaming, as soon as the limit is passed);
* answers slower than ``timeout`` seconds in total (each socket wait is bounded too).

Nothing fetched is executed; the bytes go to the readers like any uploaded file. Not handled:
proxies (``HTTP(S)_PROXY`` are ignored on purpose) and authentication.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from teachback.errors import SourceError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
CHUNK = 64 * 1024
_EXT_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "application/x-ipynb+json": ".ipynb",
    "application/zip": ".zip",
}


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    name: str  # a file name for the readers (extension from the URL or Content-Type)
    content_type: str
    data: bytes


def _allowed_by_env() -> bool:
    return os.environ.get("TEACHBACK_FETCH_ALLOW_PRIVATE", "") in {"1", "true", "yes"}


def is_public_address(ip: str) -> bool:
    """False for private, loopback, link-local, multicast, reserved and unspecified addresses.

    >>> [is_public_address(a) for a in ("93.184.216.34", "127.0.0.1", "10.1.2.3", "::1")]
    [True, False, False, False]
    """
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_global and not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    )


def resolve(url: str, host: str, port: int, *, allow_private: bool | Collection[str]) -> str:
    """The address to connect to for ``host``; refuses non-public ones unless allowed.

    ``allow_private`` is True (allow all), False, or a collection of addresses that are allowed
    even though they are private (e.g. ``{"127.0.0.1"}`` for a test server).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise SourceError(url, f"cannot resolve host {host!r} ({err})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise SourceError(url, f"cannot resolve host {host!r}")
    if allow_private is not True:
        allowed = set(allow_private or ())
        bad = [a for a in addresses if not is_public_address(a) and a not in allowed]
        if bad:
            raise SourceError(
                url,
                f"refused: {host} resolves to a private or local address ({bad[0]}); "
                "fetching those is disabled",
            )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an already-checked address, with ``Host`` set to the name."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _name_for(url: str, content_type: str) -> str:
    path = unquote(urlsplit(url).path)
    base = Path(path).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:100].strip("._") or "page"
    ext = _EXT_BY_TYPE.get(content_type)
    if Path(base).suffix:
        return base
    return base + (ext or ".html")


def _checked_target(original: str, url: str) -> tuple:
    """``(parts, port)`` of a URL that may be fetched: http(s), a host, no credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError(original, f"only http and https URLs can be added, not {url!r}")
    if not parts.hostname:
        raise SourceError(original, "the URL has no host")
    if parts.username or parts.password:
        raise SourceError(original, "URLs with a user name or password are not accepted")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise SourceError(original, "the URL has an invalid port") from None
    return parts, port


def _read_body(conn, resp, original: str, deadline: float, timeout: float, max_bytes: int):
    """The response body, read in chunks so the size limit and the deadline hold as it comes."""
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SourceError(original, f"timed out after {timeout:g} s")
        if conn.sock is not None:
            conn.sock.settimeout(left)
        chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(
                original, f"too large: more than {max_bytes} bytes (download stopped)"
            )
        chunks.append(chunk)


def _check_answer(resp, original: str, max_bytes: int) -> str:
    """The content type of a response that may be read (no error page, not announced too
    large)."""
    if resp.status >= 400:
        raise SourceError(
            original, f"the server answered {resp.status} {resp.reason} (an error page)"
        )
    ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
    length = resp.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise SourceError(
            original, f"too large: {int(length)} bytes, the limit is {max_bytes} bytes"
        )
    return ctype


def fetch_url(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = 5,
    allow_private: bool | Collection[str] | None = None,
) -> Fetched:
    """Download ``url`` within the limits above; raises ``SourceError`` naming the URL."""
    allow = _allowed_by_env() if allow_private is None else allow_private
    original = url = (url or "").strip()
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        parts, port = _checked_target(original, url)
        ip = resolve(original, parts.hostname, port, allow_private=allow)
        left = deadline - time.monotonic()
        if left <= 0:
            raise SourceError(original, f"timed out after {timeout:g} s")
        cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        conn = cls(parts.hostname, port, ip, timeout=min(left, timeout))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(
                "GET",
                target,
                headers={"User-Agent": "teachback", "Accept-Encoding": "identity"},
            )
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise SourceError(original, f"redirect {resp.status} without a Location")
                url = urljoin(url, location)
                continue
            ctype = _check_answer(resp, original, max_bytes)
            data = _read_body(conn, resp, original, deadline, timeout, max_bytes)
            return Fetched(url=url, name=_name_for(url, ctype), content_type=ctype, data=data)
        except TimeoutError:
            raise SourceError(original, f"timed out after {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as err:
            raise SourceError(original, f"download failed ({err})") from None
        finally:
            conn.close()
    raise SourceError(original, f"more than {max_redirects} redirects")


def save_fetched(fetched: Fetched, folder: str | Path) -> Path:
    """Write a download into ``folder`` under a safe, unused name; returns the path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / fetched.name
    stem, suffix, n = path.stem, path.suffix, 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    path.write_bytes(fetched.data)
    return path
