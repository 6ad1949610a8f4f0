"""Run the ASGI app under uvicorn: in the foreground (serve) or in a thread (desktop)."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on `host`."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _config(app, host: str, port: int) -> uvicorn.Config:
    # log_config=None keeps our logging setup (and its secret filter) in charge.
    return uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, timeout_graceful_shutdown=5,
        ws="websockets-sansio" if _has("websockets") else "auto",
    )


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def build_app(settings):
    """The ASGI app for these settings (the desktop shell reaches the API only through this)."""
    from xiaodazi.api.app import create_app

    return create_app(settings)


def run_foreground(app, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    uvicorn.Server(_config(app, host, port)).run()


class ThreadedServer:
    """uvicorn in a background thread, for the desktop window's process."""

    def __init__(self, app, host: str, port: int) -> None:
        self.server = uvicorn.Server(_config(app, host, port))
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def start(self, timeout: float = 60.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the local server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
