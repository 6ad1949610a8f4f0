"""Web search backends: a keyless default (the `ddgs` package) and keyed APIs picked by env vars.

Each backend is a small class with `search(query, max_results) -> list[SearchResult]`. A keyed
backend is used when its key variable is set; its base URL can be moved with `<NAME>_BASE_URL`
(self-hosted proxies, tests). `XIAODAZI_SEARCH_BACKEND` forces one by name.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from xiaodazi.core.tools import ToolFailed


@dataclass
class SearchResult:
    """One hit: title, link and a short snippet."""

    title: str
    url: str
    snippet: str = ""


class SearchBackend:
    """Base of keyed HTTP backends: subclasses build the request and parse the answer."""

    name: ClassVar[str] = ""
    key_env: ClassVar[str] = ""
    default_base: ClassVar[str] = ""

    def __init__(self, api_key: str = "", base_url: str | None = None, timeout: float = 15.0) -> None:
        self.api_key = api_key
        self.base_url = (base_url or self.default_base).rstrip("/")
        self.timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SearchBackend:
        """The backend configured from `env` (key and optional base URL)."""
        return cls(env.get(cls.key_env, ""), env.get(f"{cls.name.upper()}_BASE_URL") or None)

    def request(self, query: str, max_results: int) -> httpx.Request:
        raise NotImplementedError

    def parse(self, payload: Any) -> list[SearchResult]:
        raise NotImplementedError

    async def search(self, query: str, max_results: int) -> list[SearchResult]:
        """Run the query against the API; ToolFailed with the HTTP reason when it refuses."""
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            try:
                response = await client.send(self.request(query, max_results))
            except httpx.HTTPError as exc:
                raise ToolFailed(f"{self.name} search failed: {exc}") from exc
        if response.status_code >= 400:
            raise ToolFailed(f"{self.name} search failed: HTTP {response.status_code} {response.text[:200]}")
        return self.parse(response.json())[:max_results]


class Tavily(SearchBackend):
    """Tavily search API (POST /search, bearer key)."""

    name, key_env, default_base = "tavily", "TAVILY_API_KEY", "https://api.tavily.com"

    def request(self, query: str, max_results: int) -> httpx.Request:
        return httpx.Request(
            "POST", f"{self.base_url}/search", json={"query": query, "max_results": max_results},
            headers={"Authorization": f"Bearer {self.api_key}"},
        )

    def parse(self, payload: Any) -> list[SearchResult]:
        return [SearchResult(r.get("title", ""), r.get("url", ""), r.get("content", ""))
                for r in payload.get("results", [])]


class Exa(SearchBackend):
    """Exa search API (POST /search, x-api-key)."""

    name, key_env, default_base = "exa", "EXA_API_KEY", "https://api.exa.ai"

    def request(self, query: str, max_results: int) -> httpx.Request:
        body = {"query": query, "numResults": max_results, "contents": {"text": {"maxCharacters": 500}}}
        return httpx.Request("POST", f"{self.base_url}/search", json=body, headers={"x-api-key": self.api_key})

    def parse(self, payload: Any) -> list[SearchResult]:
        return [SearchResult(r.get("title") or "", r.get("url", ""), r.get("text") or "")
                for r in payload.get("results", [])]


class SerpApi(SearchBackend):
    """SerpAPI (Google results, GET /search.json)."""

    name, key_env, default_base = "serpapi", "SERPAPI_API_KEY", "https://serpapi.com"

    def request(self, query: str, max_results: int) -> httpx.Request:
        params = {"engine": "google", "q": query, "num": max_results, "api_key": self.api_key}
        return httpx.Request("GET", f"{self.base_url}/search.json", params=params)

    def parse(self, payload: Any) -> list[SearchResult]:
        return [SearchResult(r.get("title", ""), r.get("link", ""), r.get("snippet", ""))
                for r in payload.get("organic_results", [])]


class Bing(SearchBackend):
    """Bing Web Search v7 (GET /v7.0/search, subscription key header)."""

    name, key_env, default_base = "bing", "BING_SEARCH_API_KEY", "https://api.bing.microsoft.com"

    def request(self, query: str, max_results: int) -> httpx.Request:
        return httpx.Request(
            "GET", f"{self.base_url}/v7.0/search", params={"q": query, "count": max_results},
            headers={"Ocp-Apim-Subscription-Key": self.api_key},
        )

    def parse(self, payload: Any) -> list[SearchResult]:
        return [SearchResult(r.get("name", ""), r.get("url", ""), r.get("snippet", ""))
                for r in payload.get("webPages", {}).get("value", [])]


class Ddgs:
    """Keyless metasearch through the `ddgs` package (needs no account)."""

    name = "ddgs"

    async def search(self, query: str, max_results: int) -> list[SearchResult]:
        """Run the blocking ddgs query in a thread."""
        return await asyncio.to_thread(self._search, query, max_results)

    def _search(self, query: str, max_results: int) -> list[SearchResult]:
        from ddgs import DDGS
        from ddgs.exceptions import DDGSException

        try:
            rows = DDGS().text(query, max_results=max_results)
        except DDGSException as exc:
            raise ToolFailed(f"搜索失败 / search failed: {exc}") from exc
        return [SearchResult(r.get("title", ""), r.get("href", ""), r.get("body", "")) for r in rows]


KEYED_BACKENDS: tuple[type[SearchBackend], ...] = (Tavily, Exa, SerpApi, Bing)


def select_backend(env: Mapping[str, str] | None = None) -> SearchBackend | Ddgs:
    """The forced backend, else the first keyed one whose key is set, else keyless ddgs."""
    env = os.environ if env is None else env
    forced = env.get("XIAODAZI_SEARCH_BACKEND", "").strip().lower()
    for cls in KEYED_BACKENDS:
        if (forced == cls.name) or (not forced and env.get(cls.key_env)):
            return cls.from_env(env)
    return Ddgs()


def format_results(query: str, backend: str, results: list[SearchResult]) -> str:
    """A numbered Markdown list the model can cite from."""
    if not results:
        return f'没有找到结果 / no results for "{query}" (via {backend})'
    lines = [f'Search results for "{query}" (via {backend}):']
    for i, r in enumerate(results, 1):
        lines.append(f"{i}. {r.title.strip() or r.url}\n   {r.url}")
        if r.snippet.strip():
            lines.append(f"   {' '.join(r.snippet.split())[:400]}")
    return "\n".join(lines)
