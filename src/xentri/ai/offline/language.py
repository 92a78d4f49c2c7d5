"""Tell English from Spanish by counting each language's most frequent words."""

from __future__ import annotations

from xentri.ai.offline.facts import Language
from xentri.ai.offline.lexicon import words
from xentri.ai.offline.text import fold, tokenize

_ENGLISH = words(
    "the and of to a in is it we our my i you for with that this are on have be at from they "
    "but by or as was will want sell do people business customers just me work home what how "
    "who when where why can would like about all some more most also there their its it's i'm "
    "we're don't is not no yes one two three get make year years month new next open per each"
)
_SPANISH = words(
    "el la los las de del y en que es un una por para con nuestro nuestra nuestros somos tengo "
    "soy mi mis se lo al como pero queremos quiero más negocio clientes hacemos vendemos "
    "también muy ellos año años desde hasta casa trabajo trabajamos sola solo hay está están "
    "son tiene tenemos hacer cuando donde porque bien sí no dos tres cada mes nuevo nueva "
    "próximo sobre todo aquí ahora ya yo nosotros le les su sus este esta eso"
)
COMMON_WORDS = _ENGLISH | _SPANISH
_SPANISH_ONLY_LETTERS = frozenset("ñ¿¡")
_ACCENTED = frozenset("áéíóú")


def detect_language(text: str, *, hint: Language | None = None) -> Language:
    """Pick the language with more of its common words; the hint breaks a tie or empty text."""
    english = spanish = 0
    for token in tokenize(text):
        word = token.lower
        english += word in _ENGLISH
        spanish += word in _SPANISH or fold(word) in _SPANISH
    lowered = text.lower()
    spanish += 2 * sum(char in _SPANISH_ONLY_LETTERS for char in lowered)
    spanish += sum(char in _ACCENTED for char in lowered) // 3
    if english == spanish:
        return hint or "en"
    return "en" if english > spanish else "es"
