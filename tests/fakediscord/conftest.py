"""Fixtures: a populated FakeDiscord and a small discord.py bot (not the product bot) on it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from fakediscord import (
    Channel,
    FakeDiscord,
    Guild,
    Overwrite,
    Permission,
    RateLimitConfig,
    User,
)


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway at ``fake``; restore them afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.rest_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


class OffsetClock:
    """Real time plus an offset the test can push forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class Scene:
    guild: Guild
    alice: User  # plain member, Korean locale
    bob: User  # plain member, DMs closed
    carol: User  # admin
    general: Channel
    outsider: User


def build_scene(fake: FakeDiscord) -> Scene:
    world = fake.world
    guild = world.add_guild("Paper Club", locale="ko", channels=("general", "announcements"))
    alice = world.add_user("alice", locale="ko")
    bob = world.add_user("bob", dms_open=False)
    carol = world.add_user("carol")
    outsider = world.add_user("outsider")
    guild.add_member(alice)
    guild.add_member(bob)
    guild.add_member(carol, admin=True)
    announcements = guild.channel("announcements")
    announcements.overwrites.append(
        Overwrite(id=world.bot.id, type=1, deny=Permission.SEND_MESSAGES)
    )
    return Scene(
        guild=guild,
        alice=alice,
        bob=bob,
        carol=carol,
        general=guild.channel("general"),
        outsider=outsider,
    )


# -- the test bot -----------------------------------------------------------------------------


class Vote(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="Vote", custom_id="vote:up", style=discord.ButtonStyle.primary)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button[Vote]) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"votes: {self.count}", view=self)

    @discord.ui.select(
        custom_id="vote:pick",
        options=[
            discord.SelectOption(label="A", value="a"),
            discord.SelectOption(label="B", value="b"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Vote]) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Your feedback", custom_id="feedback:text", max_length=200
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class TestBot(commands.Bot):
    __test__ = False

    def __init__(self, guild_id: int, *, sync: bool = True) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        super().__init__(
            command_prefix="!",
            intents=intents,
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.guild_id = guild_id
        self.sync_on_start = sync
        self.errors: list[BaseException] = []
        self.seen_messages: list[discord.Message] = []
        self.slow_delay = 0.0
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self._add_commands()

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        self.errors.append(error)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py sleeps 5 s before re-identifying (Discord's identify limit); not here.
        return None

    async def on_message(self, message: discord.Message) -> None:
        self.seen_messages.append(message)

    async def setup_hook(self) -> None:
        if self.sync_on_start:
            await self.tree.sync()
            await self.tree.sync(guild=discord.Object(self.guild_id))

    def _add_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Say hello")
        async def hello(interaction: discord.Interaction, name: str | None = None) -> None:
            await interaction.response.send_message(
                f"hello {name or interaction.user.name} ({interaction.locale.value})"
            )

        @tree.command(description="Search papers")
        @app_commands.describe(query="words to look for")
        async def search(
            interaction: discord.Interaction,
            query: str,
            limit: app_commands.Range[int, 1, 10] = 3,
        ) -> None:
            await interaction.response.defer(thinking=True)
            embed = discord.Embed(title=f"Results for {query}", description=f"top {limit}")
            await interaction.followup.send(embed=embed)
            await interaction.followup.send(f"{limit} more on page 2")

        @search.autocomplete("query")
        async def search_complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            words = ["transformer", "transfer learning", "attention", "diffusion"]
            return [app_commands.Choice(name=w, value=w) for w in words if w.startswith(current)]

        settings = app_commands.Group(name="settings", description="Your settings")
        alerts = app_commands.Group(name="alerts", description="Topic alerts", parent=settings)

        @alerts.command(name="add", description="Follow a tag")
        async def alerts_add(interaction: discord.Interaction, tag: str) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send(f"following #{tag}", ephemeral=True)

        tree.add_command(settings)

        @tree.command(description="Count down")
        async def countdown(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("3...")
            await interaction.edit_original_response(content="liftoff")

        @tree.command(description="Followup housekeeping")
        async def twostep(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await interaction.followup.send("one")
            second = await interaction.followup.send("two", wait=True)
            await second.edit(content="two, edited")
            original = await interaction.original_response()
            await original.delete()

        @tree.command(description="Vote")
        async def vote(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("votes: 0", view=Vote())

        @tree.command(description="Give feedback")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback())

        @tree.command(description="Who is that")
        async def whois(
            interaction: discord.Interaction,
            member: discord.Member,
            role: discord.Role,
            channel: discord.TextChannel,
        ) -> None:
            await interaction.response.send_message(
                f"{member.mention} {member.name} has {role.name} in {channel.name}"
            )

        @tree.command(description="Slow to answer")
        async def slow(interaction: discord.Interaction) -> None:
            await asyncio.sleep(self.slow_delay)
            await interaction.response.send_message("finally")

        @tree.context_menu(name="Profile")
        async def profile(interaction: discord.Interaction, member: discord.Member) -> None:
            await interaction.response.send_message(f"profile of {member.name}", ephemeral=True)

        @tree.context_menu(name="Save paper")
        async def save(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"saved: {message.content}", ephemeral=True)

        @tree.command(description="Admins only")
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.guilds(discord.Object(self.guild_id))
        async def admin(interaction: discord.Interaction) -> None:
            perms = interaction.permissions
            await interaction.response.send_message(
                f"admin={perms.administrator} guild={interaction.guild_id}", ephemeral=True
            )


@pytest.fixture
def clock() -> OffsetClock:
    return OffsetClock()


@pytest.fixture
def rate_limits() -> RateLimitConfig:
    """Override in a test module to change the limits."""
    return RateLimitConfig()


@pytest.fixture
def deadline() -> float:
    return 3.0


@pytest.fixture
async def fake(
    clock: OffsetClock, rate_limits: RateLimitConfig, deadline: float
) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(
        clock=clock, rate_limits=rate_limits, interaction_deadline=deadline
    ) as fake:
        yield fake


@pytest.fixture
def scene(fake: FakeDiscord) -> Scene:
    return build_scene(fake)


async def start_bot(fake: FakeDiscord, bot: commands.Bot) -> asyncio.Task[None]:
    task = asyncio.create_task(bot.start(fake.token))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if task in done:
            task.result()  # re-raise the start-up error
        raise TimeoutError("the bot did not become ready")
    return task


async def stop_bot(bot: commands.Bot, task: asyncio.Task[None]) -> None:
    await bot.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


@pytest.fixture
async def bot(fake: FakeDiscord, scene: Scene) -> AsyncIterator[TestBot]:
    with pointed_at(fake):
        client = TestBot(scene.guild.id)
        task = await start_bot(fake, client)
        try:
            yield client
        finally:
            await stop_bot(client, task)
