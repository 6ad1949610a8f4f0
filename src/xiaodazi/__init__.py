"""xiaodazi (小搭子): a local-first desktop AI agent."""

__version__ = "0.1.0"
