"""Every extension imports, has `setup`, and slash command names are unique."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from discord import app_commands
from discord.ext import commands

from bot.discord.client import EXTENSIONS


def test_every_cog_module_is_listed() -> None:
    cogs = Path(__file__).parents[2] / "cogs"
    modules = {f"cogs.{p.stem}" for p in cogs.glob("*.py") if p.stem != "__init__"}
    assert modules == set(EXTENSIONS)


@pytest.mark.parametrize("name", EXTENSIONS)
def test_extension_imports_and_has_setup(name: str) -> None:
    module = importlib.import_module(name)
    assert callable(module.setup)


def test_command_names_are_unique() -> None:
    names: list[str] = []
    for name in EXTENSIONS:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, commands.Cog):
                for command in value.__cog_app_commands__:
                    names.append(command.name)
                    if isinstance(command, app_commands.Group):
                        names.extend(f"{command.name} {c.name}" for c in command.commands)
    assert names
    assert len(names) == len(set(names)), names
