"""Strategy's pages in the shell: the interview (kept server-side, resumed), the Brief editor
(section forms with field errors, changes in words, approval through the state machine, versions
and diff), goals with key results, and the decision log."""

from __future__ import annotations

import html
import re

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member, sign_up
from tests.support.shell import csrf_of, finish_wizard, form_token, sign_up_in_browser
from xentri.contracts.brief import BriefSection

pytestmark = pytest.mark.integration

BASE = "/c/strategy"


@pytest.fixture
async def owner(make_app, client_for):
    client = client_for(make_app())
    client.owner_email = await sign_up_in_browser(client)
    await finish_wizard(client, org="Bluebird Plumbing")
    return client


def org_of(owner_conn, client):
    return owner_conn.execute(
        "select created_org_id from onboarding_progress p join users u on u.id = p.user_id "
        "where u.email = %s",
        (client.owner_email,),
    ).fetchone()[0]


async def post(client, path: str, data: dict[str, str], *, page: str | None = None):
    token = await form_token(client, page or path)
    return await client.post(path, data={"csrf_token": token, **data})


async def answer(client, text: str):
    return await post(client, f"{BASE}/interview", {"answer": text})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def interview_to_review(client) -> None:
    for reply in (
        "We are Bluebird Plumbing in Austin, Texas.",
        "Drain cleaning is $150, a water heater install is $1,200.",
        "Homeowners and small landlords.",
    ):
        assert (await answer(client, reply)).status_code == 303
    assert (await post(client, f"{BASE}/interview/draft", {}, page=f"{BASE}/interview")).headers[
        "location"
    ] == f"{BASE}/brief"


def brief_events(owner_conn, client) -> list[tuple[str, dict]]:
    with as_org(owner_conn, org_of(owner_conn, client)):
        return owner_conn.execute(
            "select type, payload from system_events where type like 'xentri.brief.%' "
            "order by org_seq"
        ).fetchall()


async def test_the_interview_page_asks_stores_and_resumes(owner, make_app, client_for):
    first = await owner.get(f"{BASE}/interview")
    sent = await answer(owner, "We are Bluebird Plumbing in Austin, Texas.")
    again = await owner.get(f"{BASE}/interview")

    assert first.status_code == 200
    assert "What is the name of your business?" in text_of(first.text)
    assert sent.status_code == 303
    # The conversation, and the Brief taking shape, are there when the page is opened again.
    shown = text_of(again.text)
    assert "We are Bluebird Plumbing in Austin, Texas." in shown
    assert "What do you sell or offer?" in shown
    assert 'data-fact="name">Bluebird Plumbing<' in again.text
    assert 'data-question="offerings"' in again.text


async def test_an_empty_or_long_answer_is_explained_and_nothing_is_lost(owner):
    await answer(owner, "We are Bluebird Plumbing in Austin, Texas.")

    empty = await answer(owner, "   ")
    long = await answer(owner, "x" * 6000)
    script = await answer(owner, "<script>alert(1)</script> we fix pipes")
    page = await owner.get(f"{BASE}/interview")

    assert empty.status_code == 422
    assert "Write an answer first." in empty.text
    assert long.status_code == 422
    assert "Use at most 5000 characters." in long.text
    assert "x" * 6000 in long.text  # kept in the box
    assert script.status_code == 303
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; we fix pipes" in page.text
    assert "We are Bluebird Plumbing in Austin, Texas." in text_of(page.text)


async def test_htmx_gets_the_conversation_back_in_place(owner):
    token = await form_token(owner, f"{BASE}/interview")

    response = await owner.post(
        f"{BASE}/interview",
        data={"csrf_token": token, "answer": ""},
        headers={"hx-request": "true"},
    )

    assert response.status_code == 200  # htmx swaps only 2xx: the error is shown in place
    assert 'id="interview"' in response.text
    assert "Write an answer first." in response.text


