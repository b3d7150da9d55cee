"""The neutral messages: a form travels through a platform and back as plain JSON, and bad data is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.messages import Button, Form, FormField, Link, Reply

FORM = Form(
    title="Your reflection",
    fields=(
        FormField("reflection", "Your reflection", kind="multiline", max_length=3000, hint="Only you will see it."),
        FormField("mood", "Mood", kind="select", required=False, options=("calm", "stretched"), placeholder="Pick"),
    ),
    submit_action="checkin.reflection.submit",
    submit_label="Save",
    context={"checkin": 7},
)


def as_sent() -> dict[str, Any]:
    """The form as it comes back from a platform: through JSON, and a fresh copy each time."""
    return json.loads(json.dumps(FORM.to_dict()))


def test_a_form_comes_back_from_json_as_it_was_sent() -> None:
    assert Form.from_dict(as_sent()) == FORM


def test_a_form_is_plain_json_types() -> None:
    data = FORM.to_dict()
    assert data == json.loads(json.dumps(data))  # lists, not tuples: no repr() in any serialiser
    assert data["fields"][1]["options"] == ["calm", "stretched"]


def test_only_the_name_and_label_of_a_field_are_required() -> None:
    data = as_sent()
    data["fields"] = [{"name": "note", "label": "Note"}]
    data.pop("submit_label")
    data.pop("context")
    assert Form.from_dict(data) == Form("Your reflection", (FormField("note", "Note"),), "checkin.reflection.submit")


def mutate(change: str) -> Any:
    data = as_sent()
    field = data["fields"][0]
    match change:
        case "not a dict":
            return ["title", "fields"]
        case "no title":
            del data["title"]
        case "unknown key":
            data["role"] = "admin"
        case "title not text":
            data["title"] = {"text": "x"}
        case "empty submit action":
            data["submit_action"] = ""
        case "fields not a list":
            data["fields"] = "reflection"
        case "context not a dict":
            data["context"] = [["checkin", 7]]
        case "two fields with one name":
            data["fields"] = [field, field]
        case "field not a dict":
            data["fields"] = [["reflection", "Your reflection"]]
        case "field without a label":
            del field["label"]
        case "unknown field key":
            field["html"] = "<b>"
        case "unknown field kind":
            field["kind"] = "password"
        case "required not a bool":
            field["required"] = "yes"
        case "max length not a number":
            field["max_length"] = "3000"
        case "max length a bool":
            field["max_length"] = True
        case "max length negative":
            field["max_length"] = -1
        case "options not a list":
            field["options"] = "calm"
        case "an option not text":
            field["options"] = ["calm", 3]
        case "hint not text":
            field["hint"] = ["x"]
        case "empty field name":
            field["name"] = ""
    return data


@pytest.mark.parametrize(
    "change",
    [
        "not a dict", "no title", "unknown key", "title not text", "empty submit action", "fields not a list",
        "context not a dict", "two fields with one name", "field not a dict", "field without a label",
        "unknown field key", "unknown field kind", "required not a bool", "max length not a number",
        "max length a bool", "max length negative", "options not a list", "an option not text", "hint not text",
        "empty field name",
    ],
)  # fmt: skip
def test_a_malformed_form_is_refused_without_an_error(change: str) -> None:
    assert Form.from_dict(mutate(change)) is None


@pytest.mark.parametrize(
    "data", [None, "", 7, [], {}, {"fields": None}, {"title": "t", "fields": [None], "submit_action": "a"}]
)
def test_anything_else_is_not_a_form(data: object) -> None:
    assert Form.from_dict(data) is None


def test_a_reply_with_buttons_links_and_a_form_survives_the_outbox() -> None:
    reply = Reply(
        "Time to reflect",
        buttons=(Button("Skip", "checkin.skip", {"checkin": 7}, style="danger"),),
        links=(Link("Framework", "https://example.org"),),
        form=FORM,
        private=True,
    )
    assert Reply.from_dict(json.loads(json.dumps(reply.to_dict()))) == reply
