"""Names of the events a run emits (SSE `event:` field and WebSocket `type`): a public contract."""

from __future__ import annotations

MESSAGE_START = "message_start"  # {"seq", "message_id", "user_message_id", "run_id", "model"}
TEXT = "text"  # {"seq", "text"}
THINKING = "thinking"  # {"seq", "text"}
TOOL_CALL = "tool_call"  # {"seq", "id", "name", "arguments"}
TOOL_RESULT = "tool_result"  # {"seq", "id", "ok", "output", "artifacts"?, "duration_ms"?}
APPROVAL = "approval"  # {"seq", "id", "tool", "arguments", "reason", "rule"?, "detail"?}
QUESTION = "question"  # {"seq", "id", "text", "choices"}
PLAN = "plan"  # {"seq", "steps": [{"title", "status"}]}
MEMORY = "memory"  # {"seq", "items": [{"id", "content"}]}
ERROR = "error"  # {"seq", "code", "message"}
DONE = "done"  # {"seq", "message_id", "usage", "cost"?}

TERMINAL = frozenset({ERROR, DONE})
