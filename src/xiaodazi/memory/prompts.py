"""Prompt texts of the memory package: extraction instructions and the recalled-memory preamble."""

from __future__ import annotations

EXTRACT_SYSTEM = """\
You maintain the long-term memory of a personal assistant called xiaodazi (小搭子).
Read the latest exchange between the user and the assistant and propose facts worth
remembering in FUTURE conversations. Most turns contain nothing worth remembering: then
return an empty list.

Remember only durable facts stated or clearly confirmed by the USER (never by the assistant):
- preference: lasting likes, dislikes and styles ("I prefer short answers", "我不吃香菜")
- profile: facts about the user and their people (name, job, city, family, allergies, devices)
- project: ongoing work the user will come back to (names, goals, stack, deadlines)
- instruction: standing rules for how the assistant should behave from now on

Do NOT remember:
- one-off requests about the current task. "Make this PPT blue" does NOT mean the user likes
  blue; "translate this into English" is not a language preference. Mark such proposals
  durable=false, or better, leave them out.
- things the assistant said, guessed or did; small talk; secrets such as passwords and keys.

Existing memories are listed with their ids. If the user now says something that contradicts
or updates one of them, propose the new fact with "replaces" set to that id (the newer fact
wins). If a proposal only repeats an existing memory, leave it out.

Write each fact as one short standalone sentence in the user's own language, in the first
person from the user's point of view ("我喜欢…", "I work at…"). Give a confidence between 0 and 1
that the fact is durable and true.
"""

EXTRACT_USER = """\
Existing memories:
{existing}

Latest exchange:
{exchange}

Reply with JSON only."""

EXTRACT_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "memories": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "content": {"type": "string"},
                    "kind": {"type": "string", "enum": ["preference", "profile", "project", "instruction"]},
                    "durable": {"type": "boolean"},
                    "replaces": {"type": ["integer", "null"]},
                    "confidence": {"type": "number"},
                },
                "required": ["content", "kind", "durable", "replaces", "confidence"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["memories"],
    "additionalProperties": False,
}

RECALL_PREAMBLE = (
    "Things you remember about the user from earlier conversations (the user can see and edit "
    "them; if the user now says otherwise, follow the user and, if it should last, call remember):"
)
