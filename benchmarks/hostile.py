"""Hostile traffic: signed Slack DMs next to an unauthenticated Teams flood and idle connections, then a SIGKILL.

Reuses benchmarks/event_path.py's pieces (fake Slack Web API, `leadwell serve` in a temp dir with its
environment, signed DM events, the load-generator process, percentiles, CPU meters). Every process is
its own subprocess on 127.0.0.1: the fake Slack Web API, `leadwell serve` (SQLite in the temp dir, Slack
and Teams both configured: MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId set, so Teams
requires a token), the signed-load generator, the flood senders, and the idle-connection holder.

1. Baseline: signed Slack DMs at a steady rate (open loop); signed ack p50/p99/max and non-200s.
2. The same steady signed DMs while (a) `--flood-senders` unauthenticated senders each POST a
   `--flood-bytes` JSON body to /api/messages every `--flood-interval` s with a junk `Authorization:
   Bearer …` header (one process), and (b) `--idle` idle TCP connections (never a byte sent) are held
   open (another process; opened before the phase; those the server closes are reopened after
   `--reopen-delay`, at most `--reopen-rate` a second and `--reopen-budget` in all). /healthz is probed
   every `--probe-interval` s on a new connection in both phases. Printed side by side: signed ack
   p50/p99/max, the flood's status counts, how many idle connections the server closed (and why, from
   their age: the 10 s first-request deadline, or earlier: room made at the connection cap), the
   server's CPU seconds per phase, and /healthz p99 and failures; next to the target (with the flood,
   signed ack p99 < 100 ms).
3. SIGKILL: a fresh `leadwell serve` on its own SQLite file; `--kill-events` signed DMs at `--kill-rate`
   a second; the server is SIGKILLed once the inbox holds `--kill-at` of them (the sender keeps going;
   connection failures count as not acknowledged); the SQLite file is read (read-only, stdlib sqlite3)
   right after the kill; the server is restarted on the same file and port; then we wait (at most
   `--quiet-limit` s) until the inbox has nothing unfinished and the outbox nothing due unsent (an
   unfinished event waits for its 30 s inbox lease to run out, a reply leased to the dead process for
   its outbox lease). Printed: acknowledged, answered (distinct channels with a chat.postMessage at the
   fake), lost (acknowledged, never answered), duplicates (channels answered more than once), and the
   outbox rows leased and inbox rows unfinished at the kill.

Prints figures only (no asserts); progress lines as it goes; every loop is bounded in count and time;
the helpers stop by themselves (and on SIGTERM, or when we are gone); Ctrl-C or SIGTERM stops every
subprocess and removes the temp dir. Defaults take about a minute on a quiet 2-core machine.

    .venv/bin/python benchmarks/hostile.py [--rate 100 --seconds 10 --kill-events 400 --kill-rate 40]
    .venv/bin/python benchmarks/hostile.py --phases flood --py-spy /tmp/flood.txt   # profile the flood phase
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import secrets
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector

sys.path.insert(0, str(Path(__file__).resolve().parent))
import event_path as ep  # the sibling benchmark whose pieces we reuse

HERE = Path(__file__).resolve()
TARGET_P99_MS = 100.0
FIRST_REQUEST_TIMEOUT = 10.0  # bot/serving.py: a connection with no request after this long is closed
BACKGROUND: set[asyncio.Task[None]] = set()
TEAMS_ENV = {  # Teams configured (SingleTenant), so /api/messages requires a Bot Framework token
    "MicrosoftAppId": "00000000-0000-4000-8000-00000000b0b0",
    "MicrosoftAppPassword": "bench-password",
    "MicrosoftAppTenantId": "00000000-0000-4000-8000-0000000000aa",
}


def run_queue_wait(pid: int) -> float:
    """Seconds the process's main thread (the server's event loop) has spent runnable but waiting for a CPU
    (Linux schedstat): how much of its latency is the machine being busy rather than its own work."""
    try:
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")


def pct(values: list[float], q: float) -> float:
    return ep.pct(values, q)


def fmt_ms(values: list[float]) -> str:
    return f"{pct(values, 0.5):.1f}/{pct(values, 0.99):.1f}/{pct(values, 1.0):.1f}"


# ---- helper processes (each started as `hostile.py --flood SPEC` or `--hold SPEC`) ----------------------


def stop_event(deadline: float) -> asyncio.Event:
    """Set on SIGTERM/SIGINT, at `deadline` (monotonic), or when our parent (the orchestrator) is gone."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    parent = os.getppid()

    async def watch() -> None:
        while not stop.is_set() and time.monotonic() < deadline and os.getppid() == parent:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(0.5, max(0.01, deadline - time.monotonic())))
        stop.set()

    BACKGROUND.add(asyncio.create_task(watch()))  # a reference kept, so the task is not collected
    return stop


