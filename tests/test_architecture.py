"""The house plan, checked: the layers and what may import what, and where SQL lives."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

# The layers, bottom to top: a unit (a package of bot/, a module at bot/'s root, or cogs) may
# import its own layer and the layers below it, never one above, directly or through others.
# Every unit in the tree must be placed here (``test_every_unit_has_a_layer``).
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer.split())
    for layer in (
        "bot.clock bot.settings",  # foundations
        "bot.i18n bot.digests",  # the message catalogue; digests as typed models
        "bot.search",  # query analysis and ranking as pure code
        "bot.store",  # SQLite: the paper index and the community's state
        "bot.ingest bot.render",  # digests into the store; records into messages
        "bot.delivery",  # announcements and alert DMs through a courier
        "bot.services",  # what commands call
        "bot.runtime",  # the scheduler's jobs, metrics, health, operator errors
        "bot.app",  # the one wiring point
        "bot.discord",  # discord.py: client, tree, views
        "bot.playground cogs",  # the bot against the emulator; slash commands
        "bot.cli bot.__main__",  # entry points
    )
)
# Where discord.py may be imported: everything else is the discord-free core.
DISCORD_SIDE = frozenset({"bot.discord", "bot.playground", "cogs", "bot.cli", "bot.__main__"})


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


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str | None:
    """The layer unit a module belongs to: ``bot.store.papers.search`` -> ``bot.store``."""
    parts = module.split(".")
    if parts[0] == "cogs":
        return "cogs"
    if parts[0] != "bot" or len(parts) == 1:
        return None
    return f"bot.{parts[1]}"


def _product_files() -> list[Path]:
    return [*_python_files("bot"), *_python_files("cogs")]


def _unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _product_files():
        unit = _unit(_module(path))
        if unit is None:
            continue
        graph.setdefault(unit, set()).update(
            target
            for name in _imports(path)
            if (target := _unit(name)) is not None and target != unit
        )
    return graph


def _layer(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def test_every_unit_has_a_layer() -> None:
    """The layer list is checked against the tree: a new package cannot be forgotten."""
    units = {_unit(_module(path)) for path in _product_files()} - {None}
    placed = set().union(*LAYERS)
    assert sorted(units - placed) == []
    assert sorted(placed - units) == [], "a layer names something that is not in the tree"


def test_nothing_imports_upward_even_through_others() -> None:
    graph = _unit_graph()
    offenders = []
    for start in graph:
        paths = {start: [start]}  # every unit reachable from start, with a path to it
        todo = [start]
        while todo:
            unit = todo.pop()
            for target in graph.get(unit, ()):
                if target not in paths:
                    paths[target] = [*paths[unit], target]
                    todo.append(target)
        offenders += [
            " -> ".join(path) for target, path in paths.items() if _layer(target) > _layer(start)
        ]
    assert offenders == []


def test_the_paper_index_does_not_reach_into_the_community_state() -> None:
    """bot.store.papers (the index) is below bot.store.community (who follows what)."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files("bot/store/papers")
        for name in _imports(path)
        if name.startswith("bot.store.community")
    ]
    assert offenders == []


def test_search_is_pure() -> None:
    """Query analysis and ranking run without SQLite: the store executes their plans."""
    for path in _python_files("bot/search"):
        assert not {"aiosqlite", "sqlite3"} & _roots(path), f"{path.name} touches SQLite"


def test_the_core_does_not_import_discord_py() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _product_files()
        if _unit(_module(path)) not in DISCORD_SIDE
        and ("discord" in _roots(path) or any(n.startswith("bot.discord") for n in _imports(path)))
    ]
    assert offenders == []


def test_only_the_runtime_imports_the_scheduler() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _product_files()
        if "apscheduler" in _roots(path) and _unit(_module(path)) != "bot.runtime"
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


MAPPED = ("bot", "cogs", "fakediscord")  # mapped in full; tests/ and bench/ as folders only


def _readme_map() -> list[str]:
    """Paths the README's layout map names, one per mention: a line's first word ending in
    ``/`` is a folder (nested by indentation), and every ``*.py`` word on a line is a module
    of that line's folder (or of the folder the line is indented under)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("\nLayout: ") :].split("```")[1]
    stack: list[tuple[int, str]] = []  # (indentation, folder path)
    named: list[str] = []
    for line in block.splitlines():
        words = line.split()
        if not words:
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent and words[0].endswith("/"):
            stack.pop()
        if words[0].endswith("/"):
            parent = stack[-1][1] if stack else ""
            stack.append((indent, parent + words[0]))
            named.append(stack[-1][1])
            folder, words = stack[-1][1], words[1:]
        else:  # a line indented under a folder
            folder = next(path for level, path in reversed(stack) if level < indent)
        named += [folder + word for word in words if re.fullmatch(r"\w+\.py", word)]
    return named


def _tree() -> list[str]:
    paths = ["tests/", "bench/"]
    for top in MAPPED:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if "__pycache__" in path.parts:
                continue
            if path.is_dir():
                paths.append(relative + "/")
            elif path.suffix == ".py" and path.name != "__init__.py":
                paths.append(relative)
        paths.append(top + "/")
    return paths


def test_the_readme_map_is_the_tree() -> None:
    named = _readme_map()
    twice = sorted({path for path in named if named.count(path) > 1})
    assert twice == [], "named more than once in the README's map"
    assert sorted(set(_tree()) - set(named)) == [], "missing from the README's map"
    assert sorted(set(named) - set(_tree())) == [], "in the README's map but not in the tree"
