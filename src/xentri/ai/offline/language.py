"""Tell English from Spanish by counting each language's most frequent words."""

from __future__ import annotations

from xentri.ai.offline.facts import Language
from xentri.ai.offline.text import fold, tokenize

_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "a",
        "in",
        "is",
        "it",
        "we",
        "our",
        "my",
        "i",
        "you",
        "for",
        "with",
        "that",
        "this",
        "are",
        "on",
        "have",
        "be",
        "at",
        "from",
        "they",
        "but",
        "by",
        "or",
        "as",
        "was",
        "will",
        "want",
        "sell",
        "do",
        "our",
        "people",
        "business",
        "customers",
    ]
)
_SPANISH = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "que",
        "es",
        "un",
        "una",
        "por",
        "para",
        "con",
        "nuestro",
        "nuestra",
        "nuestros",
        "somos",
        "tengo",
        "soy",
        "mi",
        "mis",
        "se",
        "lo",
        "al",
        "como",
        "pero",
        "queremos",
        "quiero",
        "más",
        "negocio",
        "clientes",
        "hacemos",
        "vendemos",
        "también",
        "muy",
        "ellos",
        "año",
        "años",
    ]
)
_SPANISH_LETTERS = frozenset("ñ¿¡áéíóú")


def detect_language(text: str, *, hint: Language | None = None) -> Language:
    """Pick the language with more of its common words; the hint breaks a tie or empty text."""
    english = spanish = 0
    for token in tokenize(text):
        word = token.lower
        english += word in _ENGLISH
        spanish += fold(word) in _SPANISH or word in _SPANISH
    spanish += sum(2 for char in text.lower() if char in "ñ¿¡")
    spanish += sum(1 for char in text.lower() if char in _SPANISH_LETTERS - set("ñ¿¡")) // 3
    if english == spanish:
        return hint or "en"
    return "en" if english > spanish else "es"
