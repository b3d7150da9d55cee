"""An admin announcing from Slack, over real HTTP: the composer opens as a modal from one click, its
submission shows the preview with the counts, and nothing is sent before Yes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.slack_requests import dm, event_body, fixture, form_body
from tests.test_slack import BLOCK_KIT, SlackBot, press, running_bot


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[SlackBot]:
    async with running_bot(tmp_path, admins="slack:T111:W222") as running:
        yield running


async def test_the_composer_opens_as_a_modal_and_its_submission_previews_before_anything_is_sent(
    bot: SlackBot,
) -> None:
    await bot.post(*event_body(dm("hello", event_id="EvHi", user="W333")))  # someone else to announce to
    await bot.post(*event_body(dm("announce", event_id="EvAnnounce")))
    posted = await bot.slack.wait_for("chat.postMessage", 3)
    composer = posted[-1].body["blocks"][-1]["elements"][-1]
    assert composer["text"]["text"] == "Open: New announcement"
    click = press(composer)
    click["trigger_id"] = "111.222.compose"
    await bot.post(*form_body(click))
    (opened,) = await bot.slack.wait_for("views.open", 1)
    view = opened.body["view"]
    assert (
        opened.body["trigger_id"] == "111.222.compose" and sorted(BLOCK_KIT.iter_errors(view["blocks"]), key=str) == []
    )
    assert [b["block_id"] for b in view["blocks"]] == ["text", "audience", "organisations", "regions", "emails", "when"]

    submission = fixture("view_submission.json")
    submission["user"].update(id="W222", username="sam", name="sam")
    submission["trigger_id"] = "333.444.compose"
    submission["view"].update(callback_id=view["callback_id"], private_metadata=view["private_metadata"])
    submission["view"]["state"] = {"values": {
        "text": {"text": {"type": "plain_text_input", "value": "Webinar on **Thursday**\n- bring a question"}},
        "audience": {"audience": {"type": "static_select", "selected_option": {"value": "Everyone"}}},
        "when": {"when": {"type": "plain_text_input", "value": "now"}},
    }}  # fmt: skip
    accepted = await bot.post(*form_body(submission))
    assert accepted.status == 200
    calls = await bot.slack.wait_for("chat.postMessage", 5)
    preview, question = calls[-2], calls[-1]
    assert preview.body["blocks"][0]["type"] == "rich_text"  # bold and bullets as Slack draws them
    assert [e["type"] for e in preview.body["blocks"][0]["elements"]] == ["rich_text_section", "rich_text_list"]
    assert "It goes to everyone, now: 2 on Slack. Send it?" in question.body["text"]
    await bot.settle()
    assert [c for c in bot.slack.posted() if "Webinar" in c.get("text", "")] == [preview.body]  # only the preview
