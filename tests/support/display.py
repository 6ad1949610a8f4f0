"""A private virtual screen (Xvfb), optionally with a system tray (trayer), for tests and the bundle smoke test.

Xvfb picks a free display number itself (-displayfd) and reports it once it accepts connections, so
parallel runs never collide and nobody sleeps waiting for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def xvfb(tray: bool = False) -> Iterator[dict[str, str]]:
    """Start Xvfb (and `trayer` when asked); yields DISPLAY and XAUTHORITY for the programs that use it."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    env = {"DISPLAY": f":{number}", "XAUTHORITY": os.devnull}
    procs = [server]
    if tray and shutil.which("trayer"):
        procs.append(subprocess.Popen(["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
                                       "--width", "120", "--height", "32"], env={**os.environ, **env},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.5)  # the tray takes the system-tray selection
    try:
        yield env
    finally:
        for proc in reversed(procs):
            proc.kill()
            proc.wait()
