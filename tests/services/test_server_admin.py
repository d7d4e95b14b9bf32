"""Server administration: settings, show, preview, post now, status and the paused notice.

A real store under a real Announcer; only Discord is faked (``FakeCourier``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from dataclasses import dataclass, field

import pytest

from bot.app import App
from bot.delivery import Announcer, Forbidden, NotFound, Transient
from bot.services.refusals import UserFacingError
from bot.services.server_admin import (
    COMMON_TIMEZONES,
    ServerAdmin,
    SettingsChange,
    parse_kinds,
    timezone_choices,
    valid_timezone,
)
from bot.store import Store
from tests.delivery.fakes import FakeClock, FakeCourier
from tests.services.conftest import NOW
from tests.services.helpers import shown

GUILD, OTHER = 1, 2
CHANNEL, OTHER_CHANNEL = 10, 20
WEEKLY_TITLE = "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"


@dataclass
class Admin:
    service: ServerAdmin
    courier: FakeCourier
    changed: list[int] = field(default_factory=list)

    async def configure(self, guild_id: int = GUILD, **change: object) -> None:
        change.setdefault("channel_id", CHANNEL if guild_id == GUILD else OTHER_CHANNEL)
        await self.service.change(guild_id, SettingsChange(**change))  # type: ignore[arg-type]


def make_admin(store: Store, clock: FakeClock) -> Admin:
    changed: list[int] = []

    async def on_change(guild_id: int) -> None:
        changed.append(guild_id)

    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=clock, owner="me")
    return Admin(ServerAdmin(store, announcer, on_change=on_change, clock=clock), courier, changed)


@pytest.fixture
def admin(store: Store, clock: FakeClock) -> Admin:
    return make_admin(store, clock)


@pytest.fixture
def empty_admin(empty_store: Store, clock: FakeClock) -> Admin:
    return make_admin(empty_store, clock)


async def expect_error(key: str, call: Awaitable[object]) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        await call
    assert caught.value.message_key == key
    return caught.value


# -- input helpers ------------------------------------------------------------------------


def test_timezone_choices() -> None:
    assert timezone_choices("") == list(COMMON_TIMEZONES)
    assert timezone_choices(" SEO") == ["Asia/Seoul"]
    york = timezone_choices("york")
    assert york == ["America/New_York"]
    america = timezone_choices("america/")
    assert america[:5] == [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Sao_Paulo",
    ]
    assert america[5:] == sorted(america[5:])
    assert len(america) == 25


def test_valid_timezone() -> None:
    assert valid_timezone(" Asia/Seoul ") == "Asia/Seoul"
    with pytest.raises(UserFacingError) as caught:
        valid_timezone("Mars/" + "x" * 80)
    assert caught.value.message_key == "settings.bad_timezone"
    assert caught.value.values == {"zone": ("Mars/" + "x" * 80)[:60]}


def test_parse_kinds() -> None:
    assert parse_kinds("Weekly, daily weekly") == ["daily", "weekly"]
    for bad in ("monthly", "weekly, monthly", "", " , "):
        with pytest.raises(UserFacingError) as caught:
            parse_kinds(bad)
        assert caught.value.message_key == "settings.bad_kinds"


# -- change and show ----------------------------------------------------------------------


async def test_settings_need_a_channel_first(admin: Admin, store: Store) -> None:
    error = await expect_error(
        "settings.need_channel", admin.service.change(GUILD, SettingsChange(time="10:00"))
    )
    assert shown(error, "en") != shown(error, "ko")
    assert await store.guilds.get_guild(GUILD) is None
    assert admin.changed == []
    for call in (
        admin.service.show(GUILD, "en"),
        admin.service.preview(GUILD, "en"),
        admin.service.post_now(GUILD, "en"),
    ):
        await expect_error("settings.need_channel", call)


async def test_first_change_fills_in_defaults_and_calls_on_change(admin: Admin) -> None:
    settings = await admin.service.change(GUILD, SettingsChange(channel_id=CHANNEL))
    assert (settings.channel_id, settings.weekday, settings.time, settings.timezone) == (
        CHANNEL,
        0,
        "09:00",
        "Asia/Seoul",
    )
    assert (settings.kinds, settings.language, settings.role_id) == (("weekly",), "ko", None)
    assert settings.configured_at == NOW
    assert admin.changed == [GUILD]


async def test_later_changes_keep_what_they_do_not_name(admin: Admin) -> None:
    await admin.configure(weekday=3, time="18:30", role_id=77, set_role=True, language="en")
    settings = await admin.service.change(GUILD, SettingsChange(weekday=0, time="9:05"))
    assert (settings.channel_id, settings.weekday, settings.time) == (CHANNEL, 0, "09:05")
    assert (settings.role_id, settings.language) == (77, "en")
    settings = await admin.service.change(
        GUILD, SettingsChange(timezone="Europe/London", kinds=["daily", "note"])
    )
    assert (settings.timezone, settings.kinds, settings.role_id) == (
        "Europe/London",
        ("daily", "note"),
        77,
    )
    settings = await admin.service.change(GUILD, SettingsChange(set_role=True))
    assert settings.role_id is None  # set_role without a role: no ping any more
    assert admin.changed == [GUILD] * 4


@pytest.mark.parametrize(
    ("time", "shown_time"), [("25:00", "25:00"), ("9", "9"), ("noon" * 10, ("noon" * 10)[:20])]
)
async def test_bad_time_is_refused(admin: Admin, time: str, shown_time: str) -> None:
    await admin.configure()
    error = await expect_error(
        "settings.bad_time", admin.service.change(GUILD, SettingsChange(time=time))
    )
    assert error.values == {"time": shown_time}
    settings = await admin.service.store.guilds.get_guild(GUILD)
    assert settings is not None
    assert settings.time == "09:00"
    assert admin.changed == [GUILD]  # only the first, valid change


async def test_bad_timezone_is_refused(admin: Admin) -> None:
    error = await expect_error(
        "settings.bad_timezone",
        admin.service.change(GUILD, SettingsChange(channel_id=CHANNEL, timezone="Seoul")),
    )
    assert error.values == {"zone": "Seoul"}
    assert "Seoul" in shown(error, "en")
    assert admin.changed == []


async def test_show_in_both_languages(admin: Admin) -> None:
    await admin.configure(time="9:05")
    en = await admin.service.show(GUILD, "en")
    ko = await admin.service.show(GUILD, "ko")
    assert en["title"] == "Announcement settings"
    assert [(f["name"], f["value"]) for f in en["fields"]] == [
        ("Channel", "<#10>"),
        ("Schedule", "Monday 09:05 (Asia/Seoul)"),
        ("Role to ping", "none"),
        ("Digests", "weekly"),
        ("Language", "Korean"),
        ("Next post", "2024-05-20 09:05 (Asia/Seoul)"),
        ("Search replies", "for everyone"),
    ]
    assert ko["title"] == "공지 설정"
    assert [(f["name"], f["value"]) for f in ko["fields"]] == [
        ("채널", "<#10>"),
        ("일정", "월요일 09:05 (Asia/Seoul)"),
        ("알림 역할", "없음"),
        ("다이제스트 종류", "주간"),
        ("언어", "한국어"),
        ("다음 공지", "2024-05-20 09:05 (Asia/Seoul)"),
        ("검색 답변", "모두에게 보임"),
    ]


# -- preview and post now -----------------------------------------------------------------


async def test_preview_of_the_latest_issue(admin: Admin) -> None:
    await admin.configure()
    en = await admin.service.preview(GUILD, "en")
    assert en.content is not None
    assert en.content.startswith(
        f"Preview, only you see this. The overview below, then a thread «논문 · {WEEKLY_TITLE}»"
        " with 10 paper messages."
    )
    assert [embed["title"] for embed in en.embeds] == [WEEKLY_TITLE]
    ko = await admin.service.preview(GUILD, "ko")
    assert ko.content is not None
    assert ko.content.startswith("미리보기입니다 (나에게만 보임).")
    assert "논문 메시지 10개" in ko.content
    assert admin.courier.channels == {}  # nothing was sent


async def test_preview_follows_the_guild_kinds(admin: Admin) -> None:
    await admin.configure(kinds=["daily"], language="en")
    preview = await admin.service.preview(GUILD, "en")
    assert preview.content is not None
    assert "«Papers · 2024년 5월 9일» with 5 paper messages" in preview.content


async def test_preview_without_issues(empty_admin: Admin) -> None:
    await empty_admin.configure()
    en = await empty_admin.service.preview(GUILD, "en")
    ko = await empty_admin.service.preview(GUILD, "ko")
    assert (en.content, en.embeds) == ("There is no issue to preview yet.", [])
    assert ko.content == "미리 볼 이슈가 아직 없습니다."


async def test_post_now_posts_once(admin: Admin) -> None:
    await admin.configure()
    assert await admin.service.post_now(GUILD, "ko") == "<#10>에 최신 이슈를 올렸습니다."
    [overview] = admin.courier.channels[CHANNEL]
    assert overview.embeds[0]["title"] == WEEKLY_TITLE
    assert len(admin.courier.channels[overview.id]) == 10  # the thread's paper messages
    assert await admin.service.post_now(GUILD, "en") == (
        "The latest issue was already posted here."
    )
    assert await admin.service.post_now(GUILD, "ko") == "최신 이슈는 이미 올렸습니다."
    assert len(admin.courier.channels[CHANNEL]) == 1


async def test_post_now_with_nothing_to_post(empty_admin: Admin) -> None:
    await empty_admin.configure()
    assert await empty_admin.service.post_now(GUILD, "en") == "There is no issue to post yet."
    assert await empty_admin.service.post_now(GUILD, "ko") == "올릴 이슈가 아직 없습니다."


@pytest.mark.parametrize(
    ("error", "en", "ko"),
    [
        (
            Forbidden(50013),
            "Could not post: missing permissions (50013).",
            "올리지 못했습니다: 권한 없음 (50013).",
        ),
        (
            NotFound(10003),
            "Could not post: the channel no longer exists.",
            "올리지 못했습니다: 채널이 삭제됨.",
        ),
    ],
)
async def test_post_now_that_fails(admin: Admin, error: Exception, en: str, ko: str) -> None:
    await admin.configure()
    admin.courier.fault = lambda op, target: error
    assert await admin.service.post_now(GUILD, "en") == en
    await admin.configure()  # fixing the channel makes the delivery resumable
    assert await admin.service.post_now(GUILD, "ko") == ko


async def test_post_now_when_discord_has_a_problem(admin: Admin) -> None:
    await admin.configure()
    admin.courier.fault = lambda op, target: Transient(message="502")
    # The retry is automatic and its time is told (Asia/Seoul, the default zone).
    assert await admin.service.post_now(GUILD, "en") == (
        "Could not post this time (a server error at Discord (HTTP 502)); I will try again by"
        " myself at 12:01:00 (Asia/Seoul)."
    )


async def test_post_now_while_another_worker_posts(admin: Admin, store: Store) -> None:
    await admin.configure()
    latest = await store.guilds.latest_candidate(["weekly"])
    assert latest is not None
    claim = await store.guilds.claim_delivery(
        GUILD, latest.document_id, owner="other", now=NOW, lease=dt.timedelta(minutes=5)
    )
    assert claim is not None
    assert await admin.service.post_now(GUILD, "en") == (
        "An announcement is being posted right now."
    )
    assert await admin.service.post_now(GUILD, "ko") == "지금 공지를 올리는 중입니다."
    assert admin.courier.channels == {}


# -- the paused notice and status ---------------------------------------------------------


async def test_paused_notice_is_given_once(admin: Admin) -> None:
    await admin.configure()
    assert await admin.service.notice(GUILD, "en") is None  # not paused
    admin.courier.fault = lambda op, target: Forbidden(50013)
    await admin.service.post_now(GUILD, "en")
    assert await admin.service.notice(GUILD, "ko") == (
        "이 서버의 공지가 일시 중지되었습니다 (권한 없음 (50013)). 채널이나 봇 권한을 고친 뒤"
        " `/설정 채널`을 실행하면 권한을 확인하고 다시 시작합니다."
    )
    assert await admin.service.notice(GUILD, "ko") is None
    assert await admin.service.notice(GUILD, "en") is None
    paused = await admin.service.show(GUILD, "en")
    assert next(f for f in paused["fields"] if f["name"] == "Paused") == {
        "name": "Paused",
        "value": "missing permissions (50013)",
        "inline": False,
    }


async def test_paused_notice_in_english(admin: Admin) -> None:
    await admin.configure()
    admin.courier.fault = lambda op, target: NotFound(10003)
    await admin.service.post_now(GUILD, "en")
    notice = await admin.service.notice(GUILD, "en")
    assert notice is not None
    assert notice.startswith(
        "Announcements are paused in this server (the channel no longer exists)."
    )


async def test_changing_settings_clears_the_paused_notice(admin: Admin) -> None:
    await admin.configure()
    admin.courier.fault = lambda op, target: Forbidden(50001)
    await admin.service.post_now(GUILD, "en")
    await admin.configure()
    assert await admin.service.notice(GUILD, "en") is None
    assert "Paused" not in [f["name"] for f in (await admin.service.show(GUILD, "en"))["fields"]]


def field_values(embed: dict[str, object]) -> dict[str, str]:
    fields = embed["fields"]
    assert isinstance(fields, list)
    return {f["name"]: f["value"] for f in fields}


async def test_status_narrowed_to_a_guild(admin: Admin) -> None:
    await admin.configure(timezone="Europe/London")
    await admin.configure(OTHER, language="en")
    admin.courier.fault = lambda op, target: Forbidden(50013) if target == OTHER_CHANNEL else None
    await admin.service.post_now(GUILD, "en")
    await admin.service.post_now(OTHER, "en")

    mine = field_values(await admin.service.status(GUILD, "en"))
    assert mine["Last posts"] == "<#10>: 2024-05-15 04:00 (Europe/London)"
    assert mine["Failures"] == "none"
    assert mine["Digest sources"] == "nothing fetched yet"
    assert "Topic alerts" not in mine  # every server's members: the owner's business only
    owner = field_values(await admin.service.status(GUILD, "en", include_global=True))
    assert owner["Topic alerts"] == "pending 0 · sending 0 · sent 0 · unreachable users 0"

    other = await admin.service.status(OTHER, "ko", include_global=True)
    assert other["title"] == "paperbot 상태"
    assert field_values(other) == {
        "다이제스트 출처": "아직 가져온 적 없음",
        "최근 공지": "아직 올린 공지 없음",
        "주제 알림": "대기 0 · 보내는 중 0 · 보냄 0 · DM 불가 사용자 0",
        "실패": "공지 일시 중지: 권한 없음 (50013) (1)\n공지: 권한 없음 (50013) (1)",
    }

    everyone = field_values(await admin.service.status(None, "en"))
    assert everyone["Last posts"] == "<#10>: 2024-05-15 12:00 (Asia/Seoul)"
    assert everyone["Failures"].startswith("announcements paused: missing permissions (50013)")


# -- wiring -------------------------------------------------------------------------------


async def test_app_wires_settings_changes_to_the_scheduler(app: App) -> None:
    delivery = app.delivery(FakeCourier())
    assert delivery.scheduler.job_ids() == []
    await delivery.server_admin.change(GUILD, SettingsChange(channel_id=CHANNEL, weekday=4))
    assert delivery.scheduler.job_ids() == [f"announce:{GUILD}"]
    shown = {
        f["name"]: f["value"] for f in (await delivery.server_admin.show(GUILD, "en"))["fields"]
    }
    assert shown["Next post"] == "2024-05-17 09:00 (Asia/Seoul)"  # Friday, from the store's clock


# -- a stored value that stops being valid ----------------------------------------------


@pytest.mark.parametrize(
    "name", ["localtime", "posixrules", "Factory", "/etc/localtime", "../UTC", "", "Mars/Olympus"]
)
def test_zones_that_are_not_places_or_not_resolvable_are_refused(name: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        valid_timezone(name)
    assert caught.value.message_key == "settings.bad_timezone"


def test_timezone_choices_offer_only_zones_that_can_be_set() -> None:
    for typed in ("local", "posix", "factory", "america/"):
        for zone in timezone_choices(typed):
            assert valid_timezone(zone) == zone


async def _break(store: Store, guild_id: int, column: str, value: object) -> None:
    async with store.db.write_lock:
        await store.db.writer.execute(
            f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id)
        )


BAD_STATES = [
    # a zone the runtime cannot resolve: stored by an older paperbot, or gone from tzdata
    ("timezone", "localtime", "the time zone `localtime` is not available any more"),
    ("timezone", "Asia/Atlantis", "the time zone `Asia/Atlantis` is not available any more"),
    # corrupt rows
    ("kinds", '["weekly", "gossip"]', "the stored settings could not be read"),
    ("channel_id", "general", "the stored settings could not be read"),
    ("configured_at", "yesterday", "the stored settings could not be read"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_STATES)
async def test_a_bad_stored_value_pauses_only_its_server_and_says_why(
    app: App, column: str, value: object, reason: str
) -> None:
    delivery = app.delivery(FakeCourier())
    admin = delivery.server_admin
    await admin.change(GUILD, SettingsChange(channel_id=CHANNEL))
    await admin.change(OTHER, SettingsChange(channel_id=OTHER_CHANNEL))
    await _break(app.store, GUILD, column, value)

    # the scheduler starts (paperbot run no longer exits) with the other server's slot only
    await delivery.scheduler.start()
    try:
        assert f"announce:{GUILD}" not in delivery.scheduler.job_ids()
        assert f"announce:{OTHER}" in delivery.scheduler.job_ids()
    finally:
        await delivery.scheduler.shutdown(0)

    shown_fields = field_values(await admin.show(GUILD, "en"))
    assert reason in shown_fields["Paused"]
    assert "Next post" not in shown_fields
    if column != "timezone":  # placeholders of an unreadable row are never shown
        assert "Channel" not in shown_fields
    assert reason in field_values(await admin.status(GUILD, "en"))["Failures"]
    assert reason in field_values(await admin.status(None, "en"))["Failures"]
    assert "Paused" not in field_values(await admin.show(OTHER, "en"))
    await expect_error("announce.paused", admin.post_now(GUILD, "en"))
    settings = await app.store.guilds.get_guild(GUILD)
    assert settings is not None
    assert not settings.enabled
    assert [g.guild_id for g in await app.store.guilds.configured_guilds(enabled_only=True)] == [
        OTHER
    ]
    assert (await app.store.guilds.due_for_guild(GUILD, NOW)).post is None


async def test_fixing_a_bad_zone_takes_a_new_zone(admin: Admin, store: Store) -> None:
    await admin.configure()
    await _break(store, GUILD, "timezone", "localtime")
    await expect_error(
        "settings.bad_timezone", admin.service.change(GUILD, SettingsChange(time="10:00"))
    )
    fixed = await admin.service.change(GUILD, SettingsChange(timezone="Europe/Paris"))
    assert fixed.enabled
    assert fixed.timezone == "Europe/Paris"


async def test_a_corrupt_row_is_set_again_from_a_channel(admin: Admin, store: Store) -> None:
    await admin.configure()
    await _break(store, GUILD, "kinds", '["gossip"]')
    await expect_error(
        "settings.need_channel_again", admin.service.change(GUILD, SettingsChange(time="10:00"))
    )
    fixed = await admin.service.change(GUILD, SettingsChange(channel_id=CHANNEL))
    assert fixed.enabled
    assert fixed.kinds == ("weekly",)


async def test_catch_up_survives_one_server_whose_run_raises(app: App) -> None:
    delivery = app.delivery(FakeCourier())
    await delivery.server_admin.change(GUILD, SettingsChange(channel_id=CHANNEL))
    await delivery.server_admin.change(OTHER, SettingsChange(channel_id=OTHER_CHANNEL))
    announcer = delivery.jobs.announcer
    real = announcer.run_due

    async def run_due(now: dt.datetime | None = None, *, guild_id: int | None = None) -> list:  # type: ignore[type-arg]
        if guild_id == GUILD:
            raise RuntimeError("a bug in one server's run")
        return await real(now, guild_id=guild_id)

    announcer.run_due = run_due  # type: ignore[method-assign]
    results = await delivery.jobs.catch_up()  # no exception: the other server still runs
    assert all(result.guild_id == OTHER for result in results)
