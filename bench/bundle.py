"""The PyInstaller bundle: build time, size, serve launch → /health, desktop launch → window shown (Linux, Xvfb).

Measures the bundles already in dist/ (one file: dist/xiaodazi, `make package`; one folder:
dist/onedir/xiaodazi/, what `make test` builds; the Linux single file dist/xiaodazi-linux made from the
folder by build_scripts/sfx.py), or builds them first with `--build onefile onedir sfx`.
Run: .venv/bin/python bench/bundle.py [--build FORM ...] [--runs 5]. Figures only; it never fails on time.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("package", ROOT / "build_scripts" / "package.py")
package = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(package)
_sfx_spec = importlib.util.spec_from_file_location("sfx", ROOT / "build_scripts" / "sfx.py")
sfx = importlib.util.module_from_spec(_sfx_spec)
_sfx_spec.loader.exec_module(sfx)
FORMS = {"onefile": False, "onedir": True, "sfx": None}
SFX = ROOT / "dist" / "xiaodazi-linux"


def path_of(form: str) -> Path:
    return SFX if form == "sfx" else package.bundle_path(FORMS[form])


def serve_health(bundle: Path) -> float:
    """Seconds from launching `xiaodazi serve` to the first exact /health answer."""
    with tempfile.TemporaryDirectory() as tmp:
        port = package.free_port()
        env = {**package.os.environ, "XIAODAZI_DATA_DIR": f"{tmp}/data", "XIAODAZI_WORKSPACE": f"{tmp}/ws"}
        started = time.monotonic()
        proc = subprocess.Popen([str(bundle), "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).json() == package.HEALTH:
                        return time.monotonic() - started
                except (httpx.HTTPError, ValueError):
                    time.sleep(0.02)
                if proc.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError("the bundle never answered /health")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def describe(name: str, values: list[float]) -> str:
    """`median X s over N (min, max)` for one figure."""
    return (f"{name}: median {statistics.median(values):.2f} s over {len(values)} "
            f"(min {min(values):.2f}, max {max(values):.2f})")


def measure(form: str, runs: int) -> None:
    """Print size, serve → /health and (with Xvfb) desktop → window shown for one built form."""
    bundle = path_of(form)
    if not bundle.exists():
        print(f"{form}: not built ({bundle})")
        return
    print(f"{form}: size {package.bundle_size_mb(bundle):.0f} MB ({bundle.relative_to(ROOT)})")
    if form == "sfx":  # its first start unpacks into the cache; the figures below are the later starts
        cache = Path(tempfile.mkdtemp(prefix="xdz-sfx-cache-"))
        package.os.environ["XDG_CACHE_HOME"] = str(cache)
        print(f"{form}: " + describe("first start (unpacking) -> /health", [serve_health(bundle)]))
    print(f"{form}: " + describe("serve launch -> /health", [serve_health(bundle) for _ in range(runs)]))
    if shutil.which("Xvfb") is None:
        print(f"{form}: desktop launch -> window shown: skipped (no Xvfb)")
        return
    with package.xvfb() as screen:
        shown = [package.desktop(bundle, screen["DISPLAY"])["window_shown_s"] for _ in range(runs)]
    print(f"{form}: " + describe("desktop launch -> window shown with the UI loaded (Xvfb, Qt)", shown))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", nargs="*", choices=sorted(FORMS), default=[], help="build these forms first")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for form in args.build:
        if form == "sfx":
            started = time.monotonic()
            sfx.build(package.bundle_path(True).parent, SFX)
            print(f"sfx: packed dist/onedir into {SFX.name} in {time.monotonic() - started:.0f} s", flush=True)
            continue
        print(f"{form}: build {package.build(FORMS[form]):.0f} s (UI build included, PyInstaller cache kept)",
              flush=True)
    for form in FORMS:
        measure(form, args.runs)


if __name__ == "__main__":
    main()
