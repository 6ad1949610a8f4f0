#!/usr/bin/env python3
"""Step-by-step, read-only connectivity check of one host or URL, ending in a likely cause.

Steps: proxy settings, local address and gateway, DNS (system resolver or a given DNS server), raw reachability of
reference addresses, TCP connect, HTTP request and an optional download speed measurement.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import ssl
import struct
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

DEFAULT_REFERENCES = ["223.5.5.5:53", "1.1.1.1:443"]  # AliDNS and Cloudflare: reachable by IP, no DNS needed
RCODES = {1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def split_hostport(text: str, default_port: int) -> tuple[str, int]:
    host, _, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    return (host or text), int(port) if port else default_port


def dns_query(name: str, server: str, port: int, timeout: float) -> dict:
    """Ask one DNS server for A records of `name` over UDP (our own tiny client, no resolver cache)."""
    qid = random.randrange(65536)
    qname = b"".join(bytes([len(p)]) + p.encode("idna") for p in name.rstrip(".").split(".")) + b"\0"
    packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", 1, 1)
    start = time.perf_counter()
    with socket.socket(socket.AF_INET6 if ":" in server else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(packet, (server, port))
            data = s.recv(4096)
        except TimeoutError:
            return {"ok": False, "error": f"DNS server {server} did not answer within {timeout} s", "ms": ms(start)}
        except OSError as exc:
            return {"ok": False, "error": f"DNS server {server} unreachable: {exc.strerror or exc}", "ms": ms(start)}
    _rid, flags, _qd, ancount, _ns, _ar = struct.unpack(">HHHHHH", data[:12])
    if flags & 0xF:
        return {"ok": False, "error": f"DNS answer {RCODES.get(flags & 0xF, flags & 0xF)} for {name}",
                "rcode": RCODES.get(flags & 0xF, str(flags & 0xF)), "ms": ms(start)}
    return {"ok": True, "addresses": _a_records(data, len(packet), ancount), "server": server, "ms": ms(start)}


def _a_records(data: bytes, offset: int, count: int) -> list[str]:
    out = []
    for _ in range(count):
        while data[offset] and data[offset] < 0xC0:  # skip an uncompressed name
            offset += data[offset] + 1
        offset += 2 if data[offset] >= 0xC0 else 1
        rtype, _cls, _ttl, rdlen = struct.unpack(">HHIH", data[offset : offset + 10])
        offset += 10
        if rtype == 1 and rdlen == 4:
            out.append(socket.inet_ntoa(data[offset : offset + 4]))
        offset += rdlen
    return out


def resolve(host: str, nameserver: str | None, timeout: float) -> dict:
    """Addresses of `host`: literal IPs pass, else the given DNS server or the system resolver."""
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        return {"ok": True, "addresses": [host], "note": "an IP address, no DNS needed"}
    except OSError:
        pass
    if nameserver:
        server, port = split_hostport(nameserver, 53)
        return dns_query(host, server, port, timeout)
    start = time.perf_counter()
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        return {"ok": False, "error": f"system resolver could not find {host}: {exc.strerror}", "ms": ms(start)}
    return {"ok": True, "addresses": list(dict.fromkeys(i[4][0] for i in infos)), "server": "system", "ms": ms(start)}


def tcp(ip: str, port: int, timeout: float) -> dict:
    """Open and close one TCP connection."""
    start = time.perf_counter()
    try:
        socket.create_connection((ip, port), timeout=timeout).close()
        return {"ok": True, "ms": ms(start)}
    except ConnectionRefusedError:
        return {"ok": False, "error": "connection refused", "kind": "refused", "ms": ms(start)}
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {timeout} s", "kind": "timeout", "ms": ms(start)}
    except OSError as exc:
        return {"ok": False, "error": exc.strerror or str(exc), "kind": "unreachable", "ms": ms(start)}


def http_probe(url: urllib.parse.SplitResult, ip: str, timeout: float, download: bool) -> dict:
    """GET the URL over a connection to `ip`, keeping the real host name for Host and TLS."""
    port = url.port or (443 if url.scheme == "https" else 80)
    start = time.perf_counter()
    try:
        sock = socket.create_connection((ip, port), timeout=timeout)
        if url.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=url.hostname)
        conn = http.client.HTTPConnection(url.hostname, port, timeout=timeout)
        conn.sock = sock
        conn.request("GET", (url.path or "/") + (f"?{url.query}" if url.query else ""),
                     headers={"User-Agent": "xiaodazi-netcheck/1", "Accept": "*/*"})
        resp = conn.getresponse()
        first = ms(start)
        body = resp.read(50 * 1024**2 if download else 64 * 1024)
        total = time.perf_counter() - start
        conn.close()
    except ssl.SSLError as exc:
        return {"ok": False, "error": f"TLS failed: {exc.reason or exc}", "kind": "tls", "ms": ms(start)}
    except (OSError, http.client.HTTPException) as exc:
        return {"ok": False, "error": str(exc) or type(exc).__name__, "kind": "http", "ms": ms(start)}
    out = {"ok": resp.status < 500, "status": resp.status, "first_byte_ms": first, "bytes": len(body)}
    if download and total > 0:
        out["mbit_per_s"] = round(len(body) * 8 / total / 1e6, 2)
    return out


def local_info(probe_ip: str) -> dict:
    """This machine's outgoing address (UDP connect sends nothing) and the Linux default gateway."""
    info: dict = {"hostname": socket.gethostname()}
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((probe_ip, 9))
            info["local_ip"] = s.getsockname()[0]
    except OSError as exc:
        info["local_ip"] = None
        info["error"] = f"no route: {exc.strerror or exc}"
    route = Path("/proc/net/route")
    if route.exists():
        for line in route.read_text().splitlines()[1:]:
            f = line.split()
            if f[1] == "00000000":
                info["gateway"] = socket.inet_ntoa(struct.pack("<L", int(f[2], 16)))
                info["interface"] = f[0]
    return info


