"""`leadwell users export|erase PERSON` and `leadwell keys rotate`, run as an operator would run them."""

from __future__ import annotations

import getpass
import json
import stat
import subprocess
from pathlib import Path

from sqlmodel import select

from bot.runtime import build_runtime
from bot.settings import load_settings
from handlers.sealing import Sealer, SealError
from knowledge import KnowledgeBase
from storage import Database, upgrade_database
from storage.models import AuditEntry, InboxEvent, Nudge, OutboxMessage, Person, Reflection
from tests.support.chat import ChatDriver
from tests.support.processes import LEADWELL, leadwell_env

REFLECTION = "I listened before I decided, and the handover was calmer."


async def seed(url: str, knowledge: KnowledgeBase) -> None:
    """Alice (with an email) and Bob, each with a reflection and a practice note, sealed with the local secret."""
    upgrade_database(url)
    runtime = build_runtime(load_settings(database_url=url), knowledge=knowledge)
    try:
        for identity, email in (("console:alice", "alice@nhs.net"), ("console:bob", None)):
            chat = ChatDriver(runtime.conversation, identity, email=email)
            await chat.say("checkin now")
            await chat.press("Reflect now")
            await chat.say(REFLECTION if identity.endswith("alice") else "Bob's own thought.")
            await chat.say("nudge")
            await chat.press("Done")
            await chat.say("a private note")
    finally:
        await runtime.close()


def run(*args: str, url: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEADWELL, *args], env=leadwell_env(LEADWELL_DATABASE_URL=url, **env),
        capture_output=True, text=True, timeout=120, input=input,
    )  # fmt: skip


async def rows(url: str, model: type) -> list:  # type: ignore[type-arg]
    db = Database(url)
    try:
        async with db.transaction() as session:
            return list((await session.exec(select(model))).all())
    finally:
        await db.dispose()


async def test_users_export_prints_their_whole_record_and_is_audited(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url, knowledge)
    printed = run("users", "export", "alice@nhs.net", url=url)
    assert printed.returncode == 0, printed.stderr
    record = json.loads(printed.stdout)
    assert record["profile"]["identity"] == "console:alice"
    assert [r["text"] for r in record["reflections"]] == [REFLECTION]
    assert "Bob" not in printed.stdout

    out = tmp_path / "alice.json"
    written = run("users", "export", "console:alice", "--out", str(out), url=url)
    assert written.returncode == 0 and "readable only by you" in written.stdout
    assert json.loads(out.read_text())["reflections"][0]["text"] == REFLECTION
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    audit = [(e.actor, e.action, e.target) for e in await rows(url, AuditEntry) if e.action == "data.exported"]
    assert audit == [(f"cli:{getpass.getuser()}", "data.exported", "console:alice")] * 2

    missing = run("users", "export", "nobody@nhs.net", url=url)
    assert missing.returncode == 1 and "no one has the identity or email 'nobody@nhs.net'" in missing.stderr


async def test_users_erase_asks_first_then_erases_everything_of_theirs(
    tmp_path: Path, knowledge: KnowledgeBase
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url, knowledge)
    declined = run("users", "erase", "console:alice", url=url, input="n\n")
    assert declined.returncode == 1 and "nothing was erased" in declined.stderr
    assert len(await rows(url, Reflection)) == 2

    erased = run("users", "erase", "console:alice", "--yes", url=url)
    assert erased.returncode == 0, erased.stderr
    assert "erased console:alice: reflection 1" in erased.stdout
    people = await rows(url, Person)
    assert [p.identity for p in people] == ["console:bob"]
    bob = people[0].id
    for model in (Reflection, Nudge, OutboxMessage):
        assert {row.person_id for row in await rows(url, model)} <= {bob}
    (entry,) = [e for e in await rows(url, AuditEntry) if e.action == "person.erased"]
    assert entry.actor == f"cli:{getpass.getuser()}" and entry.target.startswith("erased:")
    assert "alice" not in json.dumps(entry.model_dump(mode="json"))


async def test_keys_rotate_reseals_everything_under_the_new_secret(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    await seed(url, knowledge)
    secret_file = tmp_path / "lw.db.secret"
    old_secret = secret_file.read_text().strip()
    new_secret = "a-brand-new-secret-for-leadwell"

    rotated = run("keys", "rotate", url=url, LEADWELL_NEW_SECRET_KEY=new_secret)
    assert rotated.returncode == 0, rotated.stderr
    assert "reflection: 2 re-sealed, 0 unchanged, 0 unreadable" in rotated.stdout
    assert "nudge: 2 re-sealed" in rotated.stdout
    assert f"the new secret is in {secret_file}" in rotated.stdout
    assert secret_file.read_text() == new_secret and stat.S_IMODE(secret_file.stat().st_mode) == 0o600

    old, new = Sealer(old_secret), Sealer(new_secret)
    sealed = [r.body for r in await rows(url, Reflection)] + [n.note for n in await rows(url, Nudge)]
    sealed += [m.payload["sealed"] for m in await rows(url, OutboxMessage) if "sealed" in m.payload]
    sealed += [e.payload["sealed"] for e in await rows(url, InboxEvent) if "sealed" in e.payload]
    assert len(sealed) >= 4
    assert REFLECTION in [new.open(value) for value in sealed]
    for value in sealed:
        try:
            old.open(value)
        except SealError:
            continue
        raise AssertionError("a value still opens with the old secret")

    again = run("keys", "rotate", "--old-key", old_secret, url=url, LEADWELL_NEW_SECRET_KEY=new_secret)
    assert again.returncode == 0 and "reflection: 0 re-sealed, 2 unchanged" in again.stdout  # idempotent

    with_env = run("keys", "rotate", "--old-key", new_secret, url=url, LEADWELL_SECRET_KEY=new_secret)
    assert with_env.returncode == 0, with_env.stderr
    assert "reflection: 2 re-sealed" in with_env.stdout
    assert "now set LEADWELL_SECRET_KEY to the new secret: " in with_env.stdout  # generated, so shown once
