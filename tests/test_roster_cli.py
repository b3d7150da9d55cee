"""`leadwell users import FILE.csv` and `leadwell users list`, run as an operator would run them."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from storage.models import AuditEntry
from tests.test_data_admin import rows, run

ROSTER = (
    "\ufeffEmail,Name,Role,Organisation,Region,Time Zone,Slack ID,Teams ID\r\n"  # Excel's "CSV UTF-8"
    "jo@nhs.net,Jo Bloggs,manager,Leeds THT,NE&Y,London,T0LEAD:U0JO,\r\n"
    "sam@nhs.net,Sam Jones,staff,York THT,NE&Y,,,0f8fad5b-d9cb-469f-a165-70867728950e\r\n"
    "kim@nhs.net,Kim Lee,admin,Leeds THT,London,,,\r\n"
    "ann@nhs.net,Ann Other,staff,Bristol FT,South West,Europe/London,,\r\n"
)


def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/lw.db"


async def test_import_reports_counts_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    url, roster = database(tmp_path), tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode())
    first = run("users", "import", str(roster), url=url)
    assert first.returncode == 0, first.stderr
    assert "roster.csv: 4 lines: 4 created, 0 updated, 0 unchanged, 0 bad lines, 0 skipped" in first.stdout
    assert "read 4 of 4 lines" in first.stdout  # plain progress lines when not on a terminal

    again = run("users", "import", str(roster), url=url)
    assert again.returncode == 0 and "0 created, 0 updated, 4 unchanged" in again.stdout
    imported = [e for e in await rows(url, AuditEntry) if e.action == "roster.imported"]
    assert [(e.actor, e.target, e.outcome) for e in imported] == [(f"cli:{getpass.getuser()}", "roster.csv", "ok")] * 2


async def test_bad_lines_exit_1_and_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    url, roster = database(tmp_path), tmp_path / "roster.csv"
    roster.write_text("email,role\njo@nhs.net,manager\nsam@,staff\nkim@nhs.net,chief\n")
    some_bad = run("users", "import", str(roster), url=url)
    assert some_bad.returncode == 1
    assert "roster.csv: line 3: email 'sam@' is not an email address" in some_bad.stderr
    assert "roster.csv: line 4: role 'chief' is not one I know" in some_bad.stderr
    assert "2 lines were not imported (listed above); correct them and import the file again" in some_bad.stderr
    assert "1 created, 0 updated, 0 unchanged, 2 bad lines" in some_bad.stdout

    roster.write_text("name,role\nJo,manager\n")
    no_email = run("users", "import", str(roster), url=url)
    assert no_email.returncode == 2 and "the first line has no email column" in no_email.stderr
    roster.write_bytes("email,name\njo@nhs.net,J\xf6\n".encode("latin-1"))
    latin = run("users", "import", str(roster), url=url)
    assert latin.returncode == 2 and "is not UTF-8" in latin.stderr and "CSV UTF-8" in latin.stderr
    missing = run("users", "import", str(tmp_path / "nowhere.csv"), url=url)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


async def test_users_erase_keeps_them_out_of_the_next_import_unless_re_added(tmp_path: Path) -> None:
    url, roster = database(tmp_path), tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode())
    run("users", "import", str(roster), url=url)
    erased = run("users", "erase", "kim@nhs.net", "--yes", url=url)
    assert erased.returncode == 0, erased.stderr
    assert "audit_log (email replaced) 1" in erased.stdout
    assert not [e for e in await rows(url, AuditEntry) if "kim" in json.dumps(e.model_dump(mode="json"))]

    skipped = run("users", "import", str(roster), url=url)
    assert "0 created, 0 updated, 3 unchanged, 0 bad lines, 1 skipped: erased at the person's own request" in (
        skipped.stdout
    )
    listed = run("users", "list", url=url)
    assert "kim@nhs.net" not in listed.stdout and "3 people" in listed.stdout

    (tmp_path / "back.txt").write_text("email\nKim@nhs.net\n")
    back = run("users", "import", str(roster), "--re-add-file", str(tmp_path / "back.txt"), url=url)
    assert back.returncode == 0 and "1 created, 0 updated, 3 unchanged" in back.stdout
    assert "1 re-added after erasure" in back.stdout
    not_there = run("users", "import", str(roster), "--re-add", "nobody@nhs.net", url=url)
    assert "--re-add nobody@nhs.net: not a good line of this file, so nobody was re-added" in not_there.stderr


def test_users_list_filters_and_counts(tmp_path: Path) -> None:
    url, roster = database(tmp_path), tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode())
    run("users", "import", str(roster), url=url)

    def emails(*filters: str) -> tuple[list[str], str]:
        # the filters in this process (typer's runner): the command itself is run for real above and below
        shown = CliRunner().invoke(
            app, ["users", "list", *filters], env={"LEADWELL_DATABASE_URL": url, "COLUMNS": "200"}
        )
        assert shown.exit_code == 0, shown.output
        lines = shown.stdout.splitlines()
        return [line.split()[0] for line in lines[1:-1]], lines[-1]

    assert emails() == (["ann@nhs.net", "jo@nhs.net", "kim@nhs.net", "sam@nhs.net"], "4 people")
    assert emails("--role", "manager") == (["jo@nhs.net"], "1 person")
    assert emails("--organisation", "leeds tht")[0] == ["jo@nhs.net", "kim@nhs.net"]
    assert emails("--region", "NE&Y")[0] == ["jo@nhs.net", "sam@nhs.net"]
    assert emails("--platform", "teams")[0] == ["sam@nhs.net"]
    assert emails("--platform", "none")[0] == ["ann@nhs.net", "kim@nhs.net"]
    assert emails("--reachable")[0] == ["jo@nhs.net"]  # a Slack id; Sam's Teams needs the app installed first
    assert emails("--unreachable")[0] == ["ann@nhs.net", "kim@nhs.net", "sam@nhs.net"]
    assert emails("--search", "LEE")[0] == ["kim@nhs.net"]
    assert emails("--limit", "1") == (["ann@nhs.net"], "showing 1 of 4 people")
    table = run("users", "list", "--role", "manager", url=url, COLUMNS="200").stdout
    assert "Jo Bloggs" in table and "Europe/London" in table and "slack" in table
    wrong = run("users", "list", "--platform", "fax", url=url)
    assert wrong.returncode == 2 and "--platform must be slack, teams, console, web or none" in wrong.stderr
