"""Template writing from the Brief, in English and Spanish, graceful when facts are missing."""

from __future__ import annotations

import datetime as dt

from xentri.ai.offline import KnownFacts, Money, Price, about_us, mission, summary, tagline
from xentri.ai.offline.known import Constraints, Identity, KnownGoal, KnownOffering

KNOWN = KnownFacts(
    language="es",
    identity=Identity(
        name="Café Mixteco",
        owner="Lucía",
        city="Oaxaca",
        region="Oaxaca",
        country="MX",
        year_founded=2019,
    ),
    offerings=(
        KnownOffering(
            name="café de olla",
            price=Price(money=Money(minor_units=3500, currency="MXN"), unit="cup"),
        ),
        KnownOffering(name="pan de yema"),
    ),
    audience=("turistas", "estudiantes"),
    goals=(
        KnownGoal(
            statement="Queremos abrir una segunda sucursal", target=2, deadline=dt.date(2027, 3, 31)
        ),
    ),
    tone_words=("cálido", "cercano"),
    differentiators=("Tostamos nuestro propio café",),
    constraints=Constraints(team_size=4),
)


def test_tagline():
    assert tagline(KNOWN) == (
        "Café Mixteco: Café de olla y pan de yema para turistas y estudiantes en Oaxaca, "
        "cálido y cercano."
    )


def test_about_us():
    assert about_us(KNOWN) == (
        "Café Mixteco está en Oaxaca, México desde 2019. Ofrecemos café de olla y pan de yema. "
        "Nuestros clientes son sobre todo turistas y estudiantes. Nos eligen porque tostamos "
        "nuestro propio café. Somos un equipo de 4. Nuestro estilo es cálido y cercano."
    )


def test_mission_in_english():
    assert mission(KNOWN, language="en") == (
        "Our mission is to offer café de olla and pan de yema to turistas and estudiantes in "
        "Oaxaca, in a way that feels cálido and cercano."
    )


def test_summary_lists_what_is_known_and_what_is_missing():
    assert summary(KNOWN).splitlines() == [
        "Esto es lo que entendí hasta ahora:",
        "- nombre del negocio: Café Mixteco",
        "- dueño o dueña: Lucía",
        "- ubicación: Oaxaca, México",
        "- oferta: café de olla ($35.00 por taza); pan de yema",
        "- clientes: turistas y estudiantes",
        "- metas: abrir una segunda sucursal (31 de marzo de 2027)",
        "- voz de marca: cálido y cercano",
        "- lo que te distingue: Tostamos nuestro propio café",
        "- tamaño del equipo: 4",
        "- fundado en: 2019",
        "Falta: competidores.",
    ]


def test_nothing_known_gives_plain_fallbacks_not_invented_text():
    empty = KnownFacts()

    assert tagline(empty) == "Tell me about your business and I will draft a tagline."
    assert about_us(empty) == ("There is not enough about the business yet to write an “about us”.")
    assert mission(KnownFacts(language="es")) == (
        "Cuando sepa qué ofreces y a quién, puedo proponerte una misión."
    )
    assert summary(empty).splitlines()[-1] == (
        "Still missing: business name, location, offerings, customers, goals, brand voice, "
        "what sets you apart and competitors."
    )


def test_a_name_alone_still_makes_a_tagline_and_about_us():
    known = KnownFacts(identity=Identity(name="Lone Star Plumbing", city="Austin"))

    assert tagline(known) == "Lone Star Plumbing"
    assert about_us(known) == "Lone Star Plumbing is based in Austin."