def flood_body(size: int) -> bytes:
    """A JSON object of exactly `size` bytes that looks like a (huge) Bot Framework message."""
    head, tail = b'{"type":"message","serviceUrl":"https://smba.trafficmanager.net/uk/","text":"', b'"}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


async def flood(spec: dict[str, Any]) -> dict[str, Any]:
    """`senders` tasks, each POSTing the big body with a junk bearer token every `interval` s (no catch-up
    bursts when behind), until `seconds` have passed or we are told to stop."""
    began = time.monotonic()
    stop = stop_event(began + float(spec["seconds"]))
    body, url, interval = flood_body(int(spec["bytes"])), str(spec["url"]), float(spec["interval"])
    senders, cap = int(spec["senders"]), int(spec["seconds"] / interval) + 2  # requests per sender, at most
    statuses: Counter[str] = Counter()
    latencies: list[float] = []

    async def sender(index: int) -> None:
        connector = TCPConnector(limit=1)
        async with ClientSession(connector=connector, timeout=ClientTimeout(total=float(spec["timeout"]))) as session:
            next_at = time.monotonic() + index * interval / senders  # spread the senders over the interval
            for n in range(cap):
                delay = next_at - time.monotonic()
                if delay > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=delay)
                if stop.is_set():
                    return
                headers = {"Content-Type": "application/json",
                           "Authorization": f"Bearer junk.{index}.{n}.{secrets.token_urlsafe(24)}"}  # fmt: skip
                began_request = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        statuses[str(response.status)] += 1
                except (ClientError, TimeoutError) as error:
                    statuses[type(error).__name__] += 1
                latencies.append(time.perf_counter() - began_request)
                next_at = max(next_at + interval, time.monotonic())

    tasks = [asyncio.create_task(sender(i)) for i in range(senders)]
    await stop.wait()
    for task in tasks:  # a request still in flight at the stop is not counted
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"statuses": dict(statuses), "latencies": latencies, "requests": sum(statuses.values()),
            "seconds": time.monotonic() - began, "bytes": len(body)}  # fmt: skip


