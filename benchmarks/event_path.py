"""Slack event path: LeadWell (`leadwell serve`, embedded SQLite) against a minimal slack-bolt app, in one run.

Four kinds of process, all on 127.0.0.1, each its own subprocess:

- a fake Slack Web API (aiohttp) that answers `auth.test`, `chat.postMessage`, `views.publish` and the
  rest, and records the channel and arrival time (`time.time()`) of every `chat.postMessage`;
- the server under test: first LeadWell (`.venv/bin/leadwell serve` in a fresh working directory, its
  own SQLite file, replies sent to the fake), then the baseline: a bolt `AsyncApp` on bolt's aiohttp
  adapter that acks `message` events and replies "echo" with `chat_postMessage`;
- a load generator (aiohttp) per phase, sending correctly signed Slack DM events, each to its own
  channel so its reply can be matched at the fake.

For each server, one after the other: a short warm-up; a steady open-loop rate (ack p50/p99/max,
non-200s); then a fixed number of closed-loop clients (ack p99, reply latency p99 from send to the
first `chat.postMessage` to that channel, reply throughput, and the backlog: events acknowledged whose
reply had not reached the fake a fixed grace after the last ack). Late replies are waited for (bounded)
before the next phase, so each phase starts on an idle server. Then the LeadWell/baseline ratios next to
DESIGN's targets. Alongside: the server's CPU per event and how busy its event-loop thread was, Linux's
count of listen-queue overflows (each one a 1 s SYN retry for a client), and how much CPU other
processes on the machine took meanwhile (a warning when they skew the figures). Prints figures only (no
asserts); every loop is bounded in count and time; Ctrl-C or SIGTERM stops every subprocess and
removes the temp dir.

    .venv/bin/python benchmarks/event_path.py [--rate 400 --seconds 10 --concurrency 200 --events 2000]
    .venv/bin/python benchmarks/event_path.py --only leadwell --py-spy /tmp/leadwell.txt   # profile too
    .venv/bin/python benchmarks/event_path.py --first-contact   # every event from a new user (registration)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web

SECRET = "bench-secret"
TOKEN = "xoxb-bench"
HERE = Path(__file__).resolve()
REPO = HERE.parent.parent
BIN = Path(sys.executable).parent
STARTED = time.monotonic()
DESIGN_TARGETS = (
    "ack p99 < 50 ms at a steady 400 requests/s; at 200 concurrent clients, ack p99 and reply throughput "
    "within 1.2x of the baseline, with no backlog left"
)


RUNNING: set[int] = set()  # pids of our running subprocesses (servers, fake Slack, profiler, load generator)


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


# ---- C. fake Slack Web API (its own process) --------------------------------------------------------------


def serve_fake_slack(port: int) -> None:
    """Answer the Web API methods the two servers call; record every chat.postMessage (channel, time)."""
    posts: list[tuple[str, float]] = []
    methods: Counter[str] = Counter()
    sequence = iter(range(1, 10**12))

    async def payload(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = await request.json()
            return data if isinstance(data, dict) else {}
        return dict(await request.post())

    async def api(request: web.Request) -> web.Response:
        arrived = time.time()
        method = request.match_info["method"]
        methods[method] += 1
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "W111", "team_id": "T111", "bot_id": "B111"})
        if method == "users.info":  # LeadWell asks once per newcomer, after the ack (a sender's email)
            user = request.query.get("user") or str((await payload(request)).get("user", ""))
            return web.json_response({"ok": True, "user": {"id": user, "profile": {"email": f"{user}@nhs.test"}}})
        if method == "chat.postMessage":
            channel = str((await payload(request)).get("channel", ""))
            posts.append((channel, arrived))
            return web.json_response({"ok": True, "channel": channel, "ts": f"{int(arrived)}.{next(sequence):06d}"})
        return web.json_response({"ok": True})

    async def calls(request: web.Request) -> web.Response:
        prefix = request.query.get("prefix", "")
        first: dict[str, float] = {}
        per_channel: Counter[str] = Counter()
        for channel, arrived in posts:
            if channel.startswith(prefix):
                per_channel[channel] += 1
                first.setdefault(channel, arrived)
        repeated = {channel: count for channel, count in per_channel.items() if count > 1}
        return web.json_response({"first": first, "posts": per_channel.total(), "repeated": repeated,
                                  "methods": dict(methods)})  # fmt: skip

    async def reset(_request: web.Request) -> web.Response:
        posts.clear()
        methods.clear()
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_route("*", "/api/{method}", api)
    app.router.add_get("/_calls", calls)
    app.router.add_post("/_reset", reset)
    app.router.add_get("/healthz", healthz)
    # A deep accept queue: the fake must never be why a reply is late (the servers keep aiohttp's 128).
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, backlog=4096)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# ---- B. baseline: a minimal bolt app (its own process) ----------------------------------------------------


def serve_baseline(port: int, slack_url: str) -> None:
    """slack-bolt's AsyncApp on its aiohttp adapter: ack `message`, reply "echo" to the event's channel."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=slack_url))

    @bolt.event("message")
    async def echo(event: dict[str, Any], ack: Any, client: AsyncWebClient) -> None:
        await ack()
        await client.chat_postMessage(channel=event["channel"], text="echo")

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# ---- D. load generator (its own process) ------------------------------------------------------------------


