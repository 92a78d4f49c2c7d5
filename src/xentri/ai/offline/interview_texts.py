"""The interview's questions and reasons in English and Spanish."""

from __future__ import annotations

from xentri.ai.offline.facts import Language

QUESTIONS: dict[Language, dict[str, str]] = {
    "en": {
        "identity.name": "What is the name of your business?",
        "offerings": "What do you sell or offer? Tell me your main products or services.",
        "audience": "Who are your customers? Describe the people or businesses who buy most.",
        "identity.location": "Where is the business based? A city and country is enough.",
        "goals": (
            "What is the most important thing you want to achieve in the next year? "
            "A number and a date help, like “50 new customers by June”."
        ),
        "brand_voice": (
            "If your brand were a person, how would it sound? Give me two or three words."
        ),
        "differentiators": "Why do customers choose you over the alternatives?",
        "competitors": "Who else do your customers consider? Name a few competitors.",
        "constraints.team_size": "How many people work in the business, counting yourself?",
        "constraints.budget": (
            "How much can you invest each month in growing the business (ads, tools, help)?"
        ),
        "offerings.price": "How much do you charge for {offering}?",
        "goals.target": "How will you know you reached “{goal}”? What number would tell you?",
        "goals.deadline": "By when do you want to reach “{goal}”?",
        "audience.specific": "Which group of customers buys from you most often?",
    },
    "es": {
        "identity.name": "¿Cómo se llama tu negocio?",
        "offerings": "¿Qué vendes u ofreces? Cuéntame tus principales productos o servicios.",
        "audience": (
            "¿Quiénes son tus clientes? Describe a las personas o negocios que más compran."
        ),
        "identity.location": "¿Dónde está tu negocio? Con la ciudad y el país basta.",
        "goals": (
            "¿Qué es lo más importante que quieres lograr en el próximo año? "
            "Ayuda un número y una fecha, como «50 clientes nuevos antes de junio»."
        ),
        "brand_voice": "Si tu marca fuera una persona, ¿cómo hablaría? Dame dos o tres palabras.",
        "differentiators": "¿Por qué te eligen tus clientes a ti y no a otros?",
        "competitors": "¿A quién más consideran tus clientes? Menciona algunos competidores.",
        "constraints.team_size": "¿Cuántas personas trabajan en el negocio, contándote a ti?",
        "constraints.budget": (
            "¿Cuánto puedes invertir al mes para hacer crecer el negocio (publicidad, "
            "herramientas, ayuda)?"
        ),
        "offerings.price": "¿Cuánto cobras por {offering}?",
        "goals.target": "¿Cómo sabrás que lograste «{goal}»? ¿Qué número te lo diría?",
        "goals.deadline": "¿Para cuándo quieres lograr «{goal}»?",
        "audience.specific": "¿Qué grupo de clientes te compra con más frecuencia?",
    },
}

RETRY_PREFIX: dict[Language, str] = {
    "en": "I didn't catch that, let me ask again. ",
    "es": "No lo entendí bien, te pregunto de nuevo. ",
}

_SECTIONS_EN = {
    "identity.name": "business name", "offerings": "offerings", "audience": "audience",
    "identity.location": "location", "goals": "goals", "brand_voice": "brand voice",
    "differentiators": "differentiators", "competitors": "competitors",
    "constraints.team_size": "team size", "constraints.budget": "budget",
    "offerings.price": "price",
    "goals.target": "target", "goals.deadline": "deadline", "audience.specific": "audience",
}  # fmt: skip
_SECTIONS_ES = {
    "identity.name": "nombre del negocio", "offerings": "oferta", "audience": "público",
    "identity.location": "ubicación", "goals": "metas", "brand_voice": "voz de marca",
    "differentiators": "diferenciadores", "competitors": "competidores",
    "constraints.team_size": "tamaño del equipo", "constraints.budget": "presupuesto",
    "offerings.price": "precio",
    "goals.target": "número objetivo", "goals.deadline": "fecha límite",
    "audience.specific": "público",
}  # fmt: skip

REASONS: dict[Language, dict[str, str]] = {
    "en": {
        "missing": "The Brief has no {section} yet.",
        "offerings.price": "“{offering}” has no price yet.",
        "goals.target": "The goal “{goal}” has no number to measure it by.",
        "goals.deadline": "The goal “{goal}” has no date.",
        "audience.specific": "The audience is too general to plan for.",
    },
    "es": {
        "missing": "El Brief aún no tiene {section}.",
        "offerings.price": "«{offering}» todavía no tiene precio.",
        "goals.target": "La meta «{goal}» no tiene un número para medirla.",
        "goals.deadline": "La meta «{goal}» no tiene fecha.",
        "audience.specific": "El público es demasiado general para planear.",
    },
}
SECTION_LABELS: dict[Language, dict[str, str]] = {"en": _SECTIONS_EN, "es": _SECTIONS_ES}
