"""Provider presets: who they are, how litellm names their models, which key they need."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModelPreset:
    id: str  # litellm model string
    label: str
    context_window: int
    tools: bool = True
    vision: bool = False
    reasoning: bool = False


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    label_zh: str
    prefix: str  # litellm provider prefix
    env_key: str | None
    default_base: str | None = None
    needs_key: bool = True
    custom_base: bool = False  # the user must give a base URL
    models: tuple[ModelPreset, ...] = field(default_factory=tuple)


PRESETS: tuple[Preset, ...] = (
    Preset("dashscope", "Qwen (DashScope)", "通义千问（百炼）", "dashscope", "DASHSCOPE_API_KEY", models=(
        ModelPreset("dashscope/qwen-plus", "Qwen Plus", 129_024, reasoning=True),
        ModelPreset("dashscope/qwen-max", "Qwen Max", 30_720, reasoning=True),
        ModelPreset("dashscope/qwen-turbo", "Qwen Turbo", 129_024, reasoning=True),
        ModelPreset("dashscope/qwen3-max", "Qwen3 Max", 258_048, reasoning=True),
        ModelPreset("dashscope/qwen3-vl-plus", "Qwen3 VL Plus", 260_096, vision=True, reasoning=True),
        ModelPreset("dashscope/qwen3-coder-plus", "Qwen3 Coder Plus", 997_952),
    )),
    Preset("anthropic", "Claude (Anthropic)", "Claude（Anthropic）", "anthropic", "ANTHROPIC_API_KEY", models=(
        ModelPreset("anthropic/claude-sonnet-4-5", "Claude Sonnet 4.5", 200_000, vision=True, reasoning=True),
        ModelPreset("anthropic/claude-opus-4-5", "Claude Opus 4.5", 200_000, vision=True, reasoning=True),
        ModelPreset("anthropic/claude-haiku-4-5", "Claude Haiku 4.5", 200_000, vision=True, reasoning=True),
    )),
    Preset("openai", "OpenAI", "OpenAI", "openai", "OPENAI_API_KEY", models=(
        ModelPreset("openai/gpt-5", "GPT-5", 272_000, vision=True, reasoning=True),
        ModelPreset("openai/gpt-5-mini", "GPT-5 mini", 272_000, vision=True, reasoning=True),
        ModelPreset("openai/gpt-4.1", "GPT-4.1", 1_047_576, vision=True),
        ModelPreset("openai/gpt-4o", "GPT-4o", 128_000, vision=True),
    )),
    Preset("deepseek", "DeepSeek", "深度求索 DeepSeek", "deepseek", "DEEPSEEK_API_KEY", models=(
        ModelPreset("deepseek/deepseek-chat", "DeepSeek Chat", 131_072),
        ModelPreset("deepseek/deepseek-reasoner", "DeepSeek Reasoner", 131_072, tools=False, reasoning=True),
    )),
    Preset("gemini", "Gemini (Google)", "Gemini（谷歌）", "gemini", "GEMINI_API_KEY", models=(
        ModelPreset("gemini/gemini-2.5-flash", "Gemini 2.5 Flash", 1_048_576, vision=True, reasoning=True),
        ModelPreset("gemini/gemini-2.5-pro", "Gemini 2.5 Pro", 1_048_576, vision=True, reasoning=True),
    )),
    Preset("zhipu", "GLM (Zhipu)", "智谱 GLM", "zai", "ZHIPUAI_API_KEY", models=(
        ModelPreset("zai/glm-4.6", "GLM-4.6", 200_000, reasoning=True),
        ModelPreset("zai/glm-4.5-air", "GLM-4.5 Air", 128_000),
        ModelPreset("zai/glm-4.5v", "GLM-4.5V", 128_000, vision=True),
    )),
    Preset("ollama", "Ollama (local)", "Ollama（本地）", "ollama_chat", None, "http://127.0.0.1:11434",
           needs_key=False, models=(
        ModelPreset("ollama_chat/qwen3:8b", "Qwen3 8B", 32_768),
        ModelPreset("ollama_chat/llama3.1:8b", "Llama 3.1 8B", 128_000),
    )),
    Preset("openai_compatible", "OpenAI-compatible endpoint", "OpenAI 兼容接口", "openai", None,
           needs_key=False, custom_base=True),
)

BY_NAME = {p.name: p for p in PRESETS}
BY_PREFIX = {p.prefix: p for p in PRESETS if not p.custom_base}
DEFAULT_CONTEXT = 32_000


def preset_for_model(model: str) -> Preset | None:
    """The preset whose litellm prefix starts `model` (e.g. dashscope/qwen-plus → dashscope)."""
    prefix = model.split("/", 1)[0] if "/" in model else ""
    return BY_PREFIX.get(prefix)


def model_preset(model: str) -> ModelPreset | None:
    for preset in PRESETS:
        for candidate in preset.models:
            if candidate.id == model:
                return candidate
    return None
