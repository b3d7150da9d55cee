"""The `leadwell` command: serve, worker, chat, ask, db upgrade, manifest, keys rotate,
users import|list|sync-slack|export|erase.

Start-up is kept short (DESIGN.md, Performance: `--help` within 0.3 s of
Python's own start, `ask` within 0.8 s): only Typer and the standard library
are imported here; each command imports what it uses when it runs, so `ask`
never loads the database layer or a platform SDK, and `--help` loads neither.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Coroutine

    from bot.data_admin import Rotation
    from bot.runtime import Runtime
    from bot.settings import Settings
    from handlers.sealing import Sealer

app = typer.Typer(help="LeadWell: a leadership companion bot for NHS staff.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
log = logging.getLogger("leadwell")
T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"leadwell: {message}", err=True)
    raise typer.Exit(code)


def settings_or_exit() -> Settings:
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc))


def prepare_database(settings: Settings) -> None:
    """SQLite: upgrade automatically (file-locked) before the event loop starts."""
    from storage.db import sqlite_path

    if sqlite_path(settings.database_url) is not None:
        upgrade_or_exit(settings.database_url)


def upgrade_or_exit(url: str) -> None:
    """Upgrade the schema, or stop with one line saying why and what to do."""
    from storage.db import describe_error
    from storage.migrate import DatabaseRefused, upgrade_database

    try:
        upgrade_database(url)
    except DatabaseRefused as exc:
        fail(f"could not prepare the database: {exc}")
    except Exception as exc:  # a locked or unwritable file, an unreachable server
        fail(f"could not prepare the database: {describe_error(exc)}")


async def check_schema(runtime: Runtime) -> None:
    from storage.db import describe_error
    from storage.migrate import database_revision, head_revision

    try:
        current = await database_revision(runtime.db)
    except Exception as exc:
        await runtime.close()
        fail(f"cannot use the database: {describe_error(exc)}")
    if current != head_revision():
        await runtime.close()
        fail("the database schema is not up to date: run `leadwell db upgrade` first")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the tables to the current schema."""
    from bot.logs import configure_logging
    from storage.migrate import head_revision

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    upgrade_or_exit(settings.database_url)
    typer.echo(f"database is at revision {head_revision()}")


@app.command()
def serve(
    no_workers: Annotated[
        bool, typer.Option("--no-workers", help="Serve HTTP only; run `leadwell worker` apart.")
    ] = False,
) -> None:
    """Serve HTTP (health check, Slack, Teams) and run the workers in-process."""
    import asyncio

    from bot.logs import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_format)
    prepare_database(settings)
    asyncio.run(_serve(settings, with_workers=not no_workers))