async def test_editing_a_section_validates_each_field_and_saves_in_the_draft(owner, owner_conn):
    await interview_to_review(owner)

    bad = await post(
        owner,
        f"{BASE}/brief/sections/offerings",
        {
            "offerings-0-name": "Drain cleaning",
            "offerings-0-price": "abc",
            "offerings-0-currency": "USD",
            "offerings-1-name": "",
            "offerings-1-price": "40",
            "offerings-1-currency": "usdollars",
        },
        page=f"{BASE}/brief",
    )
    unchanged = await owner.get(f"{BASE}/brief")
    good = await post(
        owner,
        f"{BASE}/brief/sections/identity",
        {"name": "Bluebird Plumbing Co.", "tagline": "Pipes fixed today", "year_founded": "2015"},
        page=f"{BASE}/brief",
    )
    year = await post(
        owner,
        f"{BASE}/brief/sections/identity",
        {"name": "Bluebird", "year_founded": "1492"},
        page=f"{BASE}/brief",
    )
    after = await owner.get(f"{BASE}/brief")

    assert bad.status_code == 422
    page = text_of(bad.text)
    assert "Enter a price like 25 or 25.50." in page
    assert "This field is required." in page  # the second row has a price but no name
    assert 'value="abc"' in bad.text  # what was typed stays
    assert "Ready for review" in text_of(unchanged.text)  # a refused form moved nothing
    assert good.status_code == 303
    assert year.status_code == 422
    assert "Enter a number between 1800 and 2100." in text_of(year.text)
    assert 'value="Bluebird Plumbing Co."' in after.text
    assert "Editing" in text_of(after.text)
    assert brief_events(owner_conn, owner) == []


async def test_approving_then_changing_in_words_makes_a_new_version(owner, owner_conn):
    await interview_to_review(owner)
    approved = await post(owner, f"{BASE}/brief/approve", {}, page=f"{BASE}/brief")
    nothing = await post(owner, f"{BASE}/brief/ask", {"request": "blah"}, page=f"{BASE}/brief")
    asked = await post(
        owner,
        f"{BASE}/brief/ask",
        {"request": "add an offering: leak detection 90 USD each"},
        page=f"{BASE}/brief",
    )
    review = await owner.get(f"{BASE}/brief")
    again = await post(owner, f"{BASE}/brief/approve", {}, page=f"{BASE}/brief")
    versions = await owner.get(f"{BASE}/brief/versions?from=1&to=2")

    assert approved.status_code == 303
    assert nothing.status_code == 422
    assert "I could not turn that into a change." in text_of(nothing.text)
    assert asked.status_code == 303
    assert "Changes since version 1" in text_of(review.text)
    assert "leak detection · 90.00 USD" in text_of(review.text)
    assert again.status_code == 303
    shown = text_of(versions.text)
    assert "From version 1 to version 2" in shown
    assert "leak detection" in shown
    events = brief_events(owner_conn, owner)
    assert [kind for kind, _ in events] == ["xentri.brief.created.v1", "xentri.brief.updated.v1"]
    assert events[1][1] == {"version": 2, "changed_sections": ["offerings"]}


async def test_approving_twice_without_a_change_is_explained(owner):
    await interview_to_review(owner)
    await post(owner, f"{BASE}/brief/approve", {}, page=f"{BASE}/brief")

    twice = await post(owner, f"{BASE}/brief/approve", {}, page=f"{BASE}/brief")

    assert twice.status_code == 409
    assert "That is not possible at this point." in text_of(twice.text)


