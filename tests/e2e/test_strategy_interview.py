"""The Strategy interview in a real Chromium: a new owner signs up, walks the first-run wizard,
answers the co-pilot (in English for one business, in Spanish for another), edits a field and
approves; the Brief holds the facts they gave, `xentri.brief.created.v1` is emitted once, and a
later edit approved again emits `updated` with the changed sections and a new version."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up
from tests.support.db import as_org

pytestmark = pytest.mark.e2e

MAX_TURNS = 20
AT_BRIEF = re.compile(r".*/c/strategy/brief(#[a-z-]+)?$")

# Scripted owners (two of bench/data/brief_personas.yaml): an answer for each question id the
# interview may ask; a follow-up ("offerings.price.1") falls back to its kind ("offerings.price").
PLUMBER = {
    "identity.name": "Bluebird Plumbing.",
    "offerings": "Drain cleaning and water heater installs.",
    "offerings.price": "Drain cleaning is $150, a water heater install is $1,200.",
    "audience": "Homeowners and small landlords.",
    "identity.location": "Austin, Texas.",
    "goals": "30 new customers a month by June 2027.",
    "brand_voice": "Honest and reliable.",
    "differentiators": "Same-day service.",
    "competitors": "Roto-Rooter.",
    "constraints.team_size": "4",
    "constraints.budget": "$500 a month.",
}
CAFE_OPENING = (
    "Hola, soy Ana Ruiz y tengo Café Luna en Oaxaca desde 2019. Vendemos lattes a 45 pesos, "
    "pan de muerto a 35 pesos y café de olla a 30 pesos. Nuestros clientes son estudiantes y "
    "turistas que buscan un lugar tranquilo."
)
CAFE = {
    "goals": "Queremos abrir una segunda sucursal antes de diciembre de 2027.",
    "brand_voice": "Cercano, cálido y divertido.",
    "differentiators": "Tostamos nuestro propio café de la Sierra Sur.",
    "competitors": "Café Brújula y los Starbucks del centro.",
    "constraints.team_size": "Somos 6 personas.",
    "constraints.budget": "Tenemos unos 8000 pesos al mes para marketing.",
}
DONT_KNOW = {"en": "I don't know.", "es": "No lo sé."}


def set_up_org(page, live_server: str, org: str, language: str) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/welcome/organization")
    page.get_by_label("Organization name").fill(org)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/welcome/region")
    page.get_by_label("Language", exact=True).and_(page.locator("select")).select_option(language)
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(f"{live_server}/dashboard")


def answer_for(question_id: str, answers: dict[str, str], language: str) -> str:
    key = question_id
    while key:
        if key in answers:
            return answers[key]
        key = key.rsplit(".", 1)[0] if "." in key else ""
    return DONT_KNOW[language]


def interview(page, live_server: str, answers: dict[str, str], language: str, opening=None):
    """Answer every question the co-pilot asks; returns how many answers it took."""
    page.goto(f"{live_server}/c/strategy/interview")
    turns = 0
    while turns < MAX_TURNS:
        form = page.locator("form.chat__form")
        question = form.get_attribute("data-question") if form.count() else None
        if question is None:
            break
        text = opening if turns == 0 and opening else answer_for(question, answers, language)
        page.locator("#answer").fill(text)
        form.locator("button[type=submit]").click()
        turns += 1
        # The answer shows at once, the reply streams in, then the conversation is drawn again
        # from what is stored: the owner's message is in it and no reply is waiting.
        page.locator(".chat__message--owner").nth(turns - 1).wait_for()
        page.wait_for_function(REPLIED)
    return turns


REPLIED = """() => {
  const box = document.querySelector("[data-interview]");
  return box && box.dataset.busy !== "true" && !box.querySelector("[data-pending]");
}"""


def org_of(owner_conn, email: str) -> uuid.UUID:
    return owner_conn.execute(
        "select created_org_id from onboarding_progress p join users u on u.id = p.user_id "
        "where u.email = %s",
        (email,),
    ).fetchone()[0]


def approved(owner_conn, org_id: uuid.UUID):
    with as_org(owner_conn, org_id):
        versions = owner_conn.execute(
            "select version, document, changed_sections from brief_versions order by version"
        ).fetchall()
        events = owner_conn.execute(
            "select type, payload from system_events where type like 'xentri.brief.%' "
            "order by org_seq"
        ).fetchall()
    return versions, events


def draft_edit_approve(page, live_server: str, tagline: str) -> None:
    page.locator("form[action='/c/strategy/interview/draft'] button").click()
    page.wait_for_url(AT_BRIEF)
    page.locator("#f-tagline").fill(tagline)
    page.locator("#section-identity button[type=submit]").click()
    page.wait_for_url(AT_BRIEF)
    assert page.locator("#f-tagline").input_value() == tagline
    page.locator("form[action='/c/strategy/brief/approve'] button").click()
    page.wait_for_url(AT_BRIEF)


def test_an_english_owner_interviews_edits_approves_and_revises(browser, live_server, owner_conn):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context(timezone_id="America/Chicago")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_up(page, live_server, {"name": "Sam", "email": email})
        set_up_org(page, live_server, "Bluebird Plumbing", "en")
        page.get_by_role("link", name="Start the Strategy interview").click()
        page.wait_for_url(f"{live_server}/c/strategy/interview")
        assert page.get_by_text("What is the name of your business?").is_visible()

        turns = interview(page, live_server, PLUMBER, "en")
        shot(page, "strategy-10-interview-en")
        assert serious_accessibility_problems(page) == []
        # The Brief took shape beside the conversation, and the conversation is kept.
        assert page.locator("[data-fact=name]").inner_text() == "Bluebird Plumbing"
        page.reload()
        assert page.locator(".chat__message--owner").count() == turns

        draft_edit_approve(page, live_server, "Pipes fixed the same day")
        shot(page, "strategy-11-brief-approved-en")
        assert serious_accessibility_problems(page) == []

        org_id = org_of(owner_conn, email)
        versions, events = approved(owner_conn, org_id)
        assert [v[0] for v in versions] == [1]
        brief = versions[0][1]
        assert brief["identity"]["name"] == "Bluebird Plumbing"
        assert brief["identity"]["tagline"] == "Pipes fixed the same day"
        assert brief["identity"]["locations"][0]["city"] == "Austin"
        offerings = {
            (o["name"].lower(), o["price_minor"], o["currency"]) for o in brief["offerings"]
        }
        assert ("drain cleaning", 15000, "USD") in offerings
        assert any(
            name.startswith("water heater") and price == 120000 for name, price, _ in offerings
        )
        assert {s["name"].lower() for s in brief["audience"]["segments"]} >= {"homeowners"}
        assert brief["goals"][0]["deadline"] == "2027-06-30"
        assert {w.lower() for w in brief["brand_voice"]["tone_words"]} >= {"honest", "reliable"}
        assert brief["competitors"] == ["Roto-Rooter"]
        assert brief["constraints"]["team_size"] == 4
        assert [kind for kind, _ in events] == ["xentri.brief.created.v1"]

        # Later: a change asked for in words, approved again.
        page.locator("#f-request").fill("add an offering: leak detection 90 USD each")
        page.locator("form[action='/c/strategy/brief/ask'] button").click()
        page.wait_for_url(AT_BRIEF)
        assert page.get_by_text("Changes since version 1").is_visible()
        page.locator("form[action='/c/strategy/brief/approve'] button").click()
        page.wait_for_url(AT_BRIEF)
        page.goto(f"{live_server}/c/strategy/brief/versions?from=1&to=2")
        assert page.get_by_text("From version 1 to version 2").is_visible()
        shot(page, "strategy-12-versions-en")

        versions, events = approved(owner_conn, org_id)
        assert [v[0] for v in versions] == [1, 2]
        assert versions[1][2] == ["offerings"]
        assert [kind for kind, _ in events] == [
            "xentri.brief.created.v1",
            "xentri.brief.updated.v1",
        ]
        assert events[1][1] == {"version": 2, "changed_sections": ["offerings"]}
        assert errors == []
    finally:
        context.close()


def test_a_spanish_owner_interviews_edits_and_approves(browser, live_server, owner_conn):
    email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context(timezone_id="America/Mexico_City")
    page = context.new_page()
    try:
        sign_up(page, live_server, {"name": "Ana", "email": email})
        set_up_org(page, live_server, "Café Luna", "es")
        turns = interview(page, live_server, CAFE, "es", opening=CAFE_OPENING)
        assert page.locator("html").get_attribute("lang") == "es"
        # The co-pilot answered in Spanish.
        assert page.locator(".chat__message--copilot .chat__text").first.inner_text() == (
            "¿Cómo se llama tu negocio?"
        )
        shot(page, "strategy-20-interview-es")
        assert serious_accessibility_problems(page) == []

        draft_edit_approve(page, live_server, "Café de olla como en casa")
        assert page.get_by_text("Aprobado").first.is_visible()
        shot(page, "strategy-21-brief-approved-es")

        versions, events = approved(owner_conn, org_of(owner_conn, email))
        brief = versions[0][1]
        assert brief["identity"]["name"] == "Café Luna"
        assert brief["identity"]["tagline"] == "Café de olla como en casa"
        assert brief["identity"]["year_founded"] == 2019
        assert brief["identity"]["locations"][0]["city"] == "Oaxaca"
        offerings = {
            (o["name"].lower(), o["price_minor"], o["currency"]) for o in brief["offerings"]
        }
        assert ("pan de muerto", 3500, "MXN") in offerings
        assert ("café de olla", 3000, "MXN") in offerings
        segments = [s["name"].lower() for s in brief["audience"]["segments"]]
        assert segments[0] == "estudiantes"
        assert segments[1].startswith("turistas")
        assert brief["goals"][0]["deadline"] == "2027-12-31"
        assert {"cercano", "divertido"} <= {w.lower() for w in brief["brand_voice"]["tone_words"]}
        assert brief["constraints"]["team_size"] == 6
        assert turns <= 15
        assert [kind for kind, _ in events] == ["xentri.brief.created.v1"]
    finally:
        context.close()
