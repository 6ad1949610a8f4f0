"""Fail any test that tries to open a connection to a non-loopback address (tests never touch the internet)."""

from __future__ import annotations

import ipaddress
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(RuntimeError):
    pass


def _check(address) -> None:
    if not isinstance(address, tuple):  # unix sockets are local by nature
        return
    host = address[0]
    if host in ("localhost", ""):
        return
    try:
        ip = ipaddress.ip_address(host)
    except ValueError as exc:
        raise NetworkBlocked(f"test tried to reach {host!r}: tests must stay on loopback") from exc
    if not ip.is_loopback:
        raise NetworkBlocked(f"test tried to reach {host}: tests must stay on loopback")


def _guarded_connect(self, address):
    _check(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(address)
    return _real_connect_ex(self, address)


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