def signed_event(prefix: str, n: int, user: str) -> tuple[str, bytes, dict[str, str]]:
    """A Slack DM event to channel `{prefix}{n}`, signed the way Slack signs (v0:timestamp:body, HMAC-SHA256)."""
    channel = f"{prefix}{n}"
    now = time.time()
    ts = f"{int(now)}.{n:06d}"
    body = json.dumps(
        {
            "token": "t", "team_id": "T111", "api_app_id": "A111", "type": "event_callback",
            "event_id": f"Ev{prefix}{n}", "event_time": int(now),
            "event": {"type": "message", "channel_type": "im", "user": user, "text": "hello", "ts": ts,
                      "channel": channel, "event_ts": ts},
            "authorizations": [{"team_id": "T111", "user_id": "W111", "is_bot": True}],
        }
    ).encode()  # fmt: skip
    stamp = str(int(now))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    return channel, body, headers


async def generate_load(spec: dict[str, Any]) -> list[list[Any]]:
    """Send the phase's events; one row per event: [channel, sent (time.time), ack seconds, status, lag, error]."""
    count, prefix, users = int(spec["count"]), str(spec["prefix"]), int(spec["users"])
    user_prefix = str(spec.get("user_prefix", "U"))
    if spec.get("first_contact"):  # a user id never seen before for every event: each one a first contact
        prepared = [signed_event(prefix, n, f"{user_prefix}{prefix.upper()}N{n}") for n in range(count)]
    else:
        prepared = [signed_event(prefix, n, f"{user_prefix}{n % users}") for n in range(count)]
    rows: list[list[Any]] = []
    pending = 0
    connector = TCPConnector(limit=int(spec.get("connections", 1000)))
    async with ClientSession(connector=connector, timeout=ClientTimeout(total=float(spec["timeout"]))) as session:

        async def one(n: int, lag: float) -> None:
            nonlocal pending
            channel, body, headers = prepared[n]
            pending += 1
            sent, began = time.time(), time.perf_counter()
            status, error = 0, ""
            try:
                async with session.post(spec["url"], data=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (ClientError, TimeoutError) as exc:
                error = type(exc).__name__
            rows.append([channel, sent, time.perf_counter() - began, status, lag, error])
            pending -= 1

        async def progress() -> None:
            for _ in range(10_000):  # bounded: cancelled when the phase ends
                await asyncio.sleep(1.0)
                failed = sum(1 for row in rows if row[3] != 200)
                print(f"         … {spec['label']}: sent {len(rows) + pending}/{count}, acked {len(rows)}, "
                      f"in flight {pending}, errors {failed}", flush=True)  # fmt: skip

        reporter = asyncio.create_task(progress())
        try:
            if spec["mode"] == "rate":  # open loop: send on schedule, whatever the responses do
                rate, start, tasks = float(spec["rate"]), time.perf_counter(), []
                for n in range(count):
                    due = start + n / rate
                    delay = due - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    tasks.append(asyncio.create_task(one(n, max(0.0, time.perf_counter() - due))))
                await asyncio.gather(*tasks)
            else:  # closed loop: each client sends its next event when the previous one is acknowledged
                numbers = iter(range(count))

                async def client() -> None:
                    for n in numbers:
                        await one(n, 0.0)

                await asyncio.gather(*(client() for _ in range(int(spec["clients"]))))
        finally:
            reporter.cancel()
    return rows


# ---- orchestration ----------------------------------------------------------------------------------------


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Phase:
    """What one load phase measured (latencies in seconds)."""

    acks: list[float]
    statuses: Counter[str]
    sent: int
    acked: int
    lag_max: float
    reply_latencies: list[float]
    replies: int
    backlog: int
    span: float
    posts: int
    cpu: float
    overflows: int
    others: float

    @property
    def errors(self) -> int:
        return self.sent - self.statuses.get("200", 0)

    @property
    def throughput(self) -> float:
        return self.replies / self.span if self.span > 0 else 0.0


@dataclass
class Result:
    name: str
    phases: dict[str, Phase] = field(default_factory=dict)
    log_lines: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))] * 1000


