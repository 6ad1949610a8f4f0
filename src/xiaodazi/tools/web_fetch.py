"""Fetching a URL safely: the SSRF guard, size and time caps, charset detection, HTML → Markdown.

The guard resolves the host itself, refuses any non-public address, and then connects to the
very address it checked (the Host header and TLS name stay the original host), so a DNS answer
that changes between check and connect cannot slip a private address in. Every redirect hop is
checked the same way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from xiaodazi.core.tools import ToolFailed, ToolRetry

MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; xiaodazi/0.1; +local agent)"
# gb2312 pages routinely use GBK-only characters; gb18030 is a superset of both.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
# NAT64 embeds an IPv4 address in the low 32 bits; check that address too.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(ToolFailed):
    """The URL points at this machine or a private network and the user has not allowed that."""

    code = "blocked_address"


@dataclass
class Fetched:
    """A fetched body (possibly cut at the size cap) and what the server said about it."""

    url: str
    status: int
    content_type: str
    body: bytes
    truncated: bool


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for public unicast addresses (not loopback, private, link-local, multicast, reserved)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_allowed(ip.ipv4_mapped)
        if ip in NAT64:
            return address_allowed(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return ip.is_global and not ip.is_multicast


def _blocked(url: str, why: str) -> BlockedAddress:
    return BlockedAddress(
        f"拒绝访问 {url}：{why}（可在设置中允许访问本机/内网地址）/ "
        f"refused {url}: {why} (allow local/private addresses in settings to fetch it)",
        url=url,
    )


AddressFilter = Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool]


async def resolve_checked(url: httpx.URL, allowed: AddressFilter) -> list[str]:
    """The IPs to try for `url`, in resolver order; BlockedAddress when any of them is not allowed."""
    if url.scheme not in ("http", "https"):
        raise _blocked(str(url), f"scheme {url.scheme or '(none)'!r} is not http/https")
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
    if not host:
        raise ToolRetry(f"URL has no host: {url}")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ToolFailed(f"无法解析域名 {host} / cannot resolve {host}: {exc}") from exc
    ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    bad = [str(ip) for ip in ips if not allowed(ip)]
    if bad:
        raise _blocked(str(url), f"{host} resolves to non-public address {bad[0]}")
    return list(dict.fromkeys(str(ip) for ip in ips))


def _pinned_request(client: httpx.AsyncClient, url: httpx.URL, ip: str) -> httpx.Request:
    """A GET to the checked IP that still presents the original host name (Host header, TLS SNI)."""
    host_header = url.netloc.decode("ascii")
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    return client.build_request(
        "GET", url.copy_with(host=ip), headers={"Host": host_header}, extensions=extensions
    )


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


async def _connect(client: httpx.AsyncClient, url: httpx.URL, ips: list[str]) -> httpx.Response:
    """Send to the checked addresses in turn (e.g. ::1 refused, 127.0.0.1 listening)."""
    for ip in ips[:-1]:
        try:
            return await client.send(_pinned_request(client, url, ip), stream=True)
        except httpx.ConnectError:
            continue
    return await client.send(_pinned_request(client, url, ips[-1]), stream=True)


async def _follow(client: httpx.AsyncClient, url: str, allowed: AddressFilter, max_bytes: int) -> Fetched:
    current = httpx.URL(url)
    for _hop in range(MAX_REDIRECTS + 1):
        response = await _connect(client, current, await resolve_checked(current, allowed))
        try:
            if response.is_redirect and "location" in response.headers:
                current = current.join(response.headers["location"])
                continue
            body, truncated = await _read_capped(response, max_bytes)
        finally:
            await response.aclose()
        ctype = response.headers.get("content-type", "")
        return Fetched(str(current), response.status_code, ctype, body, truncated)
    raise ToolFailed(f"too many redirects (>{MAX_REDIRECTS}) from {url}")


async def fetch(
    url: str, *, allow_private: bool, max_bytes: int = 5_000_000, timeout: float = 20.0,
    allowed: AddressFilter | None = None,
) -> Fetched:
    """GET `url` through the SSRF guard, following checked redirects, within size and time caps.

    `allowed` overrides the address rule (public only, or anything when `allow_private`).
    """
    allowed = allowed or ((lambda _ip: True) if allow_private else address_allowed)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain,*/*;q=0.8"}
    try:
        async with httpx.AsyncClient(headers=headers, timeout=timeout, follow_redirects=False) as client:
            return await asyncio.wait_for(_follow(client, url, allowed, max_bytes), timeout)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise ToolFailed(f"请求超时 / timed out after {timeout:.0f}s: {url}") from exc
    except httpx.HTTPError as exc:
        raise ToolFailed(f"无法获取 / could not fetch {url}: {exc}") from exc


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)


def _declared_charset(content_type: str, body: bytes) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", content_type, re.I)
    if match:
        return match.group(1)
    meta = _META_CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii") if meta else None


def decode_body(body: bytes, content_type: str = "") -> str:
    """Text of a page: the declared charset when it decodes cleanly, else a detected one."""
    declared = _declared_charset(content_type, body)
    if declared:
        charset = CHARSET_ALIASES.get(declared.lower(), declared)
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detect instead
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", errors="replace")


_NOISE = ("//script|//style|//noscript|//template|//iframe|//svg|//form|//nav|//aside"
          "|//header[not(ancestor::article or ancestor::main)]|//footer[not(ancestor::article or ancestor::main)]")


def _main_html(html: str) -> tuple[str, str | None]:
    """Title and the page's <main>/<article> with page furniture removed (None when it has neither)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):  # e.g. an XML declaration inside a str
        tree = lxml_html.fromstring(html.encode("utf-8", errors="replace"))
    title = (tree.findtext(".//title") or "").strip()
    for element in tree.xpath(_NOISE):
        element.drop_tree()
    main = tree.xpath("//main|//article|//*[@role='main']")
    return title, lxml_html.tostring(main[0], encoding="unicode") if main else None


def _readable_html(html: str) -> str:
    """The main text block of a page without semantic markup, by readability's scoring."""
    from readability import Document

    try:
        return Document(html).summary(html_partial=True)
    except Exception:  # readability gives up on some odd pages; the whole page is still useful
        return html


def html_to_markdown(html: str) -> tuple[str, str]:
    """Title and main content of an HTML page as Markdown (boilerplate, scripts and styles removed).

    Pages that mark their content with <main>/<article> are taken as they say (readability's
    scoring drops short lists there); others go through readability.
    """
    from markdownify import markdownify

    title, main = _main_html(html)
    body = main if main is not None else _readable_html(html)
    text = markdownify(body, heading_style="ATX", strip=["script", "style", "img"])
    text = re.sub(r"[ \t]+\n", "\n", text)
    return title, re.sub(r"\n{3,}", "\n\n", text).strip()
