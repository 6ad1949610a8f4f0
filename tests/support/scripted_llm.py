"""A scripted OpenAI-compatible chat-completions server on a real loopback socket.

Tests queue replies; each streamed request takes the next one. Replies play text in chunks,
reasoning, tool calls, HTTP errors, delays, broken JSON chunks, truncation or a stall. Every
request body is recorded. Non-streamed requests (titles, memory extraction) are answered by a
separate background responder so they never consume the script.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ToolCall:
    name: str
    arguments: Any  # dict → JSON-encoded; str → sent as is (for broken JSON)
    id: str = ""


@dataclass
class Reply:
    """One scripted answer to one streamed request."""

    text: str = ""
    chunk_size: int = 4
    reasoning: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    status: int = 200  # non-200 → an error body with this status
    error_message: str = "scripted failure"
    delay: float = 0.0  # before the first byte
    chunk_delay: float = 0.0  # between chunks
    broken_chunk: bool = False  # a chunk of invalid JSON before the first text chunk
    truncate: bool = False  # close the connection before finishing
    stall: float = 0.0  # after the first chunk, wait this long (a stream that hangs)
    model: str | None = None  # only answer requests for this model (others get the next matching reply)
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 11, "completion_tokens": 7})


def text(content: str, **kw: Any) -> Reply:
    return Reply(text=content, **kw)


def tool_call(name: str, arguments: Any, id: str = "", **kw: Any) -> Reply:
    return Reply(tool_calls=[ToolCall(name, arguments, id)], **kw)


def error(status: int, message: str = "scripted failure", **kw: Any) -> Reply:
    return Reply(status=status, error_message=message, **kw)


class ScriptedLLM:
    """The server; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.background_requests: list[dict[str, Any]] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.background: Callable[[dict[str, Any]], str] = lambda _req: "测试对话"
        self.default: Reply | None = None  # used when the script is empty; None → HTTP 500
        self.received_at: list[float] = []  # perf_counter() when each streamed request arrived
        self.chunk_log: list[tuple[float, str]] = []  # (perf_counter(), text) for each text chunk sent
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> ScriptedLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, *replies: Reply) -> ScriptedLLM:
        with self._lock:
            self._script.extend(replies)
        return self

    def remaining(self) -> int:
        return len(self._script)

    def assert_complete(self) -> None:
        assert not self._script, f"{len(self._script)} scripted replies were never requested"

    def _next(self, model: str) -> Reply | None:
        with self._lock:
            for reply in list(self._script):
                if reply.model is None or reply.model == model:
                    self._script.remove(reply)
                    return reply
        return self.default

    def _handler(self):
        llm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # /v1/models, used by connection tests
                self._json(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                body["_headers"] = {k.lower(): v for k, v in self.headers.items()}
                if not body.get("stream"):
                    llm.background_requests.append(body)
                    self._complete(llm.background(body), body)
                    return
                llm.received_at.append(time.perf_counter())
                llm.requests.append(body)
                reply = llm._next(body.get("model", ""))
                if reply is None:
                    self._json(500, {"error": {"message": "script exhausted", "type": "server_error"}})
                    return
                self._play(reply, body)

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _complete(self, content: str, body: dict[str, Any]) -> None:
                self._json(200, {
                    "id": "bg", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "scripted"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
                })

            def _play(self, reply: Reply, body: dict[str, Any]) -> None:
                time.sleep(reply.delay)
                if reply.status != 200:
                    kind = "rate_limit_error" if reply.status == 429 else "server_error"
                    self._json(reply.status, {"error": {"message": reply.error_message, "type": kind}})
                    return
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                try:
                    self._stream(reply, body.get("model", "scripted"))
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def _send(self, payload: str) -> None:
                self.wfile.write(f"data: {payload}\n\n".encode())
                self.wfile.flush()

            def _chunk(self, model: str, delta: dict[str, Any], finish: str | None = None) -> str:
                return json.dumps({
                    "id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                })

            def _stream(self, reply: Reply, model: str) -> None:
                self._send(self._chunk(model, {"role": "assistant", "content": ""}))
                pieces = [reply.reasoning[i:i + reply.chunk_size] for i in range(0, len(reply.reasoning), reply.chunk_size)]
                for piece in pieces:
                    self._send(self._chunk(model, {"reasoning_content": piece}))
                    time.sleep(reply.chunk_delay)
                texts = [reply.text[i:i + reply.chunk_size] for i in range(0, len(reply.text), reply.chunk_size)]
                if reply.broken_chunk:
                    self.wfile.write(b"data: {not json\n\n")
                for n, piece in enumerate(texts):
                    llm.chunk_log.append((time.perf_counter(), piece))
                    self._send(self._chunk(model, {"content": piece}))
                    if n == 0 and reply.stall:
                        time.sleep(reply.stall)
                    if n == len(texts) // 2 and reply.truncate:
                        return
                    time.sleep(reply.chunk_delay)
                for index, call in enumerate(reply.tool_calls):
                    args = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments, ensure_ascii=False)
                    head = {"index": index, "id": call.id or f"call_{index}_{int(time.time() * 1000) % 100000}",
                            "type": "function", "function": {"name": call.name, "arguments": ""}}
                    self._send(self._chunk(model, {"tool_calls": [head]}))
                    for i in range(0, len(args), 16):
                        part = {"index": index, "function": {"arguments": args[i:i + 16]}}
                        self._send(self._chunk(model, {"tool_calls": [part]}))
                finish = "tool_calls" if reply.tool_calls else "stop"
                self._send(self._chunk(model, {}, finish))
                usage = {**reply.usage, "total_tokens": sum(reply.usage.values())}
                self._send(json.dumps({"id": "chatcmpl-scripted", "object": "chat.completion.chunk",
                                       "created": int(time.time()), "model": model, "choices": [], "usage": usage}))
                self._send("[DONE]")

        return Handler
