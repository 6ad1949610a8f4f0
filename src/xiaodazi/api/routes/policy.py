"""The command policy: list, add and remove the rules of exec-policy.json (the settings page)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from xiaodazi.api.deps import tool_service
from xiaodazi.tools.policy import CommandPolicy, PathEnv, policy_view

router = APIRouter(prefix="/policy", tags=["policy"])


PolicyDep = Annotated[CommandPolicy, Depends(tool_service("policy", "the command policy"))]


class RulePublic(BaseModel):
    id: str
    pattern: str
    action: Literal["allow", "ask", "deny"]
    source: str


class RulesPublic(BaseModel):
    path: str
    error: str | None = None
    rules: list[RulePublic]


class RuleCreate(BaseModel):
    pattern: str = Field(min_length=1, max_length=1000, description="e.g. `git push *` or `tool:run_python`")
    action: Literal["allow", "ask", "deny"]


class CheckRequest(BaseModel):
    command: str = Field(min_length=1, max_length=8000)
    dialect: Literal["bash", "powershell", "cmd"] | None = None


class CheckPublic(BaseModel):
    verdict: Literal["allow", "ask", "deny"]
    reason: str
    rule: str | None = None


@router.get("/rules", response_model=RulesPublic)
async def read_rules(policy: PolicyDep):
    """Every rule, the user's first; default rules are marked `source: default`."""
    return await run_in_threadpool(policy_view, policy)


@router.post("/rules", response_model=RulePublic, status_code=status.HTTP_201_CREATED)
async def create_rule(policy: PolicyDep, body: RuleCreate):
    """Add a user rule (adding an identical rule again changes nothing)."""
    rule = await run_in_threadpool(policy.add_rule, body.pattern, body.action, "user")
    return rule.public()


@router.delete("/rules/{key}", response_model=RulePublic)
async def delete_rule(policy: PolicyDep, key: str):
    """Remove a rule by id (or by its position in the list)."""
    rule = await run_in_threadpool(policy.remove_rule, key)
    return rule.public()


@router.post("/check", response_model=CheckPublic)
async def check_command(policy: PolicyDep, body: CheckRequest, request: Request):
    """What the policy would answer for a command in the workspace (for trying rules in settings)."""
    workspace = request.app.state.settings.workspace
    gate = await run_in_threadpool(policy.check, body.command, PathEnv(cwd=workspace, roots=[workspace]), body.dialect)
    return CheckPublic(verdict=gate.verdict.value, reason=gate.reason, rule=gate.rule)
