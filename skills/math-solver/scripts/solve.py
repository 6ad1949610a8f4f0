#!/usr/bin/env python3
"""Exact maths with SymPy: solve equations, differentiate, integrate, check an antiderivative or an answer, simplify,
take limits and plot a function. Input uses ordinary notation: x^2-5x+6=0, 2sin(x)cos(x), e^x, sqrt(2), pi.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def sympy_or_exit():
    """Import SymPy, or exit 3 with the install command."""
    try:
        import sympy
    except ImportError:
        print(json.dumps({"ok": False, "error": "SymPy is not installed", "install": "pip install sympy"}))
        sys.exit(3)
    return sympy


def parse(text: str):
    """A SymPy expression (or Eq for 'a = b') from everyday notation."""
    sp = sympy_or_exit()
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    tr = (*standard_transformations, implicit_multiplication_application, convert_xor)
    local = {"e": sp.E, "pi": sp.pi, "π": sp.pi, "ln": sp.log}
    cleaned = text.replace("×", "*").replace("÷", "/").replace("−", "-").replace("，", ",").replace("（", "(").replace("）", ")")
    if "=" in cleaned and "==" not in cleaned:
        left, right = cleaned.split("=", 1)
        return sp.Eq(parse_expr(left, local_dict=local, transformations=tr),
                     parse_expr(right, local_dict=local, transformations=tr))
    return parse_expr(cleaned, local_dict=local, transformations=tr)


def variable(expr, name: str | None):
    """The variable to work in: given, or x, or the only free symbol."""
    sp = sympy_or_exit()
    if name:
        return sp.Symbol(name)
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    return next((s for s in free if s.name == "x"), free[0] if free else sp.Symbol("x"))


def show(value) -> dict:
    """A result as text, LaTeX and (when it is a number) a decimal."""
    sp = sympy_or_exit()
    out = {"text": sp.sstr(value), "latex": sp.latex(value)}
    try:
        if getattr(value, "is_number", False):
            out["decimal"] = str(sp.N(value, 12))
    except (TypeError, ValueError):
        pass
    return out


def run(a) -> dict:
    """One command."""
    sp = sympy_or_exit()
    expr = parse(a.expr)
    x = variable(expr, a.var)
    if a.cmd == "solve":
        eq = expr if isinstance(expr, sp.Equality) else sp.Eq(expr, 0)
        sols = sp.solve(eq, x, dict=False)
        return {"variable": str(x), "solutions": [show(s) for s in sols], "count": len(sols)}
    if a.cmd == "diff":
        return {"variable": str(x), "derivative": show(sp.simplify(sp.diff(expr, x, a.order)))}
    if a.cmd == "integrate":
        if a.lower is not None:
            return {"variable": str(x), "definite": show(sp.integrate(expr, (x, parse(a.lower), parse(a.upper))))}
        return {"variable": str(x), "antiderivative": show(sp.integrate(expr, x)), "note": "+ C"}
    if a.cmd == "check-antiderivative":
        f = parse(a.integrand)
        diff = sp.simplify(sp.diff(expr, x) - f)
        return {"correct": diff == 0, "derivative_of_claim": show(sp.simplify(sp.diff(expr, x))), "difference": show(diff)}
    if a.cmd == "check-root":
        eq = expr if isinstance(expr, sp.Equality) else sp.Eq(expr, 0)
        value = parse(a.value)
        residual = sp.simplify((eq.lhs - eq.rhs).subs(x, value))
        return {"correct": residual == 0, "residual": show(residual)}
    if a.cmd == "simplify":
        return {"simplified": show(sp.simplify(expr)), "factored": show(sp.factor(expr)), "expanded": show(sp.expand(expr))}
    if a.cmd == "limit":
        return {"limit": show(sp.limit(expr, x, parse(a.at)))}
    return plot(expr, x, a)


def plot(expr, x, a) -> dict:
    """Save a PNG of the function over a range (matplotlib ships with the app)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import sympy as sp

    f = sp.lambdify(x, expr, "numpy")
    xs = np.linspace(a.xmin, a.xmax, 800)
    ys = np.asarray(f(xs), dtype=float) * np.ones_like(xs)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(xs, ys)
    ax.axhline(0, color="grey", lw=0.6)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_title(f"y = {sp.sstr(expr)}")
    ax.grid(alpha=0.3)
    out = a.out or Path("plot.png")
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return {"plot": str(out)}


def main(argv: list[str] | None = None) -> None:
    """Parse, compute, print JSON; exit 1 when a check fails, 2 on input SymPy cannot read, 3 without SymPy."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("expr")
    common.add_argument("--var")
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("solve", parents=[common])
    sub.add_parser("diff", parents=[common]).add_argument("--order", type=int, default=1)
    i = sub.add_parser("integrate", parents=[common])
    i.add_argument("--lower")
    i.add_argument("--upper")
    sub.add_parser("check-antiderivative", parents=[common]).add_argument("integrand")
    sub.add_parser("check-root", parents=[common]).add_argument("value")
    sub.add_parser("simplify", parents=[common])
    sub.add_parser("limit", parents=[common]).add_argument("at")
    pl = sub.add_parser("plot", parents=[common])
    pl.add_argument("--xmin", type=float, default=-10)
    pl.add_argument("--xmax", type=float, default=10)
    pl.add_argument("--out", type=Path)
    a = p.parse_args(argv)
    try:
        result = run(a)
    except (SyntaxError, TypeError, ValueError, NotImplementedError) as exc:
        print(json.dumps({"ok": False, "error": f"cannot work with {a.expr!r}: {exc}"}, ensure_ascii=False))
        sys.exit(2)
    ok = result.get("correct", True)
    print(json.dumps({"ok": bool(ok), "input": a.expr, **result}, ensure_ascii=False, indent=1))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