async def hold(spec: dict[str, Any]) -> dict[str, Any]:
    """Hold `count` idle TCP connections (no byte ever sent); reopen those the server closes, bounded."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    began = time.monotonic()
    stop = stop_event(began + float(spec["seconds"]))
    host, port, count = "127.0.0.1", int(spec["port"]), int(spec["count"])
    delay, gap, budget = float(spec["reopen_delay"]), 1 / float(spec["reopen_rate"]), int(spec["reopen_budget"])
    stats: Counter[str] = Counter()
    ages: list[float] = []
    open_now = 0
    next_free = [0.0]
    first_round = asyncio.Semaphore(200)  # the initial opening: at most this many connects at once
    attempted = [0]
    ready = Path(spec["ready"])

    async def slot() -> None:
        nonlocal open_now
        initial = True
        for _ in range(budget + 1):  # bounded: every pass but the first uses the shared reopen budget
            if stop.is_set():
                return
            if not initial:
                if stats["reopened"] + stats["reopen_failed"] >= budget:
                    stats["not reopened (budget used)"] += 1
                    return
                now = time.monotonic()
                at = max(now + delay, next_free[0])
                next_free[0] = at + gap
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=at - now)
                if stop.is_set():
                    return
            writer = None
            try:
                if initial:
                    async with first_round:
                        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=5)
                else:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=5)
            except (OSError, TimeoutError) as error:
                stats["open_failed" if initial else "reopen_failed"] += 1
                stats[f"connect error {type(error).__name__}"] += 1
            else:
                stats["opened" if initial else "reopened"] += 1
            if initial:
                attempted[0] += 1
                if attempted[0] == count:  # all tried once: tell the orchestrator (a few bytes, once)
                    ready.write_text(json.dumps({"opened": stats["opened"], "failed": stats["open_failed"]}))  # noqa: ASYNC240
                initial = False
            if writer is None:
                continue
            open_now += 1
            opened = time.monotonic()
            try:
                for _ in range(1000):  # until the server closes it (it never should send anything)
                    data = await reader.read(65536)
                    if not data:
                        break
                    stats["server sent bytes"] += len(data)
            except (ConnectionError, OSError):
                stats["reset by the server"] += 1
            finally:
                open_now -= 1
                writer.close()
            ages.append(time.monotonic() - opened)
            stats["closed by the server"] += 1

    tasks = [asyncio.create_task(slot()) for _ in range(count)]
    if not tasks:
        ready.write_text(json.dumps({"opened": 0, "failed": 0}))  # noqa: ASYNC240
    await stop.wait()
    still_open = open_now
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"stats": dict(stats), "ages": ages, "open_at_stop": still_open, "seconds": time.monotonic() - began,
            "nofile": [soft, hard]}  # fmt: skip


def run_helper(kind: str, spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    result = asyncio.run(flood(spec) if kind == "flood" else hold(spec))
    Path(spec["out"]).write_text(json.dumps(result))


# ---- orchestration -----------------------------------------------------------------------------------------


def server_env(folder: Path, port: int, slack_url: str, options: argparse.Namespace) -> dict[str, str]:
    env = ep.leadwell_env(folder, port, slack_url)
    env.update(TEAMS_ENV)
    if options.max_connections:
        env["LEADWELL_MAX_CONNECTIONS"] = str(options.max_connections)
    return env


async def start_server(name: str, folder: Path, cwd: Path, env: dict[str, str], port: int,
                       options: argparse.Namespace) -> ep.Child:  # fmt: skip
    command = shlex.split(options.leadwell_command) if options.leadwell_command else [str(ep.BIN / "leadwell")]
    child = ep.spawn(name, [*command, "serve"], cwd, env, folder)
    began = time.monotonic()
    await ep.wait_healthy(child, port, 180)
    ep.say(f"{name}: serving on 127.0.0.1:{port} (pid {child.process.pid}) after {time.monotonic() - began:.1f} s")
    return child


async def start_helper(kind: str, spec: dict[str, Any], folder: Path) -> tuple[ep.Child, Path]:
    spec_path, out = folder / f"{kind}.spec.json", folder / f"{kind}.out.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out)}))
    child = ep.spawn(kind, [sys.executable, str(HERE), f"--{kind}", str(spec_path)], folder, None, folder)
    return child, out


def finish_helper(child: ep.Child, out: Path) -> dict[str, Any]:
    """SIGTERM (it writes its figures and exits), then its figures; {} if it wrote none."""
    ep.stop(child)
    try:
        return dict(json.loads(out.read_text()))
    except (OSError, ValueError):
        ep.say(f"{child.name}: wrote no figures (exit {child.process.returncode}):\n{ep.tail(child.log, 8)}")
        return {}


class Prober:
    """GET /healthz every `interval` s on a new connection (as a load balancer would), 2 s timeout."""

    def __init__(self, port: int, interval: float) -> None:
        self.port, self.interval = port, interval
        self.latencies: list[float] = []
        self.failures: Counter[str] = Counter()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        connector = TCPConnector(force_close=True)
        async with ClientSession(connector=connector, timeout=ClientTimeout(total=2)) as session:
            for _ in range(100_000):  # bounded; cancelled by `stop`
                began = time.perf_counter()
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        await response.read()
                        if response.status == 200:
                            self.latencies.append(time.perf_counter() - began)
                        else:
                            self.failures[str(response.status)] += 1
                except (ClientError, TimeoutError) as error:
                    self.failures[type(error).__name__] += 1
                await asyncio.sleep(max(0.0, self.interval - (time.perf_counter() - began)))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def summary(self) -> str:
        failed = sum(self.failures.values())
        return (f"{len(self.latencies)} ok, {failed} failed{f' {dict(self.failures)}' if failed else ''}; "
                f"p50/p99/max {fmt_ms(self.latencies)} ms")  # fmt: skip


async def signed_phase(label: str, url: str, server: ep.Child, prefix: str, options: argparse.Namespace,
                       folder: Path) -> dict[str, Any]:  # fmt: skip
    """Steady signed DMs from event_path's load-generator process; the server's CPU over the sending."""
    pid = server.process.pid
    count = int(options.rate * options.seconds)
    meter = ep.MachineMeter()
    cpu_before, loop_before, began = ep.cpu_times(pid), ep.cpu_times(pid, pid), time.monotonic()
    wait_before = run_queue_wait(pid)
    spec = {"url": url, "mode": "rate", "rate": options.rate, "count": count, "prefix": prefix, "label": label,
            "users": options.users, "timeout": 30}  # fmt: skip
    rows = await ep.run_generator(spec, folder, 120 + count / 10)
    seconds = time.monotonic() - began
    user, system = (a - b for a, b in zip(ep.cpu_times(pid), cpu_before, strict=True))
    loop_busy = (sum(ep.cpu_times(pid, pid)) - sum(loop_before)) / max(1e-9, seconds)
    loop_waited = (run_queue_wait(pid) - wait_before) / max(1e-9, seconds)
    others, machine = meter.report()
    statuses = Counter(str(row[3]) if row[3] else row[5] or "no response" for row in rows)
    acks = [row[2] for row in rows]
    result = {
        "acks": acks, "statuses": statuses, "sent": len(rows), "non200": len(rows) - statuses.get("200", 0),
        "acked": {row[0] for row in rows if row[3] == 200}, "cpu": user + system, "user": user, "system": system,
        "loop": loop_busy, "waited": loop_waited, "seconds": seconds, "others": others, "machine": machine,
        "lag": max((row[4] for row in rows), default=0.0),
    }  # fmt: skip
    ep.say(f"{label}: {len(rows)} sent, {dict(statuses)}; ack p50/p99/max {fmt_ms(acks)} ms; server CPU "
           f"{user + system:.2f} s over {seconds:.1f} s (event-loop thread {loop_busy * 100:.0f}% busy, "
           f"{loop_waited * 100:.0f}% waiting for a CPU); "
           f"generator lag max {result['lag'] * 1000:.0f} ms; {machine}")  # fmt: skip
    return result


async def warm_up(url: str, fake_port: int, prefix: str, options: argparse.Namespace, folder: Path) -> None:
    if not options.warmup:
        return
    spec = {"url": url, "mode": "clients", "clients": 10, "count": options.warmup, "prefix": prefix,
            "user_prefix": "UW", "label": "warm-up", "users": options.users, "timeout": 30}  # fmt: skip
    rows = await ep.run_generator(spec, folder, 120)
    await ep.drain("warm-up", prefix, {row[0] for row in rows if row[3] == 200}, fake_port, options.drain)


async def flood_phases(slack_url: str, fake_port: int, folder: Path, options: argparse.Namespace,
                       children: list[ep.Child]) -> None:  # fmt: skip
    port, cwd = ep.free_port(), folder / "flood-cwd"
    cwd.mkdir()
    server = await start_server("leadwell", folder, cwd, server_env(folder, port, slack_url, options), port, options)
    children.append(server)
    url, run = f"http://127.0.0.1:{port}/slack/events", uuid.uuid4().hex[:6]
    ep.say(f"warm-up: {options.warmup} signed DMs from 10 clients")
    await warm_up(url, fake_port, f"H{run}w", options, folder)

    ep.say(f"phase 1 (baseline): signed DMs at {options.rate:g}/s for {options.seconds:g} s, /healthz probed")
    prober = Prober(port, options.probe_interval)
    prober.start()
    base = await signed_phase("baseline", url, server, f"H{run}b", options, folder)
    await prober.stop()
    base_probe = prober
    ep.say(f"baseline: /healthz {prober.summary()}")
    await ep.drain("baseline", f"H{run}b", base["acked"], fake_port, options.drain)

    span = options.seconds + 60  # the helpers' own deadline: they stop by themselves after this
    ep.say(f"phase 2: opening {options.idle} idle connections (their own process)")
    ready = folder / "hold.ready"
    holder, hold_out = await start_helper("hold", {
        "port": port, "count": options.idle, "seconds": span, "reopen_delay": options.reopen_delay,
        "reopen_rate": options.reopen_rate, "reopen_budget": options.reopen_budget, "ready": str(ready),
    }, folder)  # fmt: skip
    children.append(holder)
    for _ in range(600):  # at most 60 s
        if ready.exists() or holder.process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    opened = json.loads(ready.read_text()) if ready.exists() else {"opened": "?", "failed": "?"}
    ep.say(f"phase 2: idle connections opened {opened['opened']}, failed {opened['failed']}; starting the flood: "
           f"{options.flood_senders} senders x {options.flood_bytes:,} bytes every {options.flood_interval:g} s "
           f"to /api/messages with junk bearer tokens (their own process)")  # fmt: skip
    flooder, flood_out = await start_helper("flood", {
        "url": f"http://127.0.0.1:{port}/api/messages", "senders": options.flood_senders,
        "bytes": options.flood_bytes, "interval": options.flood_interval, "seconds": span, "timeout": 10,
    }, folder)  # fmt: skip
    children.append(flooder)
    pid = server.process.pid
    window_cpu, window_began = ep.cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(1.0)  # let the flood reach its pace
    profiler = ep.start_profiler(options.py_spy, pid, folder)
    prober = Prober(port, options.probe_interval)
    prober.start()
    try:
        hostile = await signed_phase("with flood", url, server, f"H{run}f", options, folder)
    finally:
        await prober.stop()
        ep.say(f"with flood: /healthz {prober.summary()}")
        if profiler is not None:
            profiler.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            with contextlib.suppress(subprocess.TimeoutExpired):
                profiler.process.wait(timeout=60)
            ep.stop(profiler)
            ep.say(f"py-spy profile of the server during the flood written to {options.py_spy}")
    helper_cpu = {child.name: ep.cpu_seconds(child.process.pid) for child in (flooder, holder)}
    ep.say("phase 2: stopping the flood and the idle-connection holder")
    flooded = finish_helper(flooder, flood_out)
    held = finish_helper(holder, hold_out)
    ep.say("phase 2: flood and holder stopped")
    window_cpu, window = ep.cpu_seconds(pid) - window_cpu, time.monotonic() - window_began
    await ep.drain("with flood", f"H{run}f", hostile["acked"], fake_port, options.drain)
    ep.stop(server)
    log_lines = ep.notable_log_lines(server.log)
    refused = sum(1 for line in server.log.read_text(errors="replace").splitlines() if "Teams: refused" in line)
    report_flood(base, base_probe, hostile, prober, flooded, held, helper_cpu, window_cpu, window, log_lines,
                 refused, options)  # fmt: skip


def report_flood(base: dict[str, Any], base_probe: Prober, hostile: dict[str, Any], probe: Prober,
                 flooded: dict[str, Any], held: dict[str, Any], helper_cpu: dict[str, float], window_cpu: float,
                 window: float, log_lines: list[str], refused: int, options: argparse.Namespace) -> None:  # fmt: skip
    rate = f"{options.rate:g}/s for {options.seconds:g} s"
    print(f"\n== 1-2. signed Slack DMs ({rate}) without and with the flood ==")
    print(f"{'':44}{'baseline':>14}{'with flood':>14}")
    rows: list[tuple[str, Any, Any, str]] = [
        ("signed ack p50 (ms)", pct(base["acks"], 0.5), pct(hostile["acks"], 0.5), ".1f"),
        ("signed ack p99 (ms)", pct(base["acks"], 0.99), pct(hostile["acks"], 0.99), ".1f"),
        ("signed ack max (ms)", pct(base["acks"], 1), pct(hostile["acks"], 1), ".1f"),
        ("signed events sent", base["sent"], hostile["sent"], "d"),
        ("signed non-200", base["non200"], hostile["non200"], "d"),
        ("server CPU during the signed load (s)", base["cpu"], hostile["cpu"], ".2f"),
        ("  of which system (s)", base["system"], hostile["system"], ".2f"),
        ("server event-loop thread busy (%)", base["loop"] * 100, hostile["loop"] * 100, ".0f"),
        ("  runnable, waiting for a CPU (%)", base["waited"] * 100, hostile["waited"] * 100, ".0f"),
        ("/healthz probes answered", len(base_probe.latencies), len(probe.latencies), "d"),
        ("/healthz probes failed", sum(base_probe.failures.values()), sum(probe.failures.values()), "d"),
        ("/healthz p99 (ms)", pct(base_probe.latencies, 0.99), pct(probe.latencies, 0.99), ".1f"),
        ("other processes' CPU (cores)", base["others"], hostile["others"], ".2f"),
    ]
    for label, left, right, spec in rows:
        print(f"{label:44}{left:>14{spec}}{right:>14{spec}}")
    for name, phase in (("baseline", base), ("with flood", hostile)):
        if phase["non200"]:
            print(f"  {name} signed statuses: {dict(phase['statuses'])}")
    for name, prober in (("baseline", base_probe), ("with flood", probe)):
        if prober.failures:
            print(f"  {name} /healthz failures: {dict(prober.failures)}")
    p99 = pct(hostile["acks"], 0.99)
    verdict = "met" if p99 < TARGET_P99_MS else f"NOT met (over by {p99 - TARGET_P99_MS:.1f} ms)"
    print(f"target: with the flood, signed ack p99 < {TARGET_P99_MS:g} ms: {p99:.1f} ms, {verdict}")
    print(f"machine during the flood phase: {hostile['machine']}")

    print(f"\nflood ({options.flood_senders} senders, {flooded.get('bytes', 0):,}-byte JSON every "
          f"{options.flood_interval:g} s, junk bearer token, POST /api/messages):")  # fmt: skip
    if flooded:
        seconds = flooded["seconds"]
        print(f"  requests {flooded['requests']} in {seconds:.1f} s ({flooded['requests'] / seconds:.0f}/s, "
              f"{flooded['requests'] * flooded['bytes'] / seconds / 1e6:.0f} MB/s offered); "
              f"statuses {flooded['statuses']}")  # fmt: skip
        print(f"  response time p50/p99/max {fmt_ms(flooded['latencies'])} ms; 'Teams: refused' log lines {refused}")
    print(f"  server CPU over the whole flood window: {window_cpu:.2f} s in {window:.1f} s "
          f"({window_cpu / max(1e-9, window) * 100:.0f}% of a core)")  # fmt: skip
    print(f"  flood process CPU {helper_cpu.get('flood', 0):.2f} s, idle-holder process CPU "
          f"{helper_cpu.get('hold', 0):.2f} s (they share the machine's cores with the server)")  # fmt: skip
    print(f"\nidle connections ({options.idle} held, reopen after {options.reopen_delay:g} s, at most "
          f"{options.reopen_rate:g}/s, {options.reopen_budget} in all):")  # fmt: skip
    if held:
        stats: Counter[str] = Counter(held["stats"])
        ages = held["ages"]
        deadline = sum(1 for age in ages if age >= FIRST_REQUEST_TIMEOUT - 0.5)
        print(f"  opened {stats['opened']} (failed {stats['open_failed']}), closed by the server "
              f"{stats['closed by the server']} (at >= {FIRST_REQUEST_TIMEOUT - 0.5:g} s old, the first-request "
              f"deadline: {deadline}; younger, room made at the connection cap: {len(ages) - deadline}), "
              f"reopened {stats['reopened']} (failed {stats['reopen_failed']}), open at the stop "
              f"{held['open_at_stop']}, over {held['seconds']:.1f} s")  # fmt: skip
        extra = {k: v for k, v in stats.items() if k not in
                 ("opened", "open_failed", "closed by the server", "reopened", "reopen_failed")}  # fmt: skip
        if extra:
            print(f"  also: {extra}")
        if ages:
            print(f"  age when closed p50/p99/max {pct(ages, 0.5) / 1000:.2f}/{pct(ages, 0.99) / 1000:.2f}/"
                  f"{pct(ages, 1) / 1000:.2f} s")  # fmt: skip
    print(f"\nserver log: {'no warnings or errors' if not log_lines else 'warnings/errors:'}")
    for line in log_lines:
        print(line)


def read_db(path: Path) -> dict[str, Counter[str]]:
    """Row counts by state of the inbox and the outbox, read-only (the server may be running or dead)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
        inbox = Counter(dict(db.execute("SELECT state, count(*) FROM inbox_event GROUP BY 1").fetchall()))
        outbox = Counter(dict(db.execute("SELECT state, count(*) FROM outbox_message GROUP BY 1").fetchall()))
        due = db.execute("SELECT due_at FROM outbox_message WHERE state IN ('pending', 'leased')").fetchall()
    now = datetime.now(UTC)
    waiting = 0
    for (value,) in due:
        with contextlib.suppress(TypeError, ValueError):
            moment = datetime.fromisoformat(str(value))
            waiting += (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) <= now
    return {"inbox": inbox, "outbox": outbox, "due": Counter({"unsent": waiting})}


