"""Roster import: wall time of `leadwell users import` for a large roster, created, re-run, and all updated.

Writes a roster of N people (a third with a Slack id, a third with a Teams id, the rest email
only), then times three runs of the real command on a fresh database: the first (everyone
created), the same file again (everyone unchanged) and a file where everyone's organisation
changed (everyone updated). Each run includes the command's own start-up.

    .venv/bin/python benchmarks/roster_import.py [--people 50000] [--database-url postgresql+asyncpg://…]

Without --database-url a temporary SQLite file is used. A PostgreSQL database is emptied of
people first (it must be one for benchmarks only).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEADWELL = str(Path(sys.executable).parent / "leadwell")
REGIONS = ("London", "North East and Yorkshire", "Midlands", "South West", "East of England")


def write_roster(path: Path, people: int, organisation: str) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(["email", "name", "role", "organisation", "region", "timezone", "slack_id", "teams_id"])
        for n in range(people):
            slack = f"T0BENCH:U{n:08d}" if n % 3 == 0 else ""
            teams = f"{n:08x}-d9cb-469f-a165-70867728950e" if n % 3 == 1 else ""
            role = "manager" if n % 10 == 0 else "staff"
            out.writerow([f"person{n}@nhs.net", f"Person {n}", role, f"{organisation} {n % 40}",
                          REGIONS[n % len(REGIONS)], "Europe/London", slack, teams])  # fmt: skip


def timed(url: str, roster: Path) -> tuple[float, str]:
    env = {**os.environ, "LEADWELL_DATABASE_URL": url, "LEADWELL_SECRET_KEY": "benchmark-secret-not-for-use"}
    started = time.perf_counter()
    done = subprocess.run([LEADWELL, "users", "import", str(roster)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def empty(url: str) -> None:
    if url.startswith("postgresql"):
        import asyncio

        from sqlalchemy import text

        from storage import Database

        async def truncate() -> None:
            db = Database(url)
            async with db.engine.begin() as conn:
                tables = "person, audit_log, erased_email, kept_value"
                await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            await db.dispose()

        asyncio.run(truncate())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        env = {**os.environ, "LEADWELL_DATABASE_URL": url}
        subprocess.run([LEADWELL, "db", "upgrade"], env=env, check=True, capture_output=True)
        empty(url)
        first, changed = Path(folder) / "roster.csv", Path(folder) / "changed.csv"
        write_roster(first, args.people, "Trust")
        write_roster(changed, args.people, "Hospital")
        print(f"{args.people:,} people on {url.split(':', 1)[0]}")
        for label, roster in (("created", first), ("re-run", first), ("all updated", changed)):
            seconds, summary = timed(url, roster)
            print(f"  {label:<12} {seconds:6.2f} s  ({summary.split(': ', 2)[-1]})")


if __name__ == "__main__":
    main()