def listen_overflows() -> int:
    """Linux's count of connections dropped because a listener's accept queue was full (TcpExt ListenOverflows):
    each costs the client a SYN retry after 1 s."""
    try:
        header, values = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()[:2]]
        return int(dict(zip(header, values, strict=True)).get("ListenOverflows", 0))
    except (OSError, ValueError):
        return 0


def cpu_times(pid: int, task: int | None = None) -> tuple[float, float]:
    """(user, system) CPU seconds of a process, or of one of its threads, so far (Linux /proc)."""
    path = f"/proc/{pid}/task/{task}/stat" if task is not None else f"/proc/{pid}/stat"
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan, math.nan
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def cpu_seconds(pid: int) -> float:
    return sum(cpu_times(pid))


class MachineMeter:
    """How busy the whole machine was over an interval, and how much of that was not this benchmark's processes
    (another job on the same cores skews every figure); `steal` is time the hypervisor gave to other guests."""

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float, float]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        tick = os.sysconf("SC_CLK_TCK")
        busy = (sum(values[:8]) - values[3] - values[4]) / tick  # all but idle and iowait
        steal = values[7] / tick if len(values) > 7 else 0.0
        ours = sum(cpu_seconds(pid) for pid in RUNNING)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):  # us, and the finished load generators
            usage = resource.getrusage(who)
            ours += usage.ru_utime + usage.ru_stime
        return time.monotonic(), busy, steal, ours

    def report(self) -> tuple[float, str]:
        """Cores used by other processes on average, and a line saying so."""
        end = self._sample()
        seconds, busy, steal, ours = (b - a for a, b in zip(self.start, end, strict=True))
        others = max(0.0, busy - steal - ours) / max(1e-9, seconds)
        return others, (f"machine {busy / max(1e-9, seconds):.2f} cores busy, other processes {others:.2f} cores, "
                        f"steal {steal / max(1e-9, seconds):.2f} cores")  # fmt: skip


def spawn(name: str, args: list[str], cwd: Path, env: dict[str, str] | None, folder: Path) -> Child:
    log = folder / f"{name}.log"
    with log.open("wb") as sink:
        # Its own session: a Ctrl-C reaches only us, and we stop the children in order.
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    RUNNING.add(process.pid)
    return Child(name, process, log)


def stop(child: Child) -> None:
    """Terminate, then kill if it has not gone in 15 s."""
    RUNNING.discard(child.process.pid)
    if child.process.poll() is not None:
        return
    child.process.terminate()
    try:
        child.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        child.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=5)


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


