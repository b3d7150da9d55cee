"""Command-line start-up: wall time of `leadwell --help`, `leadwell ask` and the first `leadwell chat` reply.

Each command runs as a fresh process several times (after one untimed warm-up
run, so byte-code and the page cache are warm); min, p50 and max are printed,
and each p50 over the p50 of `python -c pass` (Python's own start) is compared
with DESIGN.md's targets: `--help` within 0.3 s, `ask` within 0.8 s. The chat
figure is the time until the first reply line appears on stdout after one
piped line, against a temporary SQLite database (created by the warm-up run,
so the figure leaves out the one-time schema creation).

    .venv/bin/python benchmarks/cli_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

QUESTION = "what is the code of practice?"
CHAT_LINE = "hello\n"


@dataclass(frozen=True)
class Case:
    name: str
    target: float | None  # seconds over `python -c pass`, from DESIGN.md
    run: Callable[[], float]


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without LeadWell, Slack or Teams settings (a developer's .env must not count)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(("LEADWELL_", "SLACK_", "MICROSOFTAPP"))
    }
    env.update(settings)
    return env


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from start to exit; the command must succeed."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def first_reply(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from start until the first non-empty line appears on stdout (then waits for the exit)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(CHAT_LINE)
    process.stdin.close()
    elapsed: float | None = None
    for line in process.stdout:
        if line.strip():
            elapsed = time.perf_counter() - started
            break
    process.stdout.read()
    if process.wait(timeout=60) != 0 or elapsed is None:
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}) or printed no reply")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (after one warm-up)")
    parser.add_argument(
        "--leadwell",
        default=str(Path(sys.executable).parent / "leadwell"),
        help="the console script to time (default: the one beside this Python)",
    )
    args = parser.parse_args()
    console = Console()
    console = Console(width=max(console.width, 100))  # the table, unwrapped, even when piped
    python, leadwell = sys.executable, args.leadwell

    with tempfile.TemporaryDirectory(prefix="leadwell-cli-start-") as folder:
        cwd = Path(folder)  # an empty folder: no .env, and the repository is not importable from here
        env = clean_env()
        chat_env = clean_env(LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{cwd / 'bench.db'}")
        cases = [
            Case("python -c pass", None, lambda: timed([python, "-c", "pass"], cwd, env)),
            Case("leadwell --help", 0.3, lambda: timed([leadwell, "--help"], cwd, env)),
            Case('leadwell ask "…"', 0.8, lambda: timed([leadwell, "ask", QUESTION], cwd, env)),
            Case(
                "leadwell chat (1st reply)",
                None,
                lambda: first_reply([leadwell, "chat", "--user", "bench"], cwd, chat_env),
            ),
        ]
        results: dict[str, list[float]] = {}
        with Progress(console=console, transient=True) as progress:
            for case in cases:
                task = progress.add_task(case.name, total=args.runs + 1)
                case.run()  # warm-up, untimed
                progress.advance(task)
                samples = []
                for _ in range(args.runs):
                    samples.append(case.run())
                    progress.advance(task)
                results[case.name] = samples
                console.print(f"{case.name}: p50 {statistics.median(samples):.3f} s")

    baseline = statistics.median(results[cases[0].name])
    table = Table(title=f"command-line start-up, wall seconds ({args.runs} runs each)")
    for column in ("command", "min", "p50", "max", "p50 over python", "target", "verdict"):
        table.add_column(column, justify="left" if column in ("command", "verdict") else "right")
    for case in cases:
        samples = results[case.name]
        p50 = statistics.median(samples)
        over = p50 - baseline
        verdict = "" if case.target is None else ("meets" if over <= case.target else "MISSES")
        table.add_row(
            case.name,
            f"{min(samples):.3f}",
            f"{p50:.3f}",
            f"{max(samples):.3f}",
            "" if case is cases[0] else f"{over:+.3f}",
            "" if case.target is None else f"≤ {case.target:.1f}",
            verdict,
        )
    console.print(table)


if __name__ == "__main__":
    main()
