#!/usr/bin/env python3
"""Drive a real Chromium with Playwright through a list of steps (open, fill, click, select, wait, read text, download, screenshot).

Steps come as JSON (a file or inline): [{"goto": url}, {"fill": selector, "value": text}, {"click": selector}, ...].
Prints what each step did; stops at the first failing step and saves a screenshot of that moment.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge", "microsoft-edge")
WINDOWS_PATHS = (r"C:\Program Files\Google\Chrome\Application\chrome.exe", r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe")
MAC_PATHS = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")


def find_browser(explicit: str | None) -> str | None:
    """An installed Chrome/Chromium/Edge; None means Playwright's own browser (if `playwright install` was run)."""
    if explicit:
        return explicit
    for name in BROWSERS:
        if shutil.which(name):
            return shutil.which(name)
    return next((p for p in (*WINDOWS_PATHS, *MAC_PATHS) if Path(p).exists()), None)


def do(page, step: dict, downloads: Path) -> dict:
    """Perform one step; returns what happened (text read, file saved, …)."""
    timeout = step.get("timeout", 15000)
    if "goto" in step:
        page.goto(step["goto"], timeout=timeout, wait_until=step.get("wait_until", "load"))
        return {"url": page.url, "title": page.title()}
    if "fill" in step:
        page.fill(step["fill"], str(step.get("value", "")), timeout=timeout)
        return {"filled": step["fill"]}
    if "select" in step:
        return {"selected": page.select_option(step["select"], step.get("value"), timeout=timeout)}
    if "check" in step:
        page.check(step["check"], timeout=timeout)
        return {"checked": step["check"]}
    if "press" in step:
        page.press(step.get("on", "body"), step["press"], timeout=timeout)
        return {"pressed": step["press"]}
    if "download" in step:
        with page.expect_download(timeout=timeout) as info:
            page.click(step["download"], timeout=timeout)
        target = downloads / (step.get("save_as") or info.value.suggested_filename)
        info.value.save_as(target)
        return {"saved": str(target), "bytes": target.stat().st_size}
    if "click" in step:
        page.click(step["click"], timeout=timeout)
        if step.get("wait_for_navigation", True):
            page.wait_for_load_state("load", timeout=timeout)
        return {"clicked": step["click"], "url": page.url}
    if "wait_for" in step:
        page.wait_for_selector(step["wait_for"], timeout=timeout)
        return {"appeared": step["wait_for"]}
    if "text" in step:
        texts = page.locator(step["text"]).all_inner_texts()
        return {"text": texts[: step.get("limit", 50)]}
    if "screenshot" in step:
        page.screenshot(path=step["screenshot"], full_page=step.get("full_page", True))
        return {"screenshot": step["screenshot"]}
    raise ValueError(f"unknown step {step}")


def run(steps: list[dict], args) -> dict:
    """Launch the browser, run every step, close it; a failure stops the run with a screenshot."""
    from playwright.sync_api import Error, sync_playwright

    downloads = Path(args.downloads)
    downloads.mkdir(parents=True, exist_ok=True)
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(headless=not args.show, executable_path=find_browser(args.browser),
                                     args=["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
        context = browser.new_context(accept_downloads=True, storage_state=args.session if args.session and Path(args.session).exists() else None)
        page = context.new_page()
        try:
            for n, step in enumerate(steps, 1):
                try:
                    results.append({"step": n, **do(page, step, downloads)})
                except (Error, ValueError) as exc:
                    shot = downloads / f"failed-step-{n}.png"
                    page.screenshot(path=str(shot))
                    return {"ok": False, "failed_step": n, "error": str(exc).splitlines()[0], "screenshot": str(shot), "results": results}
            if args.save_session:
                context.storage_state(path=args.save_session)  # cookies stay on this computer, in the workspace
        finally:
            browser.close()
    return {"ok": True, "results": results}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad steps, 3 Playwright/browser missing, 4 a step failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--steps", help="inline JSON list of steps")
    src.add_argument("--steps-file", help="a JSON file with the list of steps")
    ap.add_argument("--browser", help="path to chrome/chromium/msedge (default: search the usual places)")
    ap.add_argument("--show", action="store_true", help="show the window (needed when the user must log in or solve a captcha)")
    ap.add_argument("--downloads", default="downloads", help="folder for downloads and failure screenshots")
    ap.add_argument("--session", help="reuse cookies saved earlier with --save-session")
    ap.add_argument("--save-session", help="save cookies after the run (e.g. to stay logged in)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        steps = json.loads(a.steps if a.steps else Path(a.steps_file).read_text(encoding="utf-8"))
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise ValueError("steps must be a JSON list of objects")
    except (ValueError, OSError) as exc:
        print(json.dumps({"error": f"bad steps: {exc}"}, ensure_ascii=False))
        return 2
    try:
        report = run(steps, a)
    except ImportError:
        print(json.dumps({"error": "playwright is not installed: pip install playwright"}))
        return 3
    except Exception as exc:  # the browser could not start: missing executable, sandbox, …
        if "Executable" in str(exc) or "executable" in str(exc):
            print(json.dumps({"error": "no Chrome/Chromium/Edge found: install one or pass --browser"}))
            return 3
        raise
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["ok"] else 4


if __name__ == "__main__":
    sys.exit(main())