async def _serve(settings: Settings, *, with_workers: bool) -> None:
    import asyncio

    from bot.platforms import build_platforms
    from bot.runtime import build_runtime
    from bot.server import create_app
    from bot.serving import start_serving
    from bot.workers.build import build_workers

    stop = stop_on_signals()
    runtime = build_runtime(settings)
    await check_schema(runtime)
    await runtime.start()
    platforms = build_platforms(runtime)
    workers = build_workers(runtime, platforms) if with_workers else None
    application = create_app(runtime, platforms, workers=workers)
    access_log = logging.getLogger("aiohttp.access") if settings.access_log else None
    try:
        runner, guard = await start_serving(
            application, host=settings.host, port=settings.port, max_connections=settings.max_connections,
            access_log=access_log,
        )  # fmt: skip
    except OSError as exc:
        fail(f"cannot listen on {settings.host}:{settings.port} ({exc.strerror}); set LEADWELL_PORT to a free port")
    log.info("LeadWell serving on http://%s:%d (health: /healthz)", settings.host, settings.port)
    sweeping = asyncio.create_task(guard.run(stop))
    await stop.wait()
    log.info("shutting down")
    await sweeping
    await runner.cleanup()


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (installed before anything starts, so none is missed)."""
    import asyncio
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


@app.command()
def worker() -> None:
    """Run the background workers alone (for replicas that serve with --no-workers)."""
    import asyncio

    from bot.logs import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_format)
    prepare_database(settings)
    asyncio.run(_work(settings))


async def _work(settings: Settings) -> None:
    from bot.platforms import build_platforms
    from bot.runtime import build_runtime
    from bot.workers.build import build_workers

    stop = stop_on_signals()
    runtime = build_runtime(settings)
    await check_schema(runtime)
    await runtime.start()
    platforms = build_platforms(runtime)
    workers = build_workers(runtime, platforms)
    if not workers.start():
        await runtime.close()
        fail("another process already runs the workers for this SQLite database", code=1)
    await stop.wait()
    await workers.stop()
    await platforms.close()
    await runtime.close()


@app.command()
def chat(
    user: Annotated[str | None, typer.Option(help="Who you are in the chat (default: your login name).")] = None,
    role: Annotated[str | None, typer.Option(help="staff, manager or admin.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Your time zone: Europe/London, London, BST, UK …")] = None,
) -> None:
    """Chat with the bot in this terminal (reads one message a line from a pipe)."""
    import asyncio
    import getpass

    from bot.logs import configure_logging
    from handlers.zones import find_zone

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    if role is not None and role not in ("staff", "manager", "admin"):
        fail("--role must be staff, manager or admin")
    if tz is not None:
        found = find_zone(tz)
        if found is None or found.zone is None:
            fail(f"--tz {tz!r} is not an IANA time zone name (for example Europe/London) or a place I know")
        tz = found.zone
    prepare_database(settings)
    asyncio.run(_chat(settings, user or getpass.getuser(), role, tz))


async def _chat(settings: Settings, user: str, role: str | None, tz: str | None) -> None:
    from bot.console.chat import run_chat
    from bot.runtime import build_runtime

    runtime = build_runtime(settings)
    await check_schema(runtime)
    await runtime.start()
    try:
        await run_chat(runtime, user=user, role=role, timezone=tz)
    finally:
        await runtime.close()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, or - to read one question a line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Answer one question about NHS leadership, with its sources (no database needed)."""
    import json

    from bot.logs import configure_logging
    from knowledge import KnowledgeBase

    configure_logging("text", logging.WARNING)
    knowledge = KnowledgeBase.load()
    if question == "-":
        for line in sys.stdin:
            if line.strip():
                typer.echo(json.dumps(knowledge.answer(line.strip()).to_json(), ensure_ascii=False))
        return
    if not question.strip():
        fail('ask needs a question, for example: leadwell ask "what is the code of practice?"')
    answer = knowledge.answer(question)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    from knowledge.markdown import to_plain

    typer.echo(to_plain(answer.answer))  # the answer's Markdown as the terminal shows it
    for source in answer.sources:
        typer.echo(f"  source: {source.title}" + (f" <{source.url}>" if source.url else "") + f" [{source.section}]")
    if answer.related:
        typer.echo("  related topics: " + ", ".join(topic.title for topic in answer.related))
    typer.echo(f"  confidence: {answer.confidence:.2f}")


manifest_app = typer.Typer(help="Slack and Teams app manifests.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")


@manifest_app.command("slack")
def manifest_slack(
    url: Annotated[
        str | None, typer.Option(help="The public https address of this bot (default LEADWELL_PUBLIC_URL).")
    ] = None,
    socket_mode: Annotated[bool, typer.Option("--socket-mode", help="For local use with SLACK_APP_TOKEN.")] = False,
) -> None:
    """Print the Slack app manifest (YAML) to paste into "Create an app → From a manifest"."""
    import yaml

    from bot.manifests import slack_manifest

    address = url or settings_or_exit().base_url
    if not address.startswith("https://") and not socket_mode:
        typer.echo(
            "leadwell: note: Slack only calls https addresses; use --url https://HOST or --socket-mode", err=True
        )
    typer.echo(yaml.safe_dump(slack_manifest(address, socket_mode=socket_mode), sort_keys=False, allow_unicode=True))


