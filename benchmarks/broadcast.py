"""Broadcast: one announcement to 10,000 people on Slack and Teams, delivered by `leadwell worker` against local
fakes that enforce each platform's rate limit and inject 429s (with Retry-After) and 5xx.

What runs, all on 127.0.0.1:

- a fake Slack Web API and a fake Bot Connector, each in its own process (so the sender cannot disturb their
  clocks): tests/support/fake_slack.py and fake_connector.py with a `PlatformLimit`
  (tests/support/platform_limit.py): more than `--slack-rate` / `--teams-rate` requests in any sliding one-second
  window get 429 + Retry-After (every request counts, refused or not); a request during an announced Retry-After
  gets 429 again; an `--inject-429` share get 429 with Retry-After 1 or 2 s and an `--inject-5xx` share 503. Each
  fake counts the messages it accepted by recipient and text;
- the sender: the real `leadwell worker` (OutboxSender with the real Slack and Teams transports), configured with
  the same rates (LEADWELL_SLACK_SEND_RATE, LEADWELL_TEAMS_SEND_RATE): the hardest case, sending at the limit;
- this script: people registered with stored addresses (Slack: the user id; Teams: a ConversationReference whose
  serviceUrl is the fake connector), a warm-up message per platform (so the clock starts with the workers up),
  then the fan-out: one outbox row per recipient (purpose "announcement", reference "announcement:<id>", dedupe key
  "announce:<id>:<person id>"), written through `OutboxRepository.enqueue_many` in chunks of 1,000 rows, one
  transaction each, as the announcement feature writes them. The clock starts at the fan-out.

Printed: recipients, elapsed (fan-out start to the last message accepted), the limit-bound time, their ratio
(target: elapsed <= 1.1 x bound), lost (recipients never accepted) and duplicated (accepted more than once)
counted at the fakes, 429s and 5xx answered, and the highest one-second rate each fake saw against its limit.

The limit-bound time: the platforms send in parallel, each at its own pace, so the slower one bounds the run:
    bound = max over platforms p of ( recipients_p / rate_p + sum of the Retry-After pauses injected on p )
(429s the fake gave because the sender went over the limit, or came back during a pause, are the sender's fault
and are not added.)

Variants:
    --kill            run the worker, SIGKILL it half-way, start it again: prints lost (must be 0), duplicated,
                      and the rows leased at the kill, read from the database at that moment (duplicates may be at
                      most that: DESIGN.md, "Delivery guarantee"). The lease defaults to 10 s here, so the killed
                      worker's rows are taken over soon; elapsed includes that wait.
    --replicas 2 --database postgresql+asyncpg://...   two worker processes sharing the pace in PostgreSQL; the
                      fakes' highest one-second rate must never exceed the limit. The database is a scratch one:
                      its LeadWell tables are emptied first.

Default rates, and where they come from:
- Slack: chat.postMessage is a "special tier" method: about one message per second per channel (short bursts
  allowed) plus a workspace-wide limit Slack does not put a number on (docs.slack.dev/apis/web-api/rate-limits).
  An announcement posts once to each person's own DM, so the per-channel limit does not bind; the workspace pace
  does. LeadWell's default LEADWELL_SLACK_SEND_RATE is 20/s, used here.
- Teams: the Bot Framework's global limit is 50 requests per second per app per tenant, and a bot may make 1,800
  operations per thread (conversation) per hour (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit,
  and Microsoft's answers on Q&A 848444 and 1059876). Each recipient is a different 1:1 conversation, so the
  per-thread limit does not bind; the per-app-per-tenant one does. LeadWell's default LEADWELL_TEAMS_SEND_RATE is
  15/s (well inside 50), used here.
At those rates 10,000 recipients half and half take about 5000 / 15 = 333 s. For a quick run:
    .venv/bin/python benchmarks/broadcast.py --slack-rate 200 --teams-rate 200

    .venv/bin/python benchmarks/broadcast.py [--recipients 10000 --slack-share 0.5 --inject-429 0.002 \
                                              --inject-5xx 0.002 --slack-rate 20 --teams-rate 15]
    .venv/bin/python benchmarks/broadcast.py --kill --slack-rate 200 --teams-rate 200
    .venv/bin/python benchmarks/broadcast.py --replicas 2 --database postgresql+asyncpg://postgres@127.0.0.1/lw_x
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import insert, text
from sqlmodel import SQLModel

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.support: the fakes the tests use

from handlers.messages import Reply  # noqa: E402
from storage import Database, upgrade_database  # noqa: E402
from storage.models import ConversationAddress, Person  # noqa: E402
from storage.repositories import Repositories  # noqa: E402
from tests.support.fake_connector import FakeConnector  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.platform_limit import PlatformLimit  # noqa: E402
from tests.support.processes import free_port, leadwell_env  # noqa: E402

LEADWELL = str(Path(sys.executable).parent / "leadwell")
ANNOUNCEMENT = 1
TEXT = "Programme webinar on Thursday at 12:30: compassionate leadership in practice (announcement 1)."
WARM_UP = "LeadWell benchmark warm-up"
CHUNK = 1000  # outbox rows per fan-out transaction
PLATFORMS = ("slack", "teams")
RUNNING: list[subprocess.Popen[bytes]] = []


# ---- the fakes, each in its own process ----------------------------------------------------------------------


class BenchSlack(FakeSlack):
    def routes(self, app: web.Application) -> None:
        super().routes(app)
        app.router.add_get("/_figures", self.figures)

    async def handle(self, request: web.Request) -> web.Response:
        answer = await super().handle(request)
        self.calls.clear()  # the tests' call log would only grow (and slow the collector); the limit counts
        return answer

    async def figures(self, request: web.Request) -> web.Response:
        assert self.limit is not None
        return web.json_response(self.limit.figures())


class BenchConnector(FakeConnector):
    def routes(self, app: web.Application) -> None:
        super().routes(app)
        app.router.add_get("/_figures", self.figures)

    async def handle(self, request: web.Request) -> web.Response:
        if os.environ.get("BENCH_TRACE"):  # a log of arrivals (time, conversation), to look into a run
            with open(os.environ["BENCH_TRACE"], "a") as trace:  # noqa: ASYNC230 (a debugging aid)
                trace.write(f"{time.monotonic():.4f} {request.match_info['conversation']}\n")
        answer = await super().handle(request)
        self.sent.clear()  # as above
        return answer

    async def figures(self, request: web.Request) -> web.Response:
        assert self.limit is not None
        return web.json_response(self.limit.figures())


async def serve_fake(options: argparse.Namespace) -> None:
    limit = PlatformLimit(options.rate, options.inject_429, options.inject_5xx, seed=options.seed)
    fake: FakeSlack | FakeConnector = (
        BenchSlack(limit=limit) if options.serve_fake == "slack" else BenchConnector(limit=limit)
    )
    await fake.start(options.port)
    # The fake stamps each request when its handler runs: a collector pause here would stamp requests that arrived
    # apart as if together. Keep the start-up objects out of its way.
    gc.collect()
    gc.freeze()
    print(f"fake {options.serve_fake} on port {options.port}", flush=True)
    await asyncio.Event().wait()


# ---- processes --------------------------------------------------------------------------------------------------


def spawn(
    args: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        process = subprocess.Popen(
            args, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
    RUNNING.append(process)
    return process


def stop_all() -> None:
    for process in RUNNING:
        if process.poll() is None:
            process.terminate()
    for process in RUNNING:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    RUNNING.clear()


async def figures(port: int) -> dict[str, Any]:
    async with ClientSession(timeout=ClientTimeout(total=30)) as session:
        async with session.get(f"http://127.0.0.1:{port}/_figures") as response:
            return dict(await response.json())


async def wait_for_fake(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a fake exited with {process.returncode}")
        with contextlib.suppress(ClientError, OSError):
            await figures(port)
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("a fake did not start within 30 s")


@dataclass
class Fakes:
    ports: dict[str, int]
    slack_url: str
    connector_url: str


async def start_fakes(options: argparse.Namespace, folder: Path) -> Fakes:
    ports = {platform: free_port() for platform in PLATFORMS}
    rates = {"slack": options.slack_rate, "teams": options.teams_rate}
    for n, platform in enumerate(PLATFORMS):
        process = spawn(
            [sys.executable, __file__, "--serve-fake", platform, "--port", str(ports[platform]),
             "--rate", str(rates[platform]), "--inject-429", str(options.inject_429),
             "--inject-5xx", str(options.inject_5xx), "--seed", str(options.seed + n)],
            folder / f"fake-{platform}.log",
        )  # fmt: skip
        await wait_for_fake(ports[platform], process)
    return Fakes(ports, f"http://127.0.0.1:{ports['slack']}/api/", f"http://127.0.0.1:{ports['teams']}/")


def worker_env(options: argparse.Namespace, fakes: Fakes, url: str) -> dict[str, str]:
    settings = {
        "LEADWELL_DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench-signing-secret",
        "LEADWELL_SLACK_API_URL": fakes.slack_url,
        "LEADWELL_SLACK_SEND_RATE": str(options.slack_rate),
        "LEADWELL_TEAMS_SEND_RATE": str(options.teams_rate),  # Teams: local emulator mode on loopback (no app id)
        "LEADWELL_LOG_FORMAT": "text",
    }
    if options.lease:
        settings["LEADWELL_OUTBOX_LEASE"] = f"{options.lease}s"
    return leadwell_env(**settings)


def start_worker(env: dict[str, str], folder: Path, n: int, profile: str | None = None) -> subprocess.Popen[bytes]:
    command = [LEADWELL, "worker"]
    if profile:  # cProfile, written when the worker stops (SIGTERM is a clean stop)
        command = [sys.executable, "-m", "cProfile", "-o", f"{profile}/worker-{n}.prof", "-m", "bot.cli", "worker"]
    return spawn(command, folder / f"worker-{n}.log", env=env, cwd=folder)


# ---- the database -------------------------------------------------------------------------------------------


async def empty(db: Database) -> None:
    """A scratch PostgreSQL database: empty its LeadWell tables (SQLite files here are always new)."""
    if db.dialect != "postgresql":
        return
    import storage.models  # noqa: F401  (every table in the metadata)

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def teams_address(n: int, connector_url: str) -> dict[str, Any]:
    """A personal-chat ConversationReference as stored when the app is installed for someone."""
    return {
        "user": {"id": f"29:bench-{n}", "aadObjectId": f"00000000-0000-4000-8000-{n:012d}"},
        "bot": {"id": "28:leadwell-bench", "name": "LeadWell"},
        "conversation": {"id": f"a:personal-{n}", "conversationType": "personal", "tenantId": "bench-tenant"},
        "channelId": "msteams",
        "serviceUrl": connector_url,
    }


async def register(db: Database, total: int, slack_share: float, connector_url: str) -> dict[str, dict[int, str]]:
    """People 1..total (Slack first) with stored addresses; per platform, person id -> where the fake sees it
    (Slack: the user id posted to; Teams: the conversation id). Person 0 of each platform gets the warm-up."""
    now = datetime.now(UTC)
    slack_count = round(total * slack_share)
    people, addresses = [], []
    recipients: dict[str, dict[int, str]] = {"slack": {}, "teams": {}}
    for pid in range(1, total + 3):
        platform = "slack" if pid <= slack_count or pid == total + 1 else "teams"
        if platform == "slack":
            user = f"U{pid:08d}"
            identity, address, seen = f"slack:T111:{user}", {"team": "T111", "user": user}, user
        else:
            address = teams_address(pid, connector_url)
            identity, seen = f"teams:{address['user']['aadObjectId']}", address["conversation"]["id"]
        people.append({"id": pid, "identity": identity, "platform": platform, "role": "staff",
                       "role_source": "default", "timezone": "Europe/London", "created_at": now})  # fmt: skip
        addresses.append({"person_id": pid, "platform": platform, "address": address, "reachable": True,
                          "updated_at": now})  # fmt: skip
        recipients[platform][pid] = seen
    async with db.engine.begin() as conn:
        for start in range(0, len(people), 5000):
            await conn.execute(insert(Person.__table__), people[start : start + 5000])  # type: ignore[attr-defined]
            await conn.execute(insert(ConversationAddress.__table__), addresses[start : start + 5000])  # type: ignore[attr-defined]
    if db.dialect == "postgresql":
        async with db.engine.begin() as conn:
            await conn.execute(text("SELECT setval('person_id_seq', (SELECT max(id) FROM person))"))
    return recipients


async def enqueue(db: Database, rows: list[tuple[int, str]], *, purpose: str, text_: str, key: str) -> None:
    """One outbox row per (person id, platform), `CHUNK` rows per transaction (the announcement fan-out)."""
    now = datetime.now(UTC)
    payload = Reply(text_).to_dict()
    for start in range(0, len(rows), CHUNK):
        messages = [
            {"dedupe_key": f"{key}:{pid}", "purpose": purpose, "reference": f"announcement:{ANNOUNCEMENT}",
             "person_id": pid, "platform": platform, "payload": payload, "due_at": now}
            for pid, platform in rows[start : start + CHUNK]
        ]  # fmt: skip
        async with db.transaction() as session:
            await Repositories(session).outbox.enqueue_many(messages, now=now)


async def counts(db: Database, purpose: str) -> Counter[str]:
    async with db.engine.connect() as conn:
        result = await conn.execute(
            text("SELECT state, count(*) FROM outbox_message WHERE purpose = :p GROUP BY state"), {"p": purpose}
        )
        return Counter({str(state): int(n) for state, n in result.all()})


# ---- the run ------------------------------------------------------------------------------------------------


async def wait_all_done(db: Database, total: int, seconds: float, progress: Progress | None = None,
                        task: Any = None, kill_at: int | None = None,
                        on_kill: Any = None) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = await counts(db, "announcement")
        done = state["sent"] + state["failed"]
        if progress is not None:
            progress.update(task, completed=state["sent"])
        if kill_at is not None and on_kill is not None and state["sent"] >= kill_at:
            await on_kill()
            kill_at = None
        if done >= total:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"not finished within {seconds:.0f} s: {dict(await counts(db, 'announcement'))}")


async def run(options: argparse.Namespace, folder: Path) -> None:
    url = options.database or f"sqlite+aiosqlite:///{folder}/broadcast.db"
    fakes = await start_fakes(options, folder)
    db = Database(url)
    try:
        await empty(db)
        recipients = await register(db, options.recipients, options.slack_share, fakes.connector_url)
        warm = {platform: max(ids) for platform, ids in recipients.items()}  # the two extra people
        env = worker_env(options, fakes, url)
        workers = [start_worker(env, folder, n, options.profile) for n in range(options.replicas)]
        await enqueue(db, [(pid, p) for p, pid in warm.items()], purpose="warmup", text_=WARM_UP, key="warmup")
        await wait_warm(db, workers, folder)
        expected = {p: {pid: seen for pid, seen in ids.items() if pid != warm[p]} for p, ids in recipients.items()}
        rows = sorted((pid, p) for p, ids in expected.items() for pid in ids)
        killed: dict[str, Any] = {}

        async def kill() -> None:
            victim = workers[0]
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            state = await counts(db, "announcement")
            killed.update(leased=state["leased"], sent=state["sent"], at=time.monotonic())
            workers[0] = start_worker(env, folder, len(workers) + 1, options.profile)

        total = len(rows)
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), transient=True) as progress:  # fmt: skip
            task = progress.add_task("sent", total=total)
            started = time.monotonic()
            await enqueue(db, rows, purpose="announcement", text_=TEXT, key=f"announce:{ANNOUNCEMENT}")
            enqueued = time.monotonic() - started
            await wait_all_done(db, total, options.timeout, progress, task,
                                kill_at=total // 2 if options.kill else None, on_kill=kill)  # fmt: skip
        state = await counts(db, "announcement")
        seen = {platform: await figures(fakes.ports[platform]) for platform in PLATFORMS}
        report(options, expected, seen, started, enqueued, state, killed, workers, folder)
    finally:
        stop_all()
        await db.dispose()


async def wait_warm(db: Database, workers: list[subprocess.Popen[bytes]], folder: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(w.poll() is not None for w in workers):
            raise RuntimeError(f"a worker exited; see {folder}/worker-*.log")
        if (await counts(db, "warmup"))["sent"] >= 2:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the workers did not deliver the warm-up within 60 s; see {folder}/worker-*.log")


def report(options: argparse.Namespace, expected: dict[str, dict[int, str]], seen: dict[str, dict[str, Any]],
           started: float, enqueued: float, state: Counter[str], killed: dict[str, Any],
           workers: list[subprocess.Popen[bytes]], folder: Path) -> None:  # fmt: skip
    rates = {"slack": options.slack_rate, "teams": options.teams_rate}
    total = sum(len(ids) for ids in expected.values())
    lost = duplicated = 0
    bounds, elapsed_by = {}, {}
    for platform in PLATFORMS:
        accepted = Counter({r: n for r, t, n in seen[platform]["accepted"] if t == TEXT})
        wanted = set(expected[platform].values())
        lost += len(wanted - set(accepted))
        duplicated += sum(n - 1 for r, n in accepted.items() if n > 1)
        pauses = sum(s for at, s in seen[platform]["pauses"] if at >= started)
        bounds[platform] = (len(wanted) / rates[platform], pauses)
        elapsed_by[platform] = max(0.0, seen[platform]["last_accepted_at"] - started) if wanted else 0.0
    elapsed = max(elapsed_by.values())
    bound = max(n + p for n, p in bounds.values())
    mode = "kill" if options.kill else f"{options.replicas} worker process{'es' if options.replicas > 1 else ''}"
    database = "PostgreSQL" if options.database else "SQLite"
    print(f"broadcast: {total:,} recipients ({len(expected['slack']):,} Slack, {len(expected['teams']):,} Teams), "
          f"{mode}, {database}, lease {options.lease or 'default'} s")  # fmt: skip
    print(f"  rates (fake limit = sender's configured rate): Slack {options.slack_rate:g}/s, "
          f"Teams {options.teams_rate:g}/s; injected: 429 share {options.inject_429:g}, "
          f"5xx share {options.inject_5xx:g}")  # fmt: skip
    print(f"  fan-out: {total:,} outbox rows in chunks of {CHUNK:,} written in {enqueued:.2f} s")
    for platform in PLATFORMS:
        n, p = bounds[platform]
        if not expected[platform]:
            continue
        print(f"  {platform:5}: elapsed {elapsed_by[platform]:7.1f} s, bound {n:.1f} s + {p:.0f} s injected "
              f"Retry-After = {n + p:.1f} s, ratio {elapsed_by[platform] / (n + p):.3f}")  # fmt: skip
    ratio = elapsed / bound
    print(f"  elapsed {elapsed:.1f} s; limit-bound time {bound:.1f} s (max over platforms of recipients / rate + "
          f"injected Retry-After); ratio {ratio:.3f} "
          f"(target <= 1.10: {'met' if ratio <= 1.10 else 'NOT met'})")  # fmt: skip
    print(f"  lost: {lost}   duplicated: {duplicated}   outbox: {dict(state)}")
    if killed:
        verdict = "within" if duplicated <= killed["leased"] else "MORE THAN"
        print(f"  killed (SIGKILL) at {killed['sent']:,} sent, {killed['at'] - started:.1f} s in; "
              f"rows leased at the kill: {killed['leased']}; duplicated {duplicated} ({verdict} that)")  # fmt: skip
    for platform in PLATFORMS:
        f = seen[platform]
        print(f"  fake {platform:5}: highest one-second rate {f['peak']} (limit {rates[platform]:g}: "
              f"{'never exceeded' if f['peak'] <= rates[platform] else 'EXCEEDED'}); requests {f['arrivals']:,}; "
              f"429s {f['injected_429'] + f['over_limit'] + f['during_pause']} ({f['injected_429']} injected, "
              f"{f['over_limit']} over the limit, {f['during_pause']} during a Retry-After); "
              f"5xx {f['injected_5xx']}")  # fmt: skip
    for platform in PLATFORMS:
        for gaps in seen[platform]["over_limit_windows"]:
            print(f"  {platform} window over the limit, gaps between arrivals (ms): {gaps}")
    errors = [line for n in range(len(workers) + 2) for line in _log_problems(folder / f"worker-{n}.log")]
    print(f"  worker logs: {len(errors)} warnings/errors" + (":" if errors else ""))
    for line in errors[:10]:
        print(f"    {line}")


def _log_problems(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(errors="replace").splitlines()
    expected = ("asked us to wait",)  # the injected 429s, said once each
    return [line for line in lines if ("ERROR" in line or "Traceback" in line or "WARNING" in line)
            and not any(e in line for e in expected)]  # fmt: skip


# ---- entry ------------------------------------------------------------------------------------------------


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--slack-share", type=float, default=0.5, help="the share of recipients on Slack")
    parser.add_argument("--slack-rate", type=float, default=20.0, help="messages/s (fake limit and sender rate)")
    parser.add_argument("--teams-rate", type=float, default=15.0, help="messages/s (fake limit and sender rate)")
    parser.add_argument(
        "--inject-429", type=float, default=0.002, help="share of sends answered 429 (Retry-After 1-2 s)"
    )
    parser.add_argument("--inject-5xx", type=float, default=0.002, help="share of sends answered 503")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--kill", action="store_true", help="SIGKILL the worker half-way and start it again")
    parser.add_argument("--replicas", type=int, default=1, help="worker processes (more than 1 needs PostgreSQL)")
    parser.add_argument("--database", help="postgresql+asyncpg://... (a scratch database; emptied first)")
    parser.add_argument("--lease", type=float, help="outbox lease in seconds (default: LeadWell's; 10 with --kill)")
    parser.add_argument("--profile", metavar="DIR", help="profile each worker with cProfile into DIR/worker-N.prof")
    parser.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds")
    parser.add_argument("--serve-fake", choices=PLATFORMS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.kill and options.lease is None:
        options.lease = 10.0
    if options.replicas > 1 and not (options.database or "").startswith("postgresql"):
        parser.error("--replicas above 1 needs --database postgresql+asyncpg://... (one worker per SQLite file)")
    return options


def main() -> None:
    options = parse_options()
    if options.serve_fake:
        asyncio.run(serve_fake(options))
        return
    with tempfile.TemporaryDirectory(prefix="leadwell-broadcast-") as folder:
        url = options.database or f"sqlite+aiosqlite:///{folder}/broadcast.db"
        upgrade_database(url)
        try:
            asyncio.run(run(options, Path(folder)))
        except KeyboardInterrupt:
            print("interrupted: subprocesses stopped", file=sys.stderr)
            sys.exit(130)
        except RuntimeError as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            if os.environ.get("LEADWELL_BENCH_KEEP"):
                input(f"logs in {folder}; press Enter to remove them")
            sys.exit(1)
        finally:
            stop_all()


if __name__ == "__main__":
    main()
