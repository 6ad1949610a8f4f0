#!/usr/bin/env python3
"""Create a new project skeleton from a built-in template; `plan` shows the files, `create` writes them."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

GITIGNORE_PY = "__pycache__/\n*.py[cod]\n.venv/\nvenv/\n.env\ndist/\nbuild/\n*.egg-info/\n.pytest_cache/\n.ruff_cache/\n"
GITIGNORE_JS = "node_modules/\ndist/\n.env\n.env.local\n*.log\n.DS_Store\n"


def py_common(pkg: str, title: str, deps: list[str], extra_test: str) -> dict[str, str]:
    """Files every Python template shares: pyproject (src layout, pytest finds src/), README, .gitignore."""
    dep_list = ", ".join(f'"{d}"' for d in deps)
    return {
        "pyproject.toml": f'[project]\nname = "{pkg.replace("_", "-")}"\nversion = "0.1.0"\ndescription = "{title}"\n'
                          f'requires-python = ">=3.10"\ndependencies = [{dep_list}]\n\n'
                          '[project.optional-dependencies]\ndev = ["pytest>=8"' + extra_test + ']\n\n'
                          '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
                          '[tool.setuptools.packages.find]\nwhere = ["src"]\n\n'
                          '[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n',
        ".gitignore": GITIGNORE_PY,
        "README.md": f"# {title}\n\n## Setup / 安装\n\n```bash\npython -m venv .venv\n"
                     f"# Windows: .venv\\Scripts\\activate    macOS/Linux: source .venv/bin/activate\n"
                     f'pip install -e ".[dev]"\n```\n\n## Test / 测试\n\n```bash\npytest\n```\n',
        "tests/__init__.py": "",
    }


def python_package(pkg: str, title: str) -> dict[str, str]:
    """A library with one function and its test."""
    return {**py_common(pkg, title, [], ""),
            f"src/{pkg}/__init__.py": f'"""{title}."""\n\n__version__ = "0.1.0"\n\n\n'
                                      'def greet(name: str) -> str:\n    """Return a friendly greeting."""\n'
                                      '    return f"Hello, {name}!"\n',
            "tests/test_basic.py": f"from {pkg} import greet\n\n\ndef test_greet():\n"
                                   '    assert greet("小搭子") == "Hello, 小搭子!"\n'}


def cli_tool(pkg: str, title: str) -> dict[str, str]:
    """An argparse command-line tool with an entry point and a test of main()."""
    files = py_common(pkg, title, [], "")
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        "[project.optional-dependencies]", f'[project.scripts]\n{pkg.replace("_", "-")} = "{pkg}.cli:main"\n\n'
                                           "[project.optional-dependencies]")
    return {**files, f"src/{pkg}/__init__.py": f'"""{title}."""\n',
            f"src/{pkg}/cli.py": '"""Command-line entry point."""\n\nimport argparse\n\n\n'
                                 'def main(argv=None) -> int:\n    """Parse arguments and print a greeting."""\n'
                                 '    parser = argparse.ArgumentParser(description=__doc__)\n'
                                 '    parser.add_argument("name")\n    args = parser.parse_args(argv)\n'
                                 '    print(f"Hello, {args.name}!")\n    return 0\n\n\n'
                                 'if __name__ == "__main__":\n    raise SystemExit(main())\n',
            "tests/test_cli.py": f"from {pkg}.cli import main\n\n\ndef test_main_greets(capsys):\n"
                                 '    assert main(["world"]) == 0\n    assert "Hello, world!" in capsys.readouterr().out\n'}


def fastapi_service(pkg: str, title: str) -> dict[str, str]:
    """A FastAPI app with a health route and a TestClient test."""
    return {**py_common(pkg, title, ["fastapi>=0.110", "uvicorn>=0.29"], ', "httpx>=0.27"'),
            f"src/{pkg}/__init__.py": "",
            f"src/{pkg}/main.py": f'"""{title}."""\n\nfrom fastapi import FastAPI\n\napp = FastAPI(title="{title}")\n\n\n'
                                  '@app.get("/health")\ndef health() -> dict:\n    """Liveness check."""\n'
                                  '    return {"status": "ok"}\n',
            "tests/test_health.py": f"from fastapi.testclient import TestClient\n\nfrom {pkg}.main import app\n\n\n"
                                    "def test_health():\n    r = TestClient(app).get('/health')\n"
                                    "    assert r.status_code == 200 and r.json() == {'status': 'ok'}\n",
            ".env.example": "# copy to .env; never commit .env\nAPP_ENV=dev\n"}


def vue_vite(pkg: str, title: str) -> dict[str, str]:
    """A Vue 3 + Vite + TypeScript app (run npm install yourself)."""
    name = pkg.replace("_", "-")
    return {
        "package.json": json.dumps({"name": name, "private": True, "version": "0.1.0", "type": "module",
                                    "scripts": {"dev": "vite", "build": "vue-tsc --noEmit && vite build", "test": "vitest run"},
                                    "dependencies": {"vue": "^3.5.0"},
                                    "devDependencies": {"@vitejs/plugin-vue": "^6.0.0", "typescript": "^5.6.0",
                                                        "vite": "^7.0.0", "vitest": "^3.0.0", "vue-tsc": "^2.1.0"}},
                                   indent=2) + "\n",
        "index.html": f'<!doctype html>\n<html lang="zh-CN">\n<head><meta charset="UTF-8"><title>{title}</title></head>\n'
                      '<body><div id="app"></div><script type="module" src="/src/main.ts"></script></body>\n</html>\n',
        "vite.config.ts": "import { defineConfig } from 'vite'\nimport vue from '@vitejs/plugin-vue'\n\n"
                          "export default defineConfig({ plugins: [vue()] })\n",
        "tsconfig.json": json.dumps({"compilerOptions": {"target": "ES2022", "module": "ESNext", "moduleResolution": "bundler",
                                                         "strict": True, "jsx": "preserve", "types": ["vite/client"]},
                                     "include": ["src"]}, indent=2) + "\n",
        "src/main.ts": "import { createApp } from 'vue'\nimport App from './App.vue'\n\ncreateApp(App).mount('#app')\n",
        "src/App.vue": f'<script setup lang="ts">\nimport {{ ref }} from \'vue\'\nconst count = ref(0)\n</script>\n\n'
                       f'<template>\n  <h1>{title}</h1>\n  <button @click="count++">clicked {{{{ count }}}}</button>\n</template>\n',
        "src/env.d.ts": "/// <reference types=\"vite/client\" />\ndeclare module '*.vue' {\n"
                        "  import type { DefineComponent } from 'vue'\n  const c: DefineComponent\n  export default c\n}\n",
        "src/sum.test.ts": "import { expect, test } from 'vitest'\n\ntest('adds', () => { expect(1 + 1).toBe(2) })\n",
        ".gitignore": GITIGNORE_JS,
        "README.md": f"# {title}\n\n```bash\nnpm install\nnpm run dev\nnpm test\n```\n",
    }


def static_site(pkg: str, title: str) -> dict[str, str]:
    """Plain HTML/CSS/JS, no build step."""
    return {"index.html": f'<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="UTF-8">\n'
                          '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                          f'<title>{title}</title>\n<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
                          f'<main><h1>{title}</h1><p id="msg"></p></main>\n<script src="script.js"></script>\n</body>\n</html>\n',
            "style.css": "body { font-family: system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; margin: 2rem; }\n",
            "script.js": "document.getElementById('msg').textContent = 'It works / 运行正常'\n",
            ".gitignore": ".DS_Store\n", "README.md": f"# {title}\n\nOpen index.html in a browser.\n"}


TEMPLATES = {"python-package": python_package, "cli": cli_tool, "fastapi": fastapi_service,
             "vue-vite": vue_vite, "static-site": static_site}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """plan (default, writes nothing) or create (refuses a non-empty folder)."""
    ap = argparse.ArgumentParser(description="create a project skeleton")
    ap.add_argument("action", choices=["plan", "create"])
    ap.add_argument("template", choices=sorted(TEMPLATES))
    ap.add_argument("folder", help="the new project folder (must not exist or be empty)")
    ap.add_argument("--name", help="package name (default: from the folder name)")
    ap.add_argument("--title", help="human title for README (default: the folder name)")
    ap.add_argument("--git", action="store_true", help="create: also run git init and a first commit")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    folder = Path(a.folder)
    pkg = re.sub(r"\W+", "_", (a.name or folder.name).lower()).strip("_")
    if not pkg.isascii() or not pkg or pkg[0].isdigit():
        fail(f"cannot make a package name from {folder.name!r}; pass --name in ASCII, e.g. --name my_tool")
    files = TEMPLATES[a.template](pkg, a.title or folder.name)
    out = {"ok": True, "template": a.template, "folder": str(folder), "package": pkg, "files": sorted(files)}
    if a.action == "create":
        if folder.exists() and any(folder.iterdir()):
            fail(f"{folder} exists and is not empty; choose a new folder")
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8", newline="\n")
        out["created"] = len(files)
        if a.git:
            try:
                for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "Initial scaffold"]):
                    subprocess.run(["git", "-C", str(folder), *cmd], check=True, capture_output=True)
                out["git"] = "initialised with one commit"
            except (OSError, subprocess.CalledProcessError) as exc:
                out["git"] = f"skipped: {exc}"
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