@manifest_app.command("teams")
def manifest_teams(
    out: Annotated[Path, typer.Option("--out", help="Where to write the upload package (.zip).")] = Path(
        "leadwell-teams.zip"
    ),
) -> None:
    """Build the Teams app package (manifest + icons) to upload in Teams or the Teams admin centre."""
    from bot.manifests import teams_package

    settings = settings_or_exit()
    if not settings.microsoft_app_id:
        typer.echo("leadwell: note: MicrosoftAppId is not set; the package's ids are placeholders", err=True)
    if not settings.base_url.startswith("https://"):
        typer.echo("leadwell: note: Teams needs an https address; set LEADWELL_PUBLIC_URL=https://HOST", err=True)
    teams_package(settings, out)
    typer.echo(f"wrote {out}")


users_app = typer.Typer(help="The people: import the roster, list them, export or erase a person's data.",
                        no_args_is_help=True)  # fmt: skip
app.add_typer(users_app, name="users")
keys_app = typer.Typer(help="The secret that seals private text.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _cli_actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


def _sealer_or_exit(settings: Settings, secret: str | None = None) -> Sealer:
    from bot.secrets_store import sealing_secret
    from handlers.sealing import Sealer

    try:
        return Sealer(secret if secret is not None else sealing_secret(settings))
    except ValueError as exc:
        fail(f"{exc} (LEADWELL_SECRET_KEY)")


def _run_admin(work: Coroutine[Any, Any, T], who: str) -> T:
    import asyncio

    from bot.data_admin import NotFound
    from storage.db import describe_error

    try:
        return asyncio.run(work)
    except NotFound:
        fail(f"no one has the identity or email {who!r}; check the spelling (identities look like slack:T…:U…)", 1)
    except Exception as exc:  # a locked or unreachable database
        if type(exc).__module__.startswith(("sqlalchemy", "asyncpg", "sqlite3")) or isinstance(exc, OSError):
            fail(describe_error(exc))
        raise


announce_app = typer.Typer(help="Programme announcements: send one from a file, or get a CSV of failures.",
                           no_args_is_help=True)  # fmt: skip
app.add_typer(announce_app, name="announce")


@announce_app.command("send")
def announce_send(
    text: Annotated[str | None, typer.Option("--text", help="The announcement (our Markdown subset).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the announcement from this file.")] = None,
    to: Annotated[str, typer.Option("--to", help="everyone, managers or staff.")] = "everyone",
    organisation: Annotated[list[str] | None, typer.Option("--organisation", help="Only this organisation.")] = None,
    region: Annotated[list[str] | None, typer.Option("--region", help="Only this region (repeatable).")] = None,
    emails: Annotated[Path | None, typer.Option("--emails", help="Only the email addresses in this CSV.")] = None,
    at: Annotated[
        str, typer.Option("--at", help="now, 'tomorrow 12:30', '2026-12-10 09:00' or '09:00 local'.")
    ] = "now",
    yes: Annotated[bool, typer.Option("--yes", help="Send without asking (after the preview).")] = False,
    again: Annotated[
        bool, typer.Option("--again", help="With --yes: send even when the same text went to them lately.")
    ] = False,
) -> None:
    """Preview an announcement's audience, then send it once confirmed. Audited."""
    import asyncio

    from bot import announce_admin as admin

    settings = settings_or_exit()
    prepare_database(settings)
    try:
        body = file.read_text(encoding="utf-8") if file is not None else (text or "")
        listed = admin.emails_from_csv(emails) if emails is not None else None
        plan = admin.Plan(body, admin.audience_of(to, organisation or [], region or [], listed), at)
        reach, repeat = asyncio.run(admin.preview(settings, plan))
    except (OSError, admin.AnnounceError) as error:
        fail(f"{error}")
    typer.echo(f"{body.strip()}\n\n— goes to: {admin.counts_text(reach)}")
    if reach.reachable_total == 0:
        fail("nobody in that audience can be reached yet; nothing was sent", 1)
    if repeat is not None:
        typer.echo(f"— {repeat}")
        if yes and not again:  # --yes is no answer to a question it was not asked (a walk, 2026-12-07)
            fail("nothing was sent: add --again to send it a second time, or run without --yes to be asked", 1)
    if not yes and not typer.confirm("Send it?" if repeat is None else "Send it again anyway?"):
        fail("nothing was sent", 1)
    try:
        number, state = asyncio.run(admin.send(settings, plan, _cli_actor()))
    except admin.AnnounceError as error:
        fail(f"{error}")
    if state == "approval":
        typer.echo(f"announcement {number} needs a second admin's approval: in chat, `announce approve {number}`")
    else:
        typer.echo(f"announcement {number} is on its way; `announce report {number}` in chat shows progress")


@announce_app.command("failures")
def announce_failures(
    number: Annotated[int, typer.Argument(help="The announcement's number.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the CSV here instead of printing it.")] = None,
) -> None:
    """The failed deliveries of an announcement as CSV (email or identity, platform, reason). Audited."""
    import asyncio
    import csv
    import sys

    from bot import announce_admin as admin

    settings = settings_or_exit()
    prepare_database(settings)
    handle = out.open("w", newline="", encoding="utf-8") if out is not None else sys.stdout
    try:
        count = asyncio.run(admin.failures(settings, number, _cli_actor(), csv.writer(handle).writerow))
    except admin.AnnounceError as error:
        fail(f"{error}")
    finally:
        if out is not None:
            handle.close()
    if out is not None:
        typer.echo(f"wrote {count} failures to {out}")


@users_app.command("export")
def users_export(
    person: Annotated[str, typer.Argument(help="Their identity (slack:T…:U…, teams:…, console:…) or email.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the JSON here instead of printing it.")] = None,
) -> None:
    """Print (or write) everything kept about a person as JSON, their reflections opened. Audited."""
    import os

    from bot.data_admin import dumps, export_person
    from bot.logs import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    prepare_database(settings)
    record = _run_admin(export_person(settings, _sealer_or_exit(settings), person, _cli_actor()), person)
    if out is None:
        typer.echo(dumps(record))
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds private text: owner only
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dumps(record) + "\n")
    typer.echo(f"wrote {out} (readable only by you: it holds their reflections; delete it once handed over)")