async def wait_healthy(child: Child, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    async with ClientSession(timeout=ClientTimeout(total=2)) as session:
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise RuntimeError(f"{child.name} exited with {child.process.returncode} before it was healthy:\n"
                                   f"{tail(child.log)}")  # fmt: skip
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except (ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{child.name} was not healthy within {seconds:g} s:\n{tail(child.log)}")


async def fake_calls(fake_port: int, prefix: str) -> dict[str, Any]:
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        async with session.get(f"http://127.0.0.1:{fake_port}/_calls", params={"prefix": prefix}) as response:
            return await response.json()


async def finish(process: asyncio.subprocess.Process) -> None:
    """Terminate, then kill, an asyncio subprocess that is still running."""
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def run_generator(spec: dict[str, Any], folder: Path, limit: float) -> list[list[Any]]:
    """Run one phase's load generator as a subprocess (its progress lines go to our stdout)."""
    spec_path = folder / f"{spec['prefix']}.spec.json"
    out_path = folder / f"{spec['prefix']}.rows.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out_path)}))
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(HERE), "--load-generator", str(spec_path), start_new_session=True
    )
    RUNNING.add(process.pid)
    try:
        await asyncio.wait_for(process.wait(), timeout=limit)
    except TimeoutError:
        raise RuntimeError(f"load generator still running after {limit:g} s") from None
    finally:
        await finish(process)
        RUNNING.discard(process.pid)
    if process.returncode != 0:
        raise RuntimeError(f"load generator exited with {process.returncode}")
    return json.loads(out_path.read_text())


async def phase(
    label: str, spec: dict[str, Any], server_pid: int, fake_port: int, options: argparse.Namespace, folder: Path
) -> Phase:
    """Send a phase's events, then wait (at most `grace` after the last ack) for their replies at the fake."""
    meter = MachineMeter()
    cpu_before, overflows_before = cpu_times(server_pid), listen_overflows()
    main_before = cpu_times(server_pid, server_pid)  # the main thread: the event loop
    began_monotonic = time.monotonic()
    limit = 120 + float(spec.get("count", 0)) / 10
    spec = {**spec, "label": label, "users": options.users, "first_contact": options.first_contact, "timeout": 30}
    rows = await run_generator(spec, folder, limit)
    began = min(row[1] for row in rows)
    last_ack = max(row[1] + row[2] for row in rows)
    acked = {row[0]: row for row in rows if row[3] == 200}
    calls: dict[str, Any] = {"first": {}, "posts": 0}
    deadline = last_ack + options.grace
    for _ in range(int(options.grace / 0.25) + 40):  # bounded by count and by the grace deadline
        calls = await fake_calls(fake_port, spec["prefix"])
        if sum(1 for channel in acked if channel in calls["first"]) >= len(acked) or time.time() >= deadline:
            break
        await asyncio.sleep(0.25)
    # CPU for sending, acking and replying (and any idle work meanwhile), and how busy the event loop's thread was
    user, system = (after - before for after, before in zip(cpu_times(server_pid), cpu_before, strict=True))
    cpu = user + system
    loop_busy = sum(cpu_times(server_pid, server_pid)) - sum(main_before)
    loop_share = loop_busy / max(1e-9, time.monotonic() - began_monotonic)
    overflows = listen_overflows() - overflows_before
    others, machine = meter.report()
    first: dict[str, float] = {c: t for c, t in calls["first"].items() if c in acked}
    statuses = Counter(str(row[3]) if row[3] else row[5] or "no response" for row in rows)
    result = Phase(
        acks=[row[2] for row in rows],
        statuses=statuses,
        sent=len(rows),
        acked=len(acked),
        lag_max=max(row[4] for row in rows),
        reply_latencies=[first[c] - acked[c][1] for c in first],
        replies=len(first),
        backlog=len(acked) - len(first),
        span=(max(first.values()) - began) if first else 0.0,
        posts=int(calls["posts"]),
        cpu=cpu,
        overflows=overflows,
        others=others,
    )
    if result.backlog and options.drain > 0:
        await drain(label, spec["prefix"], set(acked), fake_port, options.drain)
    say(
        f"{label}: {result.sent} sent, {result.acked} acked (200), errors {result.errors} {dict(statuses)}; "
        f"ack p50/p99/max {pct(result.acks, 0.5):.1f}/{pct(result.acks, 0.99):.1f}/{pct(result.acks, 1):.1f} ms; "
        f"replies {result.replies} (postMessage calls {result.posts}), reply p99 "
        f"{pct(result.reply_latencies, 0.99):.0f} ms, {result.throughput:.0f} replies/s, backlog {result.backlog}; "
        f"server CPU {result.cpu:.1f} s (user {user:.1f}, system {system:.1f}; event-loop thread busy "
        f"{loop_share * 100:.0f}% of the phase); generator lag max {result.lag_max * 1000:.0f} ms; "
        f"acks >= 1 s: {sum(ack >= 1 for ack in result.acks)}; listen-queue overflows: {result.overflows}; {machine}"
    )
    return result


async def drain(label: str, prefix: str, acked: set[str], fake_port: int, limit: float) -> None:
    """Wait (at most `limit` s) until every acknowledged event of a phase has its reply, so the next phase
    starts on an idle server; the phase's backlog figure is still the one counted at the grace deadline."""
    began = time.monotonic()
    missing = len(acked)
    for step in range(int(limit / 0.5) + 1):  # bounded by count and by `limit`
        calls = await fake_calls(fake_port, prefix)
        missing = len(acked - set(calls["first"]))
        if missing == 0 or time.monotonic() - began >= limit:
            break
        if step % 10 == 0:
            say(f"{label}: draining before the next phase, {missing} replies still to come")
        await asyncio.sleep(0.5)
    waited = time.monotonic() - began
    if missing:
        say(f"{label}: {missing} replies still missing {waited:.1f} s after the grace (drain limit {limit:g} s)")
    else:
        say(f"{label}: the last late reply arrived within {waited:.1f} s after the grace")


async def measure(name: str, child: Child, fake_port: int, port: int, options: argparse.Namespace,
                  folder: Path) -> Result:  # fmt: skip
    url = f"http://127.0.0.1:{port}/slack/events"
    run = uuid.uuid4().hex[:6]
    result = Result(name)
    pid = child.process.pid
    before = cpu_seconds(pid)
    await asyncio.sleep(3)
    idle = (cpu_seconds(pid) - before) / 3
    say(f"{name}: idle CPU {idle * 100:.1f}% of a core (over 3 s with no requests)")
    if options.first_contact:
        say(f"{name}: first-contact mode: every event comes from a user id never seen before")
    if options.warmup:
        say(f"{name}: warm-up, {options.warmup} events from 10 clients")
        spec = {"url": url, "mode": "clients", "clients": 10, "count": options.warmup, "prefix": f"D{run}w",
                "user_prefix": "UW"}  # fmt: skip
        await phase(f"{name} warm-up", spec, pid, fake_port, options, folder)
    count = int(options.rate * options.seconds)
    say(f"{name}: steady {options.rate:g} requests/s for {options.seconds:g} s ({count} events, open loop)")
    spec = {"url": url, "mode": "rate", "rate": options.rate, "count": count, "prefix": f"D{run}s"}
    result.phases["steady"] = await phase(f"{name} steady", spec, pid, fake_port, options, folder)
    say(f"{name}: {options.concurrency} concurrent clients, {options.events} events (closed loop)")
    spec = {"url": url, "mode": "clients", "clients": options.concurrency, "count": options.events,
            "prefix": f"D{run}c"}  # fmt: skip
    result.phases["concurrent"] = await phase(f"{name} concurrent", spec, pid, fake_port, options, folder)
    return result


def notable_log_lines(path: Path, limit: int = 8) -> list[str]:
    """Warnings, errors and tracebacks in a server's output, counted once per distinct message."""
    seen: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
        if re.search(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback|Error:", line):
            seen[re.sub(r"^\S+ \S+ ", "", line)[:200]] += 1
    return [f"{count:6d} x {line}" for line, count in seen.most_common(limit)]


def leadwell_env(folder: Path, port: int, slack_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("LEADWELL_", "SLACK_", "MICROSOFTAPP"))}
    env.update(
        LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db",
        LEADWELL_PORT=str(port),
        LEADWELL_HOST="127.0.0.1",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        LEADWELL_SLACK_API_URL=slack_url,
        LEADWELL_SLACK_SEND_RATE="1000",
        LEADWELL_LOG_FORMAT="text",
    )
    return env


async def wait_for_import(seconds: float) -> None:
    """LeadWell needs its knowledge base to load; wait (bounded) while someone is still writing it."""
    check = "import bot.cli; from knowledge import KnowledgeBase; KnowledgeBase.load()"
    deadline = time.monotonic() + seconds
    for attempt in range(1, 1000):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", check, cwd=REPO, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
        except TimeoutError:
            stderr = b"(the import check took over 120 s)"
        finally:
            await finish(process)
        if process.returncode == 0:
            return
        if time.monotonic() + 60 > deadline:
            raise RuntimeError(f"LeadWell does not import: {stderr.decode(errors='replace')[-800:]}")
        say(f"LeadWell does not import yet (attempt {attempt}); retrying in 60 s")
        await asyncio.sleep(60)


async def orchestrate(options: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="leadwell-bench-"))
    children: list[Child] = []
    try:
        print_machine()
        await wait_for_import(options.wait_import)
        fake_port = free_port()
        fake = spawn("fake-slack", [sys.executable, str(HERE), "--fake-slack", str(fake_port)], folder, None, folder)
        children.append(fake)
        await wait_healthy(fake, fake_port, 30)
        slack_url = f"http://127.0.0.1:{fake_port}/api/"
        say(f"fake Slack Web API on {slack_url} (pid {fake.process.pid}); temp dir {folder}")
        results: dict[str, Result] = {}
        if options.only in ("both", "leadwell"):
            port, cwd = free_port(), folder / "leadwell-cwd"
            cwd.mkdir()
            command = shlex.split(options.leadwell_command) if options.leadwell_command else [str(BIN / "leadwell")]
            child = spawn("leadwell", [*command, "serve"], cwd, leadwell_env(folder, port, slack_url), folder)
            children.append(child)
            await wait_healthy(child, port, 180)
            say(f"LeadWell serving on 127.0.0.1:{port} (pid {child.process.pid}); SQLite {folder}/bench.db")
            profiler = start_profiler(options.py_spy, child.process.pid, folder)
            try:
                results["LeadWell"] = await measure("LeadWell", child, fake_port, port, options, folder)
            finally:
                if profiler is not None:
                    profiler.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        profiler.process.wait(timeout=60)
                    stop(profiler)
                    say(f"py-spy profile of LeadWell written to {options.py_spy} ({tail(profiler.log, 3)})")
            stop(child)
            results["LeadWell"].log_lines = notable_log_lines(child.log)
        if options.only in ("both", "baseline"):
            port = free_port()
            args = [sys.executable, str(HERE), "--baseline-server", str(port), "--slack-url", slack_url]
            child = spawn("baseline", args, folder, None, folder)
            children.append(child)
            await wait_healthy(child, port, 60)
            say(f"bolt baseline serving on 127.0.0.1:{port} (pid {child.process.pid})")
            results["bolt baseline"] = await measure("bolt baseline", child, fake_port, port, options, folder)
            stop(child)
            results["bolt baseline"].log_lines = notable_log_lines(child.log)
        report(results, options)
    finally:
        for child in reversed(children):
            stop(child)
        for pid in list(RUNNING):  # a load generator interrupted mid-phase
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


