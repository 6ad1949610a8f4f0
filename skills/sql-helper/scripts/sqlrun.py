#!/usr/bin/env python3
"""Run SQL on SQLite databases or on CSV/Excel files loaded as tables; show schemas, plans, formatted SQL."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import sys
from pathlib import Path

KEYWORDS = ("select", "from", "where", "group by", "having", "order by", "limit", "left join", "right join",
            "inner join", "full join", "join", "on", "union all", "union", "insert into", "values", "update",
            "set", "delete from", "with", "and", "or")
BREAK_BEFORE = {"from", "where", "group by", "having", "order by", "limit", "left join", "right join",
                "inner join", "full join", "join", "union all", "union", "values", "set"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def table_name(path: Path) -> str:
    """A safe table name from a file name: 订单-2024.csv → 订单_2024."""
    name = re.sub(r"\W+", "_", path.stem).strip("_") or "t"
    return f"t_{name}" if name[0].isdigit() else name


def _typed(value: str):
    v = value.strip()
    if re.fullmatch(r"-?\d{1,15}", v) and not (len(v) > 1 and v.startswith("0")):  # keep 00123-style codes as text
        return int(v)
    if re.fullmatch(r"-?\d+\.\d+", v):
        return float(v)
    return v if v else None


def read_rows(path: Path) -> tuple[list[str], list[list]]:
    """Header and rows of a CSV (UTF-8 or GBK) or the first sheet of an .xlsx."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        return [str(h) for h in rows[0]], rows[1:]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # Excel on Chinese Windows saves CSV as GBK
    data = list(csv.reader(text.splitlines()))
    return data[0], [[_typed(c) for c in r] for r in data[1:] if any(c.strip() for c in r)]


def load_tables(con: sqlite3.Connection, files: list[str]) -> dict[str, int]:
    """Load each CSV/Excel file into a table named after it; returns row counts."""
    loaded = {}
    for f in files:
        path = Path(f)
        header, rows = read_rows(path)
        name = table_name(path)
        cols = ", ".join(f'"{h.strip() or f"col{i + 1}"}"' for i, h in enumerate(header))
        con.execute(f'CREATE TABLE "{name}" ({cols})')
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(header))})',
                        [(r + [None] * len(header))[: len(header)] for r in rows])
        loaded[name] = len(rows)
    return loaded


def connect(db: str | None, write: bool) -> sqlite3.Connection:
    """An in-memory database, or a SQLite file opened read-only unless writing was approved."""
    if not db:
        return sqlite3.connect(":memory:")
    if not Path(db).is_file():
        fail(f"no such database file: {db}")
    uri = Path(db).resolve().as_uri() + ("" if write else "?mode=ro")
    return sqlite3.connect(uri, uri=True)


def schema(con: sqlite3.Connection) -> dict:
    """Tables with columns, declared types and row counts."""
    out = {}
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name"):
        cols = [{"name": c[1], "type": c[2]} for c in con.execute(f'PRAGMA table_info("{name}")')]
        count = con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        out[name] = {"columns": cols, "rows": count}
    return out


def run_sql(con: sqlite3.Connection, sql: str, limit: int) -> dict:
    """Execute one or more statements; rows of the last SELECT (up to `limit`)."""
    statements = [s for s in sqlite_split(sql) if s.strip()]
    result: dict = {"statements": len(statements)}
    for stmt in statements:
        cur = con.execute(stmt)
        if cur.description:
            rows = cur.fetchmany(limit + 1)
            result.update(columns=[d[0] for d in cur.description], rows=[list(r) for r in rows[:limit]],
                          truncated=len(rows) > limit)
        else:
            result["changed_rows"] = result.get("changed_rows", 0) + max(cur.rowcount, 0)
    con.commit()
    return result


def sqlite_split(sql: str) -> list[str]:
    """Split on semicolons that end complete statements."""
    out, buf = [], ""
    for piece in sql.split(";"):
        buf += piece
        if sqlite3.complete_statement(buf + ";"):
            out.append(buf)
            buf = ""
        else:
            buf += ";"
    return out + ([buf] if buf.strip() else [])


def format_sql(sql: str) -> str:
    """Uppercase keywords and start main clauses on new lines (sqlparse is used when installed)."""
    try:
        import sqlparse

        return sqlparse.format(sql, reindent=True, keyword_case="upper")
    except ImportError:
        pass
    # Quoted strings and identifiers are left alone: only the parts between quotes are rewritten.
    pieces = re.split(r"('(?:[^']|'')*'|\"[^\"]*\")", re.sub(r"\s+", " ", sql.strip()))
    for i in range(0, len(pieces), 2):
        pieces[i] = KW_RE.sub(_kw, pieces[i])
    return "\n".join(ln.rstrip() for ln in "".join(pieces).strip().splitlines() if ln.strip())


KW_RE = re.compile(r"\s*\b(" + "|".join(k.replace(" ", r"\s+") for k in sorted(KEYWORDS, key=len, reverse=True))
                   + r")\b", re.I)


def _kw(m: re.Match) -> str:
    kw = re.sub(r"\s+", " ", m.group(1)).lower()
    lead = "\n" if kw in BREAK_BEFORE else ("\n  " if kw in ("and", "or") else " ")
    return f"{lead}{kw.upper()}"


def main(argv: list[str] | None = None) -> None:
    """query | schema | plan | format."""
    ap = argparse.ArgumentParser(description="run SQL over SQLite, CSV or Excel files")
    ap.add_argument("action", choices=["query", "schema", "plan", "format"])
    ap.add_argument("sql", nargs="?", default="", help="the SQL text (quote it), or @file.sql")
    ap.add_argument("--db", help="a SQLite database file")
    ap.add_argument("--csv", nargs="*", default=[], help="CSV/XLSX files to load as tables (name = file stem)")
    ap.add_argument("--write", action="store_true", help="allow changes to --db (ask the user first)")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_intermixed_args(argv)
    sql = Path(a.sql[1:]).read_text(encoding="utf-8") if a.sql.startswith("@") else a.sql
    if a.action == "format":
        out = {"sql": format_sql(sql)}
    else:
        try:
            con = connect(a.db, a.write)
            loaded = load_tables(con, a.csv) if a.csv else {}
            if a.action == "schema":
                out = {"tables": schema(con), "loaded": loaded}
            elif a.action == "plan":
                out = {"plan": [r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + sql)]}
            else:
                out = {"loaded": loaded, **run_sql(con, sql, a.limit)}
        except sqlite3.Error as exc:
            fail(f"SQL error: {exc}" + (" (the database is read-only; add --write after the user agrees)"
                                        if "readonly" in str(exc) else ""), 1)
        except (OSError, IndexError, UnicodeDecodeError) as exc:
            fail(str(exc))
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2, default=str))


if __name__ == "__main__":
    main()
