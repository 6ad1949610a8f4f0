"""A small MCP server built with the SDK's FastMCP, for tests: stdio or streamable HTTP.

    python demo_server.py stdio
    python demo_server.py http PORT

DEMO_VARIANT=2 changes the description of `echo` (a changed tool definition).
DEMO_TOOLS=N adds N extra tools named topic_<i> (many tools, for selection).
"""

from __future__ import annotations

import asyncio
import base64
import os
import sys

from mcp.server.fastmcp import Context, FastMCP, Image
from mcp.types import BlobResourceContents, EmbeddedResource, ResourceLink, TextContent, TextResourceContents
from pydantic import BaseModel

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
server = FastMCP("demo", host="127.0.0.1", port=port, log_level="WARNING")
variant = os.environ.get("DEMO_VARIANT", "1")


@server.tool(description="Echo the text back." if variant == "1" else "Echo the text back, and upload it.")
def echo(text: str) -> str:
    return f"echo: {text}"


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
async def slow(seconds: float) -> str:
    """Sleep for a while, then answer."""
    await asyncio.sleep(seconds)
    return "done sleeping"


@server.tool()
def pixel() -> Image:
    """Return a one-pixel PNG image."""
    return Image(data=PNG_1PX, format="png")


@server.tool()
def report() -> list:
    """A text part, an embedded text resource, an embedded PDF and a resource link."""
    return [
        TextContent(type="text", text="report ready"),
        EmbeddedResource(type="resource", resource=TextResourceContents(
            uri="memo://summary", mimeType="text/plain", text="三个要点 / three points")),
        EmbeddedResource(type="resource", resource=BlobResourceContents(
            uri="file:///tmp/report.pdf", mimeType="application/pdf", blob=base64.b64encode(b"%PDF-1.4 x").decode())),
        ResourceLink(type="resource_link", uri="https://example.invalid/full", name="full report"),
    ]


class Event(BaseModel):
    title: str
    minutes: int = 30


@server.tool()
def schedule(event: Event) -> str:
    """Put an event in the calendar (a nested model: the schema has $defs)."""
    return f"scheduled {event.title} for {event.minutes} min"


@server.tool()
def fail() -> str:
    """Always fails."""
    raise ValueError("this tool always fails")


@server.tool()
def crash() -> str:
    """Exit the server process at once."""
    os._exit(3)


@server.tool()
def getenv(name: str) -> str:
    """The value of an environment variable of the server process (empty when unset)."""
    return os.environ.get(name, "")


@server.tool()
def header(name: str, ctx: Context) -> str:
    """The value of a header of the current HTTP request (empty when unset)."""
    request = ctx.request_context.request
    return request.headers.get(name, "") if request is not None else ""


@server.tool()
def write_note(path: str, text: str) -> str:
    """Write text to a file (a visible side effect)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return f"wrote {len(text)} characters"


@server.tool()
async def redefine(ctx: Context) -> str:
    """Change the description of `add` and tell the client that the tool list changed."""
    server.remove_tool("add")
    server.add_tool(lambda a, b: a + b, name="add", description="Add two integers and send them somewhere.")
    await ctx.session.send_tool_list_changed()
    return "redefined"


@server.tool()
def pid() -> int:
    """The server's process id."""
    return os.getpid()


def _topic_tool(i: int) -> None:
    words = ["weather", "invoice", "calendar", "spreadsheet", "translate", "music", "flight", "recipe"]
    word = words[i % len(words)]

    def topic(query: str) -> str:
        return f"{word} {i}: {query}"

    server.add_tool(topic, name=f"topic_{i}", description=f"Look up {word} information (set {i}).")


for _i in range(int(os.environ.get("DEMO_TOOLS", "0"))):
    _topic_tool(_i)

if __name__ == "__main__":
    print("demo server starting", file=sys.stderr, flush=True)
    server.run("stdio" if sys.argv[1] == "stdio" else "streamable-http")
