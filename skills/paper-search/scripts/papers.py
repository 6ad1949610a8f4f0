"""Search arXiv, Crossref or Semantic Scholar and return papers with authors, abstract, links and BibTeX.

Usage:
  papers.py arxiv "retrieval augmented generation" [--max 10] [--sort relevance|date] [--json]
  papers.py crossref "碳中和 政策" [--max 10] [--json]
  papers.py s2 "graph neural networks" [--max 10] [--json]          (Semantic Scholar: citation counts)
  papers.py parse-arxiv saved.xml [--json]                          (a saved arXiv API response)
  --base-url points a source at another server (a mirror, or a local one in tests).
  --bib refs.bib appends the BibTeX of every result to a file.
These are public APIs meant for programs; keep to a few calls (arXiv asks for 3 s between calls).
Exit codes: 0 ok, 2 bad input, 4 the service could not be reached.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree as ET

# the shared helpers live in the webpage-reader skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "webpage-reader" / "scripts"))
from pagekit import emit, fetch, run  # noqa: E402

BASES = {"arxiv": "http://export.arxiv.org/api/query", "crossref": "https://api.crossref.org/works",
         "s2": "https://api.semanticscholar.org/graph/v1/paper/search"}
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "os": "http://a9.com/-/spec/opensearch/1.1/"}


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def bibtex(p: dict) -> str:
    """A BibTeX entry (@article with a DOI or journal, else @misc) keyed author+year+first title word."""
    last = (p["authors"][0].split()[-1] if p["authors"] else "anon")
    word = next((w for w in re.findall(r"[A-Za-z]+", p["title"]) if len(w) > 3), "paper")
    key = unicodedata.normalize("NFKD", f"{last}{p['year'] or ''}{word}").encode("ascii", "ignore").decode().lower()
    kind = "article" if p.get("venue") else "misc"
    fields = {"title": "{" + p["title"] + "}", "author": " and ".join(p["authors"]), "year": p["year"],
              "journal": p.get("venue"), "doi": p.get("doi"), "url": p.get("url"),
              "eprint": p.get("arxiv_id"), "archivePrefix": "arXiv" if p.get("arxiv_id") else None}
    body = ",\n".join(f"  {k} = {{{v}}}" if not str(v).startswith("{") else f"  {k} = {v}"
                      for k, v in fields.items() if v)
    return f"@{kind}{{{re.sub(r'[^a-z0-9]', '', key) or 'ref'},\n{body}\n}}"


def parse_arxiv(xml: str) -> list[dict]:
    """Entries of an arXiv API Atom response."""
    root = ET.fromstring(xml.encode("utf-8"))
    papers = []
    for e in root.findall("a:entry", NS):
        abs_url = _clean(e.findtext("a:id", "", NS))
        pdf = next((link.get("href") for link in e.findall("a:link", NS) if link.get("title") == "pdf"), None)
        arxiv_id = re.sub(r"v\d+$", "", abs_url.rsplit("/abs/", 1)[-1]) if "/abs/" in abs_url else None
        papers.append({
            "title": _clean(e.findtext("a:title", "", NS)),
            "authors": [_clean(a.findtext("a:name", "", NS)) for a in e.findall("a:author", NS)],
            "year": _clean(e.findtext("a:published", "", NS))[:4] or None,
            "abstract": _clean(e.findtext("a:summary", "", NS)),
            "venue": _clean(e.findtext("arxiv:journal_ref", "", NS)) or None,
            "doi": _clean(e.findtext("arxiv:doi", "", NS)) or None,
            "url": abs_url, "pdf": pdf, "arxiv_id": arxiv_id, "citations": None,
            "category": (e.find("arxiv:primary_category", NS).get("term")
                         if e.find("arxiv:primary_category", NS) is not None else None)})
    return papers


def parse_crossref(data: dict) -> list[dict]:
    """Items of a Crossref /works response."""
    papers = []
    for it in data.get("message", {}).get("items", []):
        parts = (it.get("issued") or {}).get("date-parts") or [[None]]
        papers.append({
            "title": _clean((it.get("title") or [""])[0]),
            "authors": [_clean(f"{a.get('given', '')} {a.get('family', '')}") for a in it.get("author", [])],
            "year": str(parts[0][0]) if parts[0][0] else None,
            "abstract": _clean(re.sub(r"<[^>]+>", " ", it.get("abstract", ""))),
            "venue": _clean((it.get("container-title") or [""])[0]) or None, "doi": it.get("DOI"),
            "url": it.get("URL"), "pdf": next((link["URL"] for link in it.get("link", [])
                                                if link.get("content-type") == "application/pdf"), None),
            "citations": it.get("is-referenced-by-count")})
    return papers


def parse_s2(data: dict) -> list[dict]:
    """Papers of a Semantic Scholar search response."""
    papers = []
    for it in data.get("data", []):
        ext = it.get("externalIds") or {}
        papers.append({
            "title": _clean(it.get("title")), "authors": [a.get("name", "") for a in it.get("authors", [])],
            "year": str(it["year"]) if it.get("year") else None, "abstract": _clean(it.get("abstract")),
            "venue": it.get("venue") or None, "doi": ext.get("DOI"), "arxiv_id": ext.get("ArXiv"),
            "url": it.get("url"), "pdf": (it.get("openAccessPdf") or {}).get("url"),
            "citations": it.get("citationCount")})
    return papers


def search(source: str, query: str, n: int, sort: str, base: str | None) -> list[dict]:
    """Query one service and parse its answer."""
    base = base or BASES[source]
    if source == "arxiv":
        params = {"search_query": f"all:{query}", "start": 0, "max_results": n,
                  "sortBy": "submittedDate" if sort == "date" else "relevance"}
        return parse_arxiv(fetch(f"{base}?{urllib.parse.urlencode(params)}", obey_robots=False).text)
    if source == "crossref":
        params = {"query": query, "rows": n, "select": "title,author,issued,container-title,DOI,URL,abstract,"
                  "is-referenced-by-count,link"}
        return parse_crossref(json.loads(fetch(f"{base}?{urllib.parse.urlencode(params)}", obey_robots=False).text))
    params = {"query": query, "limit": n,
              "fields": "title,authors,year,abstract,venue,externalIds,url,openAccessPdf,citationCount"}
    return parse_s2(json.loads(fetch(f"{base}?{urllib.parse.urlencode(params)}", obey_robots=False).text))


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", choices=("arxiv", "crossref", "s2", "parse-arxiv"))
    ap.add_argument("query")
    ap.add_argument("--max", type=int, default=10)
    ap.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    ap.add_argument("--base-url")
    ap.add_argument("--bib")
    ap.add_argument("--abstract-chars", type=int, default=600)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.source == "parse-arxiv":
        papers = parse_arxiv(Path(a.query).read_text(encoding="utf-8"))
    else:
        papers = search(a.source, a.query, a.max, a.sort, a.base_url)
    for p in papers:
        p["bibtex"] = bibtex(p)
        if len(p["abstract"]) > a.abstract_chars:
            p["abstract"] = p["abstract"][: a.abstract_chars] + "…"
    if a.bib and papers:
        with open(a.bib, "a", encoding="utf-8") as f:
            f.write("\n\n".join(p["bibtex"] for p in papers) + "\n")
    emit({"source": a.source, "query": a.query, "count": len(papers), "papers": papers}, a.json)
    return 0


if __name__ == "__main__":
    run(main)