async def test_goals_set_edit_progress_and_delete(owner):
    empty = await owner.get(f"{BASE}/goals")
    refused = await post(owner, f"{BASE}/goals", {"title": "", "kr-0-title": "New customers"})
    created = await post(
        owner,
        f"{BASE}/goals",
        {
            "title": "Grow in Austin",
            "kr-0-title": "New customers",
            "kr-0-start": "0",
            "kr-0-target": "40",
            "kr-0-unit": "customers",
        },
    )
    page = await owner.get(f"{BASE}/goals")
    objective_id = re.search(r'id="objective-([0-9a-f-]{36})"', page.text).group(1)
    kr_id = re.search(r'id="kr-([0-9a-f-]{36})"', page.text).group(1)
    progress = await post(
        owner, f"{BASE}/key-results/{kr_id}/progress", {"current": "10"}, page=f"{BASE}/goals"
    )
    not_a_number = await post(
        owner, f"{BASE}/key-results/{kr_id}/progress", {"current": "ten"}, page=f"{BASE}/goals"
    )
    edit = await owner.get(f"{BASE}/goals/{objective_id}/edit")
    edited = await post(
        owner,
        f"{BASE}/goals/{objective_id}",
        {
            "title": "Grow in Austin and Round Rock",
            "kr-0-id": kr_id,
            "kr-0-title": "New customers",
            "kr-0-start": "0",
            "kr-0-target": "20",
            "kr-1-title": "Five-star reviews",
            "kr-1-start": "0",
            "kr-1-target": "10",
        },
        page=f"{BASE}/goals/{objective_id}/edit",
    )
    after_edit = text_of((await owner.get(f"{BASE}/goals")).text)
    deleted = await post(owner, f"{BASE}/goals/{objective_id}/delete", {}, page=f"{BASE}/goals")
    gone = await owner.get(f"{BASE}/goals")

    assert "No objectives yet" in text_of(empty.text)
    assert refused.status_code == 422
    assert "Give it a title." in text_of(refused.text)
    assert "Enter the number you aim for, like 50." in text_of(refused.text)
    assert created.status_code == 303
    assert progress.status_code == 303
    assert not_a_number.status_code == 422
    assert "Enter the current value as a number" in text_of(not_a_number.text)
    assert 'value="Grow in Austin"' in edit.text
    assert edited.status_code == 303
    assert "Grow in Austin and Round Rock" in after_edit
    assert "25% done" in after_edit  # (10/20 + 0/10) / 2
    assert "Five-star reviews" in after_edit
    assert deleted.status_code == 303
    assert "No objectives yet" in text_of(gone.text)


async def test_the_decision_log_adds_searches_and_pages(owner):
    refused = await post(
        owner, f"{BASE}/decisions", {"title": "", "decision": "", "decided_on": ""}
    )
    for number in range(22):
        response = await post(
            owner,
            f"{BASE}/decisions",
            {
                "title": f"Decision {number:02d}",
                "context": "Busy weekends" if number == 3 else "",
                "options": "Open Sundays\nStay closed",
                "decision": "Open on Sundays" if number == 3 else "Keep going",
                "decided_on": f"2026-10-{number + 1:02d}",
            },
        )
        assert response.status_code == 303, response.text
    first = await owner.get(f"{BASE}/decisions")
    second = await owner.get(f"{BASE}/decisions?page=2")
    found = await owner.get(f"{BASE}/decisions?q=sundays")

    assert refused.status_code == 422
    assert "Give the decision a short title." in text_of(refused.text)
    assert "Write what was decided." in text_of(refused.text)
    assert "Enter the date of the decision." in text_of(refused.text)
    assert first.text.count('class="card decision"') == 20
    assert "Decision 21" in first.text
    assert "Decision 00" not in first.text
    assert second.text.count('class="card decision"') == 2
    assert "Decision 00" in second.text
    assert found.text.count('class="card decision"') == 1  # title, decision and context
    assert "Decision 03" in found.text


async def test_a_member_reads_but_cannot_edit(owner, make_app, client_for, owner_conn):
    await interview_to_review(owner)
    org_id = org_of(owner_conn, owner)
    member_client = client_for(make_app())
    member = await sign_up(member_client, name="Bea")
    add_member(owner_conn, org_id, member.user_id, "member")

    page = await member_client.get(f"{BASE}/brief")
    token = csrf_of(page.text) if 'name="csrf_token"' in page.text else member.csrf
    approve = await member_client.post(f"{BASE}/brief/approve", data={"csrf_token": token})

    assert page.status_code == 200
    assert "Bluebird Plumbing" in page.text
    assert 'action="/c/strategy/brief/approve"' not in page.text
    assert 'action="/c/strategy/brief/sections/' not in page.text
    assert approve.status_code == 403
    assert brief_events(owner_conn, owner) == []


async def test_the_brief_editor_marks_each_section_for_the_copilot(owner):
    await interview_to_review(owner)

    page = await owner.get(f"{BASE}/brief")

    marked = re.findall(r'data-brief-section="([a-z_]+)"', page.text)
    assert marked == [section.value for section in BriefSection]