async def kill_phase(slack_url: str, fake_port: int, folder: Path, options: argparse.Namespace,
                     children: list[ep.Child]) -> None:  # fmt: skip
    home, port = folder / "kill", ep.free_port()
    (home / "cwd").mkdir(parents=True)
    env, db_path = server_env(home, port, slack_url, options), home / "bench.db"
    server = await start_server("leadwell-kill", folder, home / "cwd", env, port, options)
    children.append(server)
    url, prefix = f"http://127.0.0.1:{port}/slack/events", f"K{uuid.uuid4().hex[:6]}k"
    count, rate = options.kill_events, options.kill_rate
    threshold = max(1, int(count * options.kill_at))
    ep.say(f"phase 3: {count} signed DMs at {rate:g}/s; SIGKILL once the inbox holds {threshold}")
    spec = {"url": url, "mode": "rate", "rate": rate, "count": count, "prefix": prefix, "label": "kill phase",
            "users": options.users, "timeout": 30}  # fmt: skip
    sending = asyncio.create_task(ep.run_generator(spec, folder, 120 + count / 10))
    kept = 0
    try:
        for _ in range(int((count / rate + 60) / 0.02)):  # bounded: the sending's length plus a minute
            if sending.done():
                break
            with contextlib.suppress(sqlite3.Error):
                with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)) as db:
                    kept = int(db.execute("SELECT count(*) FROM inbox_event").fetchone()[0])
            if kept >= threshold:
                break
            await asyncio.sleep(0.02)
        server.process.kill()  # SIGKILL
        killed_at = time.monotonic()
        server.process.wait(timeout=10)
        ep.RUNNING.discard(server.process.pid)
        at_kill = read_db(db_path)
        ep.say(f"phase 3: SIGKILLed the server with {kept} events in the inbox; at the kill: inbox "
               f"{dict(at_kill['inbox'])}, outbox {dict(at_kill['outbox'])}; restarting on the same file")  # fmt: skip
        restarted = await start_server("leadwell-restarted", folder, home / "cwd", env, port, options)
        children.append(restarted)
        down = time.monotonic() - killed_at
        rows = await sending
    finally:
        if not sending.done():
            sending.cancel()
            await asyncio.gather(sending, return_exceptions=True)
    ep.say(f"phase 3: sending done ({sum(1 for r in rows if r[3] == 200)} acknowledged of {len(rows)}); waiting "
           f"(at most {options.quiet_limit:g} s) for the inbox and outbox to be quiet")  # fmt: skip
    acked = {row[0] for row in rows if row[3] == 200}
    began, state, quiet = time.monotonic(), read_db(db_path), False
    for step in range(int(options.quiet_limit) + 1):  # bounded: one check a second
        state = read_db(db_path)
        answered = set((await ep.fake_calls(fake_port, prefix))["first"])
        quiet = state["inbox"]["pending"] == 0 and state["due"]["unsent"] == 0
        if quiet or time.monotonic() - began >= options.quiet_limit:
            break
        if step % 5 == 0:
            ep.say(f"phase 3: waiting: inbox pending {state['inbox']['pending']}, outbox due unsent "
                   f"{state['due']['unsent']} {dict(state['outbox'])}, acknowledged but unanswered "
                   f"{len(acked - answered)}")  # fmt: skip
        await asyncio.sleep(1.0)
    waited = time.monotonic() - began
    await asyncio.sleep(0.5)  # a send that was on its way as the last check ran
    calls = await ep.fake_calls(fake_port, prefix)
    answered, repeated = set(calls["first"]), dict(calls.get("repeated", {}))
    ep.stop(restarted)
    log_lines = ep.notable_log_lines(restarted.log) + ep.notable_log_lines(server.log)
    statuses = Counter(str(row[3]) if row[3] else row[5] or "no response" for row in rows)

    print(f"\n== 3. SIGKILL half-way: {count} signed DMs at {rate:g}/s, killed once the inbox held {kept} ==")
    print(f"  events sent {len(rows)}, acknowledged (200) {len(acked)}, not acknowledged {len(rows) - len(acked)} "
          f"{dict(statuses)}")  # fmt: skip
    print(f"  events answered (distinct channels with a chat.postMessage) {len(answered)}; postMessage calls "
          f"{calls['posts']}")  # fmt: skip
    print(f"  lost (acknowledged, never answered): {len(acked - answered)}")
    print(f"  duplicates (channels answered more than once): {len(repeated)}"
          + (f" {sorted(repeated.items())[:10]}" if repeated else ""))  # fmt: skip
    print(f"  answered though not acknowledged (kept, but the ack never reached the sender): {len(answered - acked)}")
    print(f"  at the kill: outbox rows leased {at_kill['outbox']['leased']}, inbox rows unfinished "
          f"{at_kill['inbox']['pending']} (inbox {dict(at_kill['inbox'])}, "
          f"outbox {dict(at_kill['outbox'])})")  # fmt: skip
    print(f"  server down for {down:.1f} s (kill to healthy again); quiet {'after' if quiet else 'NOT within'} "
          f"{waited:.1f} s after the sending ended ({time.monotonic() - killed_at:.1f} s after the kill)")  # fmt: skip
    print(f"  at the end: inbox {dict(state['inbox'])}, outbox {dict(state['outbox'])}")
    print(f"  server logs (killed and restarted): {'no warnings or errors' if not log_lines else 'warnings/errors:'}")
    for line in log_lines:
        print(line)


