"""The layering DESIGN.md asks for: the core never imports discord.py; cogs never write SQL."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
CORE = [
    "bot/digests",
    "bot/store",
    "bot/render",
    "bot/delivery",
    "bot/lookup.py",
    "bot/alerts.py",
    "bot/announcements.py",
    "bot/schedule.py",
    "bot/ingest.py",
]


def _python_files(relative: str) -> list[Path]:
    path = ROOT / relative
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_does_not_import_discord_py() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for relative in CORE
        for path in _python_files(relative)
        if "discord" in _imports(path)
    ]
    assert offenders == []


def test_cogs_write_no_sql() -> None:
    for path in _python_files("cogs"):
        text = path.read_text(encoding="utf-8").upper()
        for keyword in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert keyword not in text, f"{path.name} contains SQL ({keyword.strip()})"
        assert "aiosqlite" not in _imports(path)
