"""Kill the bot mid-announcement, restart it at once, and time how long the post takes to finish.

    python -m bench.recovery [--runs 3] [--point mid-thread] [--papers 10] [--test-timing]

Each run: the real bot process (``python -m bot run``) starts against the local emulator with
a due issue in a fresh store, begins posting, is stopped at ``--point`` by a request the
emulator holds, killed with SIGKILL and restarted at once. Reported per run, from the restart:
when the new process took the delivery over (its ``attempts`` went up) and when the post was
complete (every message in the emulator and the delivery recorded as sent), plus whether
anything was posted twice. The production ``[scheduler]`` defaults are used unless
``--test-timing`` (the short leases of the e2e tests). The emulator enforces Discord's
5-messages-per-5-s channel limit, so posting ten papers itself takes about five seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.settings import SchedulerSettings
from fakediscord import FakeDiscord
from tests.e2e.bot_process import KILL_POINTS, TEST_TIMING, BotProcess, prepare

PROMISE = 60.0


async def one_run(
    point: str, papers: int, timing: dict[str, float], within: float
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="paperbot-recovery-") as tmp:
        async with FakeDiscord() as fake:
            scenario = await prepare(fake, Path(tmp), papers=papers, timing=timing)
            first, second = BotProcess(scenario, "first"), BotProcess(scenario, "second")
            try:
                held = KILL_POINTS[point](scenario)
                await first.start()
                await fake.wait_until(lambda: held.held > 0, within=120, what="the kill point")
                await first.kill()
                killed = time.monotonic()
                held.release()
                await second.start()
                taken: list[float] = []

                def done() -> bool:
                    delivery = scenario.delivery() or {}
                    if not taken and delivery.get("attempts", 0) >= 2:
                        taken.append(time.monotonic())
                    return scenario.complete() and delivery.get("status") == "sent"

                await fake.wait_until(done, within=within, what="the finished post")
                finished = time.monotonic()
                await asyncio.sleep(2 * float(timing.get("recovery_interval", 5)))
                return {
                    "point": point,
                    "restart_after_kill_s": round(second.started - killed, 3),
                    "takeover_s": round((taken[0] if taken else finished) - second.started, 2),
                    "complete_s": round(finished - second.started, 2),
                    "duplicates": scenario.exactly_once(),
                    "token_in_logs": fake.token in first.log() + second.log(),
                }
            finally:
                await first.stop()
                await second.stop()


async def main_async(args: argparse.Namespace) -> int:
    timing = dict(TEST_TIMING) if args.test_timing else {}
    defaults = SchedulerSettings(**timing)  # type: ignore[arg-type]
    print(
        f"timing: lease {defaults.lease} s, renewed every {defaults.lease_renew_every} s,"
        f" recovery every {defaults.recovery_interval} s;"
        f" kill point {args.point}, {args.papers} papers"
    )
    results = []
    for number in range(1, args.runs + 1):
        result = await one_run(args.point, args.papers, timing, args.within)
        results.append(result)
        print(f"run {number}: {json.dumps(result)}", flush=True)
    complete = [r["complete_s"] for r in results]
    ok = all(not r["duplicates"] and not r["token_in_logs"] for r in results)
    print(
        f"restart -> post complete: min {min(complete):.1f} s, median"
        f" {statistics.median(complete):.1f} s, max {max(complete):.1f} s"
        f" (promise: {PROMISE:.0f} s); exactly once and no token in logs: {ok}"
    )
    return 0 if ok and max(complete) < PROMISE else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--point", choices=sorted(KILL_POINTS), default="mid-thread")
    parser.add_argument("--papers", type=int, default=10)
    parser.add_argument("--test-timing", action="store_true", help="the e2e tests' short leases")
    parser.add_argument("--within", type=float, default=120.0, help="give up after (s)")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