async def orchestrate(options: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="leadwell-hostile-"))
    children: list[ep.Child] = []
    try:
        ep.print_machine()
        fake_port = ep.free_port()
        fake = ep.spawn("fake-slack", [sys.executable, str(ep.HERE), "--fake-slack", str(fake_port)], folder, None,
                        folder)  # fmt: skip
        children.append(fake)
        await ep.wait_healthy(fake, fake_port, 30)
        slack_url = f"http://127.0.0.1:{fake_port}/api/"
        ep.say(f"fake Slack Web API on {slack_url} (pid {fake.process.pid}); temp dir {folder}")
        if options.phases in ("all", "flood"):
            await flood_phases(slack_url, fake_port, folder, options, children)
        if options.phases in ("all", "kill"):
            await kill_phase(slack_url, fake_port, folder, options, children)
        ep.say("done")
    finally:
        for child in reversed(children):
            ep.stop(child)
        for pid in list(ep.RUNNING):  # a load generator or helper interrupted mid-phase
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--phases", choices=("all", "flood", "kill"), default="all",
        help="all (default); flood: phases 1-2 only; kill: phase 3 only")  # fmt: skip
    add("--rate", type=float, default=100, help="phases 1-2: signed DMs per second (default 100)")
    add("--seconds", type=float, default=10, help="phases 1-2: how long each signed phase lasts (default 10 s)")
    add("--users", type=int, default=500, help="distinct Slack user ids in the signed DMs (default 500)")
    add("--warmup", type=int, default=100, help="signed warm-up events before phase 1 (default 100; 0: none)")
    add("--drain", type=float, default=60, help="after a phase, wait up to this long for its replies (default 60 s)")
    add("--flood-senders", type=int, default=16, help="phase 2: unauthenticated senders (default 16)")
    add("--flood-bytes", type=int, default=1_000_000, help="phase 2: JSON body size (default 1,000,000 bytes)")
    add("--flood-interval", type=float, default=0.1, help="phase 2: seconds between a sender's POSTs (default 0.1)")
    add("--idle", type=int, default=1000, help="phase 2: idle TCP connections held open (default 1000)")
    add("--reopen-delay", type=float, default=0.2,
        help="phase 2: seconds before an idle connection the server closed is reopened (default 0.2)")  # fmt: skip
    add("--reopen-rate", type=float, default=200, help="phase 2: idle reopens per second at most (default 200)")
    add("--reopen-budget", type=int, default=20_000, help="phase 2: idle reopens in all at most (default 20000)")
    add("--probe-interval", type=float, default=0.5, help="phases 1-2: seconds between /healthz probes (default 0.5)")
    add("--max-connections", type=int, default=0,
        help="LEADWELL_MAX_CONNECTIONS for the server (default: unset, the server's own default 1000)")  # fmt: skip
    add("--kill-events", type=int, default=400, help="phase 3: signed DMs sent (default 400)")
    add("--kill-rate", type=float, default=40, help="phase 3: signed DMs per second (default 40)")
    add("--kill-at", type=float, default=0.5,
        help="phase 3: SIGKILL once the inbox holds this share of the events (default 0.5)")  # fmt: skip
    add("--quiet-limit", type=float, default=90,
        help="phase 3: after the sending, wait at most this long for the inbox and outbox to be quiet "
             "(default 90 s)")  # fmt: skip
    add("--py-spy", metavar="FILE", help="profile the server with py-spy (raw folded stacks) during the flood phase")
    add("--leadwell-command", metavar="CMD", help="command to run instead of .venv/bin/leadwell (` serve` is added)")
    add("--flood", metavar="SPEC", help=argparse.SUPPRESS)
    add("--hold", metavar="SPEC", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    options = parse_options()
    if options.flood:
        run_helper("flood", options.flood)
    elif options.hold:
        run_helper("hold", options.hold)
    else:
        sys.exit(asyncio.run(ep.guarded(options, orchestrate)))


if __name__ == "__main__":
    main()