def start_profiler(output: str | None, pid: int, folder: Path) -> Child | None:
    if not output:
        return None
    py_spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if py_spy is None:
        say("py-spy not found (pip install py-spy); running without a profile")
        return None
    args = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", output, "--rate", "200"]
    args.append("--gil")  # only the thread holding the GIL: where the (single) core goes
    child = spawn("py-spy", args, folder, None, folder)
    time.sleep(1.0)  # let it attach before the load starts
    return child


def print_machine() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, timeout=10)
        revision = commit.stdout.decode().strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        revision = "?"
    packages = ", ".join(f"{p} {version(p)}" for p in ("slack_bolt", "slack_sdk", "aiohttp", "sqlalchemy", "aiosqlite"))
    print(f"machine: nproc {cores} ({platform.machine()}, {platform.system()} {platform.release()}); "
          f"Python {platform.python_version()} ({sys.executable})")  # fmt: skip
    print(f"LeadWell at {REPO} (HEAD {revision}, plus any uncommitted edits); {packages}", flush=True)


def report(results: dict[str, Result], options: argparse.Namespace) -> None:
    names = list(results)
    clients = options.concurrency
    rows: list[tuple[str, str, Any]] = [
        (f"steady {options.rate:g}/s: ack p50 (ms)", "steady", lambda p: pct(p.acks, 0.5)),
        (f"steady {options.rate:g}/s: ack p99 (ms)", "steady", lambda p: pct(p.acks, 0.99)),
        (f"steady {options.rate:g}/s: ack max (ms)", "steady", lambda p: pct(p.acks, 1.0)),
        (f"steady {options.rate:g}/s: errors (non-200)", "steady", lambda p: p.errors),
        (f"steady {options.rate:g}/s: listen-queue overflows", "steady", lambda p: p.overflows),
        (f"steady {options.rate:g}/s: reply latency p99 (ms)", "steady", lambda p: pct(p.reply_latencies, 0.99)),
        (f"steady {options.rate:g}/s: backlog after {options.grace:g} s", "steady", lambda p: p.backlog),
        (f"steady {options.rate:g}/s: server CPU per event (ms)", "steady", lambda p: p.cpu / p.sent * 1000),
        (f"{clients} clients: ack p50 (ms)", "concurrent", lambda p: pct(p.acks, 0.5)),
        (f"{clients} clients: ack p99 (ms)", "concurrent", lambda p: pct(p.acks, 0.99)),
        (f"{clients} clients: ack max (ms)", "concurrent", lambda p: pct(p.acks, 1.0)),
        (f"{clients} clients: acks >= 1 s", "concurrent", lambda p: sum(ack >= 1 for ack in p.acks)),
        (f"{clients} clients: listen-queue overflows", "concurrent", lambda p: p.overflows),
        (f"{clients} clients: errors (non-200)", "concurrent", lambda p: p.errors),
        (f"{clients} clients: reply latency p50 (ms)", "concurrent", lambda p: pct(p.reply_latencies, 0.5)),
        (f"{clients} clients: reply latency p99 (ms)", "concurrent", lambda p: pct(p.reply_latencies, 0.99)),
        (f"{clients} clients: reply throughput (replies/s)", "concurrent", lambda p: p.throughput),
        (f"{clients} clients: backlog after {options.grace:g} s", "concurrent", lambda p: p.backlog),
        (f"{clients} clients: server CPU per event (ms)", "concurrent", lambda p: p.cpu / p.sent * 1000),
        ("other processes' CPU, steady (cores)", "steady", lambda p: p.others),
        ("other processes' CPU, concurrent (cores)", "concurrent", lambda p: p.others),
    ]
    print(f"\n{'':48}" + "".join(f"{name:>15}" for name in names) + ("    ratio" if len(names) == 2 else ""))
    for label, phase_name, figure in rows:
        values = [float(figure(results[name].phases[phase_name])) for name in names]
        ratio = f"{values[0] / values[1]:9.2f}" if len(values) == 2 and values[1] and "cores" not in label else ""
        digits = 2 if "cores" in label else 1
        print(f"{label:48}" + "".join(f"{value:15.{digits}f}" for value in values) + ratio)
    busiest = max(p.others for r in results.values() for p in r.phases.values())
    if busiest > 0.2:
        print(f"\nWARNING: other processes used up to {busiest:.2f} cores during a phase; the figures are skewed.")
    print(f"\nDESIGN's targets: {DESIGN_TARGETS}.")
    if "LeadWell" in results:
        lw = results["LeadWell"].phases
        p99 = pct(lw["steady"].acks, 0.99)
        print(f"  LeadWell ack p99 at a steady {options.rate:g}/s: {p99:.1f} ms (target < 50 ms): "
              f"{'met' if p99 < 50 else 'NOT met'}")  # fmt: skip
        backlog = lw["concurrent"].backlog
        verdict = "met" if backlog == 0 else "NOT met"
        print(f"  LeadWell backlog after {clients} clients: {backlog} (target 0): {verdict}")
    if len(names) == 2:
        lw, base = results[names[0]].phases, results[names[1]].phases
        ratios = [
            ("ack p99, steady", pct(lw["steady"].acks, 0.99) / pct(base["steady"].acks, 0.99), None),
            ("ack p99, concurrent", pct(lw["concurrent"].acks, 0.99) / pct(base["concurrent"].acks, 0.99), "<="),
            ("reply throughput", lw["concurrent"].throughput / (base["concurrent"].throughput or math.nan), ">="),
        ]
        for label, ratio, way in ratios:
            if way == "<=":
                verdict = f"(target <= 1.2): {'met' if ratio <= 1.2 else 'NOT met'}"
            elif way == ">=":
                verdict = f"(target >= 1/1.2 = 0.83): {'met' if ratio >= 1 / 1.2 else 'NOT met'}"
            else:
                verdict = "(no ratio target; absolute target above)"
            print(f"  LeadWell / baseline, {label}: {ratio:.2f} {verdict}")
    for name, result in results.items():
        print(f"\n{name} log: {'no warnings or errors' if not result.log_lines else 'warnings/errors:'}")
        for line in result.log_lines:
            print(line)


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=400, help="steady phase: requests per second (default 400)")
    parser.add_argument("--seconds", type=float, default=10, help="steady phase: how long (default 10 s)")
    parser.add_argument("--concurrency", type=int, default=200, help="concurrent phase: clients (default 200)")
    parser.add_argument("--events", type=int, default=2000, help="concurrent phase: events in all (default 2000)")
    parser.add_argument("--users", type=int, default=500, help="distinct Slack user ids (default 500)")
    parser.add_argument("--first-contact", action="store_true",
                        help="every event from a distinct, never-seen user id (each turn registers a new person); "
                             "--users is then ignored")  # fmt: skip
    parser.add_argument("--warmup", type=int, default=100, help="warm-up events before measuring (default 100)")
    parser.add_argument("--grace", type=float, default=10, help="seconds after the last ack to wait for replies")
    parser.add_argument("--drain", type=float, default=120,
                        help="after the grace, wait up to this long for late replies (default 120 s)")  # fmt: skip
    parser.add_argument("--only", choices=("both", "leadwell", "baseline"), default="both")
    parser.add_argument("--py-spy", metavar="FILE", help="profile LeadWell with py-spy (raw folded stacks) into FILE")
    parser.add_argument("--leadwell-command", metavar="CMD",
                        help="command to run instead of .venv/bin/leadwell (` serve` is added)")  # fmt: skip
    parser.add_argument("--wait-import", type=float, default=0, metavar="SECONDS",
                        help="wait up to this long (retrying every 60 s) for LeadWell to import")  # fmt: skip
    parser.add_argument("--fake-slack", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", help=argparse.SUPPRESS)
    parser.add_argument("--load-generator", metavar="SPEC", help=argparse.SUPPRESS)
    return parser.parse_args()


async def guarded(
    options: argparse.Namespace, run: Callable[[argparse.Namespace], Awaitable[None]] = orchestrate
) -> int:
    """Run the benchmark (`run`, by default this one's `orchestrate`); SIGINT (Ctrl-C) or SIGTERM cancels it, and
    `run` then stops every subprocess and removes the temp dir on its way out (benchmarks/hostile.py reuses this)."""
    task, loop = asyncio.current_task(), asyncio.get_running_loop()
    signals: list[int] = []

    def interrupt(signum: int) -> None:
        if not signals:
            print("stopping: LeadWell may take up to ~15 s to finish what it acknowledged", file=sys.stderr, flush=True)
        signals.append(signum)
        if task is not None:
            task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, interrupt, signum)
    try:
        await run(options)
    except asyncio.CancelledError:
        if not signals:
            raise
        print(f"interrupted ({signal.Signals(signals[0]).name}): subprocesses stopped, temp dir removed",
              file=sys.stderr)  # fmt: skip
        return 130
    except RuntimeError as error:  # a server that would not start, a load generator that failed
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    options = parse_options()
    if options.fake_slack:
        serve_fake_slack(options.fake_slack)
    elif options.baseline_server:
        serve_baseline(options.baseline_server, options.slack_url)
    elif options.load_generator:
        spec = json.loads(Path(options.load_generator).read_text())
        rows = asyncio.run(generate_load(spec))
        Path(spec["out"]).write_text(json.dumps(rows))
    else:
        sys.exit(asyncio.run(guarded(options)))


if __name__ == "__main__":
    main()