@users_app.command("erase")
def users_erase(
    person: Annotated[str, typer.Argument(help="Their identity (slack:T…:U…, teams:…, console:…) or email.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
) -> None:
    """Erase a person and everything of theirs; an audit entry without their name stays."""
    from bot.data_admin import erase
    from bot.logs import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    if not yes and not typer.confirm(f"Erase {person} and everything of theirs? This cannot be undone"):
        fail("nothing was erased", 1)
    prepare_database(settings)
    counts = _run_admin(erase(settings, _sealer_or_exit(settings), person, _cli_actor()), person)
    removed = ", ".join(f"{table} {n}" for table, n in counts.items() if n)
    typer.echo(f"erased {person}: {removed or 'nothing but the person'} (audited as person.erased)")


@users_app.command("import")
def users_import(
    file: Annotated[Path, typer.Argument(help="The roster: a CSV with a header line; only email is required.")],
    re_add: Annotated[
        list[str] | None,
        typer.Option("--re-add", metavar="EMAIL", help="Import this person even though they asked to be forgotten."),
    ] = None,
    re_add_file: Annotated[
        Path | None, typer.Option("--re-add-file", help="A file of such emails, one a line.")
    ] = None,
    slack_team: Annotated[
        str | None, typer.Option("--slack-team", metavar="T…", help="The Slack workspace of slack_ids without one.")
    ] = None,
) -> None:
    """Create or update people from a roster CSV (email, name, role, organisation, region, timezone, slack_id,
    teams_id). Bad lines are reported and skipped; running it again changes nothing. Audited."""
    from bot.logs import configure_logging
    from bot.roster_csv import RosterFileError, read_re_add_file
    from bot.roster_report import print_summary

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    wanted = {email.strip().lower() for email in re_add or []}
    try:
        wanted |= read_re_add_file(re_add_file) if re_add_file is not None else set()
    except RosterFileError as exc:
        fail(f"--re-add-file: {exc}")
    sealer = _sealer_or_exit(settings)
    prepare_database(settings)
    try:
        summary = _run_admin(_import(settings, sealer, file, frozenset(wanted), slack_team), "")
    except RosterFileError as exc:
        fail(f"{exc}; nothing was imported")
    print_summary(summary, file.name)
    if summary.bad:
        fail(f"{len(summary.bad):,} lines were not imported (listed above); correct them and import the file again "
             "(lines already imported stay as they are)", 1)  # fmt: skip


async def _import(settings: Settings, sealer: Sealer, file: Path, re_add: frozenset[str], team: str | None) -> Any:
    from bot.roster import import_roster
    from bot.roster_report import import_progress
    from handlers.sealing import SealError
    from storage import Database

    db = Database(settings.database_url)
    try:
        with import_progress() as progress:
            return await import_roster(
                db, sealer, file, actor=_cli_actor(), re_add=re_add, slack_team=team.upper() if team else None,
                started=progress.started, advance=progress.advance,
            )  # fmt: skip
    except SealError:
        fail("the erasure list's key does not open with this secret; set LEADWELL_SECRET_KEY to the secret "
             "in use when people were erased, so that they are not brought back")  # fmt: skip
    finally:
        await db.dispose()


@users_app.command("list")
def users_list(
    role: Annotated[str | None, typer.Option(help="staff, manager or admin.")] = None,
    organisation: Annotated[str | None, typer.Option(help="Exactly this organisation (any case).")] = None,
    region: Annotated[str | None, typer.Option(help="Exactly this region (any case).")] = None,
    platform: Annotated[
        str | None, typer.Option(help="slack, teams, console, web, or none (on the roster, never written).")
    ] = None,
    reachable: Annotated[
        bool | None,
        typer.Option("--reachable/--unreachable", help="Only those LeadWell can (or cannot yet) message first."),
    ] = None,
    search: Annotated[str | None, typer.Option(help="Text in the name or email.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
) -> None:
    """List people (email, name, role, organisation, region, time zone, where they are reachable)."""
    from rich.console import Console

    from bot.logs import configure_logging
    from bot.roster_report import people_table
    from storage.repositories.roster import PeopleFilter

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    if role is not None and role.lower() not in ("staff", "manager", "admin"):
        fail("--role must be staff, manager or admin")
    if platform is not None and platform.lower() not in ("slack", "teams", "console", "web", "none"):
        fail("--platform must be slack, teams, console, web or none")
    wanted = PeopleFilter(
        role=role.lower() if role else None, organisation=organisation, region=region,
        platform=platform.lower() if platform else None, reachable=reachable, search=search, limit=limit,
    )  # fmt: skip
    prepare_database(settings)
    table, total = people_table(*_run_admin(_list(settings, wanted), ""))
    console = Console()
    if not console.is_terminal:  # a pipe or a file: no terminal to wrap the table to
        console = Console(width=max(console.width, 160))
    console.print(table)
    console.print(total)


async def _list(settings: Settings, wanted: Any) -> Any:
    from storage import Database
    from storage.repositories import Repositories

    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            return await Repositories(session).roster.listing(wanted)
    finally:
        await db.dispose()


@users_app.command("sync-slack")
def users_sync_slack() -> None:
    """Give roster people who never wrote their Slack identity, matched by email from the workspace's member
    list (read at most every 30 minutes). Audited."""

    from bot.logs import configure_logging
    from bot.slack_members import READ_EVERY, SlackUnavailable, TooSoon, sync_slack
    from handlers.clock import SystemClock
    from storage import Database

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    if settings.slack_bot_token is None:
        fail("set SLACK_BOT_TOKEN (the bot token; scopes users:read and users:read.email) to read the member list")
    prepare_database(settings)
    read = [0]

    def advance(members: int) -> None:
        read[0] += members
        typer.echo(f"read {read[0]:,} members")

    async def work() -> Any:
        db = Database(settings.database_url)
        try:
            return await sync_slack(settings, db, clock=SystemClock(), actor=_cli_actor(), advance=advance)
        finally:
            await db.dispose()

    try:
        counts = _run_admin(work(), "")
    except SlackUnavailable as exc:
        fail(str(exc), 1)
    except TooSoon as exc:
        minutes = int(READ_EVERY.total_seconds() // 60)
        fail(f"Slack's member list was read at {exc.last:%H:%M} UTC; it is read at most every {minutes} minutes "
             "(it is a rate-limited call): try again later", 1)  # fmt: skip
    typer.echo(f"{counts.matched:,} matched to the roster, {counts.known:,} already known, "
               f"{counts.not_in_roster:,} not in the roster, {counts.no_email:,} without an email")  # fmt: skip
    if counts.no_email and not (counts.matched or counts.known or counts.not_in_roster):
        typer.echo("leadwell: note: Slack gave no emails: add the users:read.email scope and reinstall the app",
                   err=True)  # fmt: skip


@keys_app.command("rotate")
def keys_rotate(
    new_key: Annotated[
        str | None,
        typer.Option(
            "--new-key",
            envvar="LEADWELL_NEW_SECRET_KEY",
            show_envvar=True,
            help="The new secret (16+ characters); without it one is generated.",
        ),
    ] = None,
    old_key: Annotated[
        str | None, typer.Option("--old-key", help="The secret now in use (default: the configured one).")
    ] = None,
) -> None:
    """Re-seal every sealed value (reflections, notes, kept payloads) under a new secret. Stop LeadWell first."""
    import secrets

    from rich.progress import Progress

    from bot.data_admin import count_sealed, rotate
    from bot.logs import configure_logging
    from bot.secrets_store import write_local_secret
    from storage import Database

    settings = settings_or_exit()
    configure_logging(settings.log_format, logging.WARNING)
    generated = new_key is None
    new_secret = new_key if new_key is not None else secrets.token_urlsafe(32)
    old, new = _sealer_or_exit(settings, old_key), _sealer_or_exit(settings, new_secret)
    prepare_database(settings)

    async def work() -> Rotation:
        db = Database(settings.database_url)
        try:
            totals = await count_sealed(db)
            with Progress(transient=True) as progress:
                tasks = {table: progress.add_task(f"re-sealing {table}", total=n) for table, n in totals.items()}
                return await rotate(db, old, new, advance=lambda table, n: progress.advance(tasks[table], n))
        finally:
            await db.dispose()

    outcome = _run_admin(work(), "")
    for table, n in outcome.resealed.items():
        unchanged, unreadable = outcome.already[table], outcome.unreadable[table]
        typer.echo(f"{table}: {n} re-sealed, {unchanged} unchanged, {unreadable} unreadable")
    if any(outcome.unreadable.values()):
        typer.echo("leadwell: some values open with neither secret (sealed under an older one?); "
                   "they were left as they are: run again with --old-key set to that secret", err=True)  # fmt: skip
    if settings.secret_key is None:
        path = write_local_secret(settings, new_secret)
        typer.echo(f"the new secret is in {path}; restart LeadWell to use it")
    else:
        shown = f": {new_secret}" if generated else ""
        typer.echo(f"now set LEADWELL_SECRET_KEY to the new secret{shown} and restart every LeadWell process; "
                   "until then they cannot open what was re-sealed")  # fmt: skip


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # `python -m bot.cli …`, the same as the `leadwell` console script
    main()
