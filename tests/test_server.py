"""`leadwell serve` and `leadwell db upgrade`, run as an operator would run them."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import uuid
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import postgres_url_or_skip
from tests.support import DESIGN_TABLES
from tests.support.processes import LEADWELL, free_port, leadwell_env


async def wait_for_health(port: int, process: subprocess.Popen[str], seconds: float = 30) -> int:
    async with aiohttp.ClientSession() as client:
        for _ in range(int(seconds * 10)):
            if process.poll() is not None:
                raise AssertionError(f"serve exited early: {process.stderr.read() if process.stderr else ''}")
            try:
                async with client.get(f"http://127.0.0.1:{port}/healthz") as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError("serve did not answer /healthz in time")


async def test_serve_answers_health_checks_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [LEADWELL, "serve"],
        env=leadwell_env(LEADWELL_PORT=str(port), LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lw.db"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert await wait_for_health(port, process) == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "workers started: housekeeping" in stderr
    assert "stopped cleanly" in stderr
    assert "Traceback" not in stderr


async def test_a_second_process_on_one_sqlite_file_leaves_the_workers_to_the_first(tmp_path: Path) -> None:
    env = dict(LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lw.db")
    first_port, second_port = free_port(), free_port()
    first = subprocess.Popen(
        [LEADWELL, "serve"], env=leadwell_env(LEADWELL_PORT=str(first_port), **env), stderr=subprocess.PIPE, text=True
    )
    second = None
    try:
        await wait_for_health(first_port, first)
        second = subprocess.Popen(
            [LEADWELL, "serve"],
            env=leadwell_env(LEADWELL_PORT=str(second_port), **env),
            stderr=subprocess.PIPE,
            text=True,
        )
        assert await wait_for_health(second_port, second) == 200
        second.send_signal(signal.SIGINT)
        _, second_err = second.communicate(timeout=20)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.communicate(timeout=20)  # reads and closes its stderr pipe
    assert "another LeadWell process runs the workers" in second_err
    assert second.returncode == 0


@pytest.mark.postgres
async def test_serve_refuses_a_database_that_was_never_upgraded() -> None:
    url = postgres_url_or_skip()
    fresh = await fresh_postgres_database(url)
    try:
        result = subprocess.run(
            [LEADWELL, "serve"],
            env=leadwell_env(LEADWELL_DATABASE_URL=fresh),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        await drop_postgres_database(url, fresh)
    assert result.returncode == 2
    assert "run `leadwell db upgrade` first" in result.stderr


async def fresh_postgres_database(url: str) -> str:
    parsed = make_url(url)
    name = f"leadwell_cli_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username, database="postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return parsed.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str, fresh: str) -> None:
    parsed = make_url(url)
    admin = await asyncpg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username, database="postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{make_url(fresh).database}" WITH (FORCE)')
    await admin.close()


@pytest.mark.postgres
async def test_db_upgrade_creates_every_table_on_postgresql() -> None:
    url = postgres_url_or_skip()
    fresh = await fresh_postgres_database(url)
    try:
        result = subprocess.run(
            [LEADWELL, "db", "upgrade"],
            env=leadwell_env(LEADWELL_DATABASE_URL=fresh),
            capture_output=True,
            text=True,
            timeout=120,
        )
        parsed = make_url(fresh)
        conn = await asyncpg.connect(
            host=parsed.host, port=parsed.port or 5432, user=parsed.username, database=parsed.database
        )
        tables = {
            row["tablename"] for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
        await conn.close()
    finally:
        await drop_postgres_database(url, fresh)
    assert result.returncode == 0, result.stderr
    assert "database is at revision" in result.stdout
    assert DESIGN_TABLES | {"alembic_version"} <= tables


async def test_the_worker_command_runs_the_workers_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [LEADWELL, "worker"],
        env=leadwell_env(LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lw.db"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = ""
        for _ in range(50):
            line = process.stderr.readline()
            if "workers started" in line:
                break
        assert "workers started: housekeeping" in line
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
