"""The house plan DESIGN.md asks for, checked: what may import what, and where SQL lives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# The discord-free core: everything but bot/discord/, the cogs and the entry points (cli,
# playground), which start the Discord side.
CORE = [
    "bot/digests",
    "bot/store",
    "bot/render",
    "bot/delivery",
    "bot/services",
    "bot/app.py",
    "bot/clock.py",
    "bot/i18n.py",
    "bot/ingest.py",
    "bot/jobs.py",
    "bot/operator_errors.py",
    "bot/settings.py",
    "bot/slots.py",
]


def _python_files(relative: str) -> list[Path]:
    path = ROOT / relative
    assert path.exists(), f"{relative} is gone: update the house plan in this test"
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, fully qualified (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
    return names


def _roots(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


def test_the_core_does_not_import_discord_py() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for relative in CORE
        for path in _python_files(relative)
        if "discord" in _roots(path) or any(n.startswith("bot.discord") for n in _imports(path))
    ]
    assert offenders == []


def test_the_store_does_not_import_the_scheduler_or_the_layers_above_it() -> None:
    above = ("bot.services", "bot.delivery", "bot.jobs", "bot.app", "bot.render", "cogs")
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files("bot/store")
        for name in _imports(path)
        if name.startswith(above) or name.split(".")[0] == "apscheduler"
    ]
    assert offenders == []


def test_cogs_write_no_sql() -> None:
    for path in _python_files("cogs"):
        text = path.read_text(encoding="utf-8").upper()
        for keyword in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert keyword not in text, f"{path.name} contains SQL ({keyword.strip()})"
        assert "aiosqlite" not in _roots(path)


@pytest.mark.parametrize("relative", ["cogs", "bot/services", "bot/discord", "bot/delivery"])
def test_only_the_store_opens_the_database(relative: str) -> None:
    for path in _python_files(relative):
        assert not {"aiosqlite", "sqlite3"} & _roots(path), f"{path.name} opens SQLite itself"


def test_the_emulator_stands_beside_the_bot() -> None:
    """fakediscord imports nothing of the bot; in the product only the playground imports it."""
    for path in _python_files("fakediscord"):
        assert not {"bot", "cogs"} & _roots(path), f"{path.name} imports the bot"
    importers = [
        str(path.relative_to(ROOT))
        for relative in ("bot", "cogs")
        for path in _python_files(relative)
        if "fakediscord" in _roots(path)
    ]
    assert importers
    assert all(name.startswith("bot/playground/") for name in importers)


def test_the_application_is_built_in_one_place() -> None:
    """Only bot/app.py constructs the delivery workers and the scheduler."""
    builders = ("Announcer(", "AlertWorker(", "PaperScheduler(", "Jobs(", "ServerAdmin(")
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for relative in ("bot", "cogs")
        for path in _python_files(relative)
        if path.name != "app.py"
        for name in builders
        if name in path.read_text(encoding="utf-8").replace(f"class {name}", "")
    ]
    assert offenders == []


def test_the_readme_map_names_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("Layout (one direction") :]
    entries = [
        path
        for folder in ("bot", "bot/store", "bot/discord", "bot/services", "bot/delivery", "cogs")
        for path in sorted((ROOT / folder).iterdir())
        if path.name not in ("__init__.py", "py.typed", "__pycache__", "sample_digests")
        and not path.name.startswith(("_", "."))
        and (path.suffix == ".py" or path.is_dir())
    ]
    missing = [
        str(path.relative_to(ROOT))
        for path in entries
        if path.stem not in layout and (path.name + "/") not in layout
    ]
    assert missing == []
