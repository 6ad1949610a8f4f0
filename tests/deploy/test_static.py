"""deploy/ checked without a Docker engine: compose schema, Dockerfile lint, the Compute Nest template."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
ROS = DEPLOY / "computenest" / "ros_templates" / "template.yaml"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is missing: pip install -e '.[dev]'"
    return found


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_follows_the_compose_specification():
    result = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_publishes_only_port_80_and_waits_for_a_healthy_backend(compose):
    services = compose["services"]
    assert {"frontend", "backend"} <= services.keys()
    assert services["frontend"]["ports"] == ["${XIAODAZI_HTTP_PORT:-80}:80"]
    assert "ports" not in services["backend"]  # reachable from nginx only
    assert services["frontend"]["depends_on"]["backend"]["condition"] == "service_healthy"
    for name in ("frontend", "backend", "single"):
        assert services[name]["restart"] == "unless-stopped" and "/" in " ".join(services[name]["healthcheck"]["test"])
    assert services["backend"]["volumes"] == ["zenflux-data:/data", "zenflux-workspace:/workspace"]
    assert {"zenflux-data", "zenflux-workspace"} <= compose["volumes"].keys()


def test_single_container_profile_serves_everything_from_the_backend(compose):
    single = compose["services"]["single"]
    assert single["profiles"] == ["single"] and single["ports"] == ["${XIAODAZI_HTTP_PORT:-80}:8000"]
    assert "FORWARDED_ALLOW_IPS" not in single["environment"]  # public: never trust forwarded addresses
    assert single["environment"]["XIAODAZI_TOKEN"].startswith("${XIAODAZI_TOKEN:?")


def test_env_example_lists_every_variable_the_compose_file_reads():
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    listed = {ln.split("=", 1)[0] for ln in (DEPLOY / ".env.example").read_text().splitlines()
              if ln and not ln.startswith("#")}
    assert used == listed


def test_compose_refuses_to_start_without_a_token_and_keeps_stdio_mcp_off(compose):
    env = compose["services"]["backend"]["environment"]
    assert env["XIAODAZI_TOKEN"].startswith("${XIAODAZI_TOKEN:?")
    assert env["XIAODAZI_MCP_STDIO"] == "${XIAODAZI_MCP_STDIO:-false}"


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "frontend.Dockerfile"])
def test_dockerfiles_pass_hadolint(dockerfile):
    result = subprocess.run([_tool("hadolint"), str(DEPLOY / dockerfile)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_backend_image_runs_unprivileged_with_volumes_and_a_health_check():
    text = (DEPLOY / "Dockerfile").read_text()
    final = text[text.rindex("\nFROM "):]  # the runtime stage only
    assert final.startswith("\nFROM python:3.11-slim")
    assert re.search(r"^USER (?!root|0\b)\S+", final, re.M)
    assert "XIAODAZI_DATA_DIR=/data" in final and "XIAODAZI_WORKSPACE=/workspace" in final
    assert "XIAODAZI_HOST=0.0.0.0" in final and "/health" in final.split("HEALTHCHECK", 1)[1]
    assert "build-essential" not in text and "gcc" not in final


def test_frontend_image_builds_the_ui_with_node_and_serves_it_with_nginx():
    text = (DEPLOY / "frontend.Dockerfile").read_text()
    assert re.search(r"^FROM node:\S+ AS ui", text, re.M) and re.search(r"^FROM nginx:\S*alpine", text, re.M)
    assert "deploy/nginx.conf /etc/nginx/templates/default.conf.template" in text


@pytest.fixture(scope="module")
def ros() -> dict:
    return yaml.safe_load(ROS.read_text())


def test_compute_nest_template_asks_for_the_seed_parameters(ros):
    params = ros["Parameters"]
    for name in ("PayType", "ZoneId", "VpcOption", "VpcCidrBlock", "VSwitchCidrBlock", "VpcId", "VSwitchId",
                 "EcsInstanceType", "InstancePassword", "DashScopeApiKey", "AccessToken"):
        assert name in params, name
    assert params["EcsInstanceType"]["Default"] == "ecs.u1-c1m2.xlarge"
    assert params["VpcCidrBlock"]["Default"] == "192.168.0.0/16"
    assert params["VSwitchCidrBlock"]["Default"] == "192.168.1.0/24"
    for secret in ("InstancePassword", "DashScopeApiKey", "AccessToken"):
        assert params[secret]["NoEcho"] is True and "Default" not in params[secret]  # required, never shown
    assert params["AccessToken"]["MinLength"] >= 16


def test_compute_nest_security_group_opens_only_port_80(ros):
    groups = [r for r in ros["Resources"].values() if r["Type"] == "ALIYUN::ECS::SecurityGroup"]
    ingress = [rule for g in groups for rule in g["Properties"].get("SecurityGroupIngress", [])]
    extra = [r for r in ros["Resources"].values() if r["Type"] == "ALIYUN::ECS::SecurityGroupIngress"]
    assert [rule["PortRange"] for rule in ingress] == ["80/80"] and not extra


def test_compute_nest_instance_installs_docker_writes_env_and_starts_compose(ros):
    group = ros["Resources"]["EcsInstanceGroup"]["Properties"]
    script = group["UserData"]["Fn::Sub"][0]
    for step in ("docker-compose-plugin", "cp .env.example .env", "XIAODAZI_TOKEN=${AccessToken}",
                 "DASHSCOPE_API_KEY=${DashScopeApiKey}", "docker compose up -d", "http://127.0.0.1/health"):
        assert step in script, step
    assert group["InstanceType"] == {"Ref": "EcsInstanceType"} and group["Password"] == {"Ref": "InstancePassword"}
    url = ros["Outputs"]["Endpoint"]["Value"]["Fn::Sub"][0]
    assert url == "http://${Ip}"