def proxies() -> dict:
    """Proxy settings the system and environment give to programs."""
    found = {k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https", "all", "no")}
    return {"configured": bool(set(found) - {"no"}), "proxies": found}


def diagnose(steps: dict) -> dict:
    """The most likely cause, from the first failing step (pure function; tests feed it step results)."""
    refs_ok = any(r["ok"] for r in steps.get("references", [])) if steps.get("references") else None
    dns, conn, web = steps.get("dns", {}), steps.get("tcp", {}), steps.get("http")
    if not steps.get("local", {}).get("local_ip") and refs_ok is False:
        return _cause("no_network", "本机没有可用的网络连接（网线/Wi-Fi 未连上或没有获取到地址）",
                      "This computer has no working network connection (cable/Wi-Fi down or no address).")
    if not dns.get("ok", True):
        if refs_ok is False:
            return _cause("no_internet", "连不上外网：连 IP 地址都不通，问题在路由器/宽带，不只是 DNS",
                          "No internet at all: even plain IP addresses are unreachable (router or line).")
        return _cause("dns", f"DNS 解析失败（{dns.get('error')}）；网络本身是通的。可换 DNS（如 223.5.5.5 / 119.29.29.29）或检查域名拼写",
                      f"DNS failed ({dns.get('error')}) while the network works: check the name or switch DNS server.")
    if conn and not conn.get("ok"):
        if conn.get("kind") == "refused":
            return _cause("port_closed", "目标主机在线但该端口拒绝连接：服务没启动或端口不对",
                          "The host answers but refuses the port: the service is down or the port is wrong.")
        if refs_ok is False:
            return _cause("no_internet", "外网整体不通（参考地址也连不上）", "The internet is unreachable (references fail too).")
        return _cause("blocked", "连接超时：可能被防火墙/代理/运营商拦截，或对方服务器宕机",
                      "Connection timed out: a firewall, proxy or the ISP may block it, or the server is down.")
    if web and not web.get("ok"):
        if web.get("kind") == "tls":
            return _cause("tls", "TLS/证书错误：检查系统时间、代理或证书", "TLS/certificate problem: check the clock, proxy or certificate.")
        return _cause("server", f"服务器有响应但出错（{web.get('status') or web.get('error')}）：问题在网站一侧",
                      f"The server answers with an error ({web.get('status') or web.get('error')}): the site has a problem.")
    if steps.get("proxy", {}).get("configured") and refs_ok is False:
        return _cause("proxy", "设置了代理且直连不通：检查代理软件是否在运行", "A proxy is set and direct access fails: check the proxy app.")
    return _cause("ok", "各步骤都正常，网络对该目标可用", "Every step passed; this target is reachable.")


def _cause(code: str, zh: str, en: str) -> dict:
    return {"cause": code, "explanation_zh": zh, "explanation_en": en}


def check(target: str, port: int | None, nameserver: str | None, refs: list[str], timeout: float, download: bool) -> dict:
    """Run every step against one target and add the diagnosis."""
    url = urllib.parse.urlsplit(target if "://" in target else f"//{target}")
    host = url.hostname or target
    port = port or url.port or (443 if url.scheme == "https" else 80)
    steps: dict = {"target": target, "host": host, "port": port, "proxy": proxies()}
    ref_pairs = [split_hostport(r, 443) for r in refs]
    steps["local"] = local_info(ref_pairs[0][0] if ref_pairs else "223.5.5.5")
    steps["references"] = [{"address": f"{h}:{p}", **tcp(h, p, timeout)} for h, p in ref_pairs]
    steps["dns"] = resolve(host, nameserver, timeout)
    if steps["dns"]["ok"] and steps["dns"]["addresses"]:
        ip = steps["dns"]["addresses"][0]
        steps["tcp"] = {"address": f"{ip}:{port}", **tcp(ip, port, timeout)}
        if steps["tcp"]["ok"] and url.scheme in ("http", "https"):
            steps["http"] = http_probe(url, ip, timeout, download)
    steps["diagnosis"] = diagnose(steps)
    steps["ok"] = steps["diagnosis"]["cause"] == "ok"
    return steps


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the target is reachable, 1 when a step failed (the diagnosis says which), 2 on bad input."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check one host or URL step by step")
    c.add_argument("target", help="host name, IP or URL, e.g. https://www.baidu.com")
    c.add_argument("--port", type=int, help="TCP port (default from the URL, else 80)")
    c.add_argument("--nameserver", help="ask this DNS server (IP[:port]) instead of the system resolver")
    c.add_argument("--reference", action="append", help=f"IP:port reachable without DNS (default {DEFAULT_REFERENCES})")
    c.add_argument("--timeout", type=float, default=4.0)
    c.add_argument("--download", action="store_true", help="read up to 50 MB of the URL and report Mbit/s")
    d = sub.add_parser("diagnose", help="diagnose step results saved as JSON (e.g. gathered with shell commands)")
    d.add_argument("steps_file")
    for x in (c, d):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "check":
            result = check(args.target, args.port, args.nameserver, args.reference or DEFAULT_REFERENCES,
                           args.timeout, args.download)
        else:
            steps = json.loads(Path(args.steps_file).read_text(encoding="utf-8"))
            result = {**steps, "diagnosis": diagnose(steps)}
            result["ok"] = result["diagnosis"]["cause"] == "ok"
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
