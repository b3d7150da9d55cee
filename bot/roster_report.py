"""What the roster commands print: progress while importing, the summary, and the table of people."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from bot.roster import ImportSummary
from storage.models import Person

PLAIN_STEPS = 10  # without a terminal, a line at every tenth of the file


@dataclass
class ImportProgress:
    """A Rich progress bar on a terminal; otherwise a plain line now and then (logs, CI, pipes)."""

    console: Console
    progress: Progress | None = None
    task: TaskID | None = None
    total: int = 0
    done: int = 0
    shown: int = 0

    def started(self, total: int) -> None:
        self.total = total
        if self.progress is not None:
            self.task = self.progress.add_task("importing", total=total)

    def advance(self, lines: int) -> None:
        self.done += lines
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, lines)
            return
        step = max(1, self.total // PLAIN_STEPS)
        if self.done and (self.done - self.shown >= step or self.done == self.total) and self.done != self.shown:
            self.shown = self.done
            typer.echo(f"read {self.done:,} of {self.total:,} lines")


@contextmanager
def import_progress() -> Iterator[ImportProgress]:
    console = Console()
    if not console.is_terminal:
        yield ImportProgress(console)
        return
    with Progress(console=console, transient=True) as progress:
        yield ImportProgress(console, progress)


def summary_line(summary: ImportSummary) -> str:
    erased = f"{summary.erased:,} skipped: erased at the person's own request"
    added = f", {summary.re_added:,} re-added after erasure" if summary.re_added else ""
    return (
        f"{summary.created:,} created, {summary.updated:,} updated, {summary.unchanged:,} unchanged, "
        f"{len(summary.bad):,} bad lines, {erased}{added}"
    )


def print_summary(summary: ImportSummary, name: str) -> None:
    for bad in summary.bad:
        typer.echo(f"{name}: line {bad.line}: {bad.problem}", err=True)
    for note in summary.notes:
        typer.echo(f"{name}: note: {note}", err=True)
    if summary.roles_kept:
        typer.echo(f"{name}: note: {summary.roles_kept:,} roles were left as an admin set them in chat or "
                   "LEADWELL_ADMINS gives them; change those with `role PERSON ROLE` in chat", err=True)  # fmt: skip
    typer.echo(f"{name}: {summary.lines:,} lines: {summary_line(summary)}")


def people_table(listed: list[tuple[Person, list[str]]], total: int) -> tuple[Table, str]:
    """The people as a table, and the line that says how many there are in all."""
    table = Table(box=None, header_style="bold")
    for heading in ("email", "name", "role", "organisation", "region", "time zone", "reachable on"):
        table.add_column(heading, overflow="fold")
    for person, platforms in listed:
        table.add_row(
            person.email or "", person.name or "", person.role, person.organisation or "", person.region or "",
            person.timezone, ", ".join(platforms) or "not yet",
        )  # fmt: skip
    shown = f"showing {len(listed):,} of {total:,}" if len(listed) < total else f"{total:,}"
    return table, f"{shown} {'person' if total == 1 else 'people'}"
