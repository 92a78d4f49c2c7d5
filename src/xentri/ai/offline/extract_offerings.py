"""Offerings: what is sold, at what price, per what unit."""

from __future__ import annotations

import re

from xentri.ai.offline.analysis import Analysis, span
from xentri.ai.offline.facts import GoalFact, OfferingFact, Price
from xentri.ai.offline.money import MoneyMention
from xentri.ai.offline.places import lookup
from xentri.ai.offline.text import clean_phrase, fold

_BOUNDARY = re.compile("[.;:!?\n(),]|\\s[-\u2013\u2014]\\s")
# Words between an offering's name and its price: "haircuts for $25", "cortes a 150 pesos".
_LINK_BEFORE_PRICE = re.compile(
    r"(?:\s+|^)(?:for|at|is|are|cost|costs|run|runs|go\s+for|goes\s+for|start\s+at|starts\s+at|"
    r"from|around|about|about|only|just|=|a|en|por|de|desde|cuesta|cuestan|vale|valen|sale|"
    r"salen|son|es|cobro|cobramos|charge|charges|we\s+charge|i\s+charge|como|unos|unas|"
    r"aproximadamente|alrededor\s+de|between|entre|each|cada\s+uno|c/u|usually|normalmente|"
    r"(?:are|is|son|es)\s+\w+\s+(?:for|por))\s*$",
    re.IGNORECASE,
)
_CHARGE_VERB = re.compile(
    r"(?:\b(?:charge|charges|charging|bill|cobro|cobramos|cobra|cobran)\b"
    r"(?:\s+\w+)?)\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s*(?:/\s*|per\s+|an?\s+|each\s+|every\s+|the\s+|por\s+|la\s+|el\s+|al\s+|a\s+la\s+|"
    r"cada\s+|x\s+)?(?P<unit>[^\W\d_]+)",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(
    r"^\s*(?:(?:for|por|para|on|in|of|de)\s+(?:a\s+|an\s+|the\s+|un\s+|una\s+|el\s+|la\s+|los\s+|"
    r"las\s+|each\s+|every\s+|cada\s+)?)(?P<name>[^\W\d_][^.;:!?\n,]*)",
    re.IGNORECASE,
)
# What is sold ends where the sentence does, or where who it is for begins.
_LIST_END = re.compile(r"[.;:!?\n(]|\s(?:for|to|para|a|al|in|en)\s", re.IGNORECASE)
_LIST_SPLIT = re.compile(r",\s*|\s+(?:and|y|e|or|o|as\s+well\s+as|plus)\s+", re.IGNORECASE)
_RANGE_LINK = re.compile("^\\s*(?:-|\u2013|to|and|y|a|hasta|or|o)\\s*$", re.IGNORECASE)


def extract_offerings(analysis: Analysis, goals: list[GoalFact]) -> list[OfferingFact]:
    goal_spans = [(g.span.start, g.span.end) for g in goals]
    offerings: list[OfferingFact] = []
    previous: MoneyMention | None = None
    floor = 0
    for money in analysis.money:
        if any(start <= money.start < end for start, end in goal_spans):
            continue
        if previous is not None and _RANGE_LINK.match(analysis.text[previous.end : money.start]):
            previous = money
            continue  # the upper end of "$20 to $30" belongs to the offering already found
        previous = money
        offering = _priced_offering(analysis, money, floor)
        floor = max(money.end, offering.span.end)
        offerings.append(offering)
    offerings.extend(_listed_offerings(analysis, offerings, goal_spans))
    return sorted(offerings, key=lambda offering: offering.span.start)


def _priced_offering(analysis: Analysis, money: MoneyMention, floor: int) -> OfferingFact:
    text, lexicon = analysis.text, analysis.lexicon
    unit: str | None = None
    after_price = money.end
    unit_match = _UNIT_AFTER.match(text[money.end :])
    if unit_match:
        unit = lexicon.units.get(fold(unit_match.group("unit")))
        if unit is not None:
            after_price = money.end + unit_match.end()
    name, name_start, name_end = _name_before(analysis, money.start, floor)
    if not name:
        after = _NAME_AFTER.match(text[after_price:])
        if after:
            name, name_start, name_end = _noun_phrase(
                analysis, after.group("name"), after_price + after.start("name")
            )
    if not name:
        bare = re.match(r"^\s+(?P<name>[^\W\d_][^.;:!?\n,]*)", text[after_price:])
        if bare and fold(bare.group("name").split()[0]) not in lexicon.phrase_stops:
            name, name_start, name_end = _noun_phrase(
                analysis, bare.group("name"), after_price + bare.start("name")
            )
    start = min(money.start, name_start) if name else money.start
    end = max(after_price, name_end) if name else after_price
    return OfferingFact(
        name=name or None,
        price=Price(money=money.money, unit=unit),
        span=span(start, end),
        text=text[start:end],
        confidence=0.85 if name else 0.6,
    )


def _name_before(analysis: Analysis, price_start: int, floor: int) -> tuple[str, int, int]:
    text = analysis.text
    window_start = max(0, price_start - 80, floor)
    window = text[window_start:price_start]
    boundaries = list(_BOUNDARY.finditer(window))
    clause_start = boundaries[-1].end() if boundaries else 0
    clause = window[clause_start:]
    if _CHARGE_VERB.search(clause):
        return "", 0, 0  # "we charge $85 an hour for ...": the name comes after the price
    link = _LINK_BEFORE_PRICE.search(clause)
    if link:
        clause = clause[: link.start()]
    for cue in analysis.lexicon.offering_cues:
        matches = list(re.finditer(cue, clause, re.IGNORECASE))
        cue_match = matches[-1] if matches else None
        # "We sell tamales for $25" names after the verb; "a bag sells for $22" before it.
        if cue_match is not None and clause[cue_match.end() :].strip():
            clause_start += cue_match.end()
            clause = clause[cue_match.end() :]
    return _noun_phrase(analysis, clause, window_start + clause_start, from_right=True)


def _noun_phrase(
    analysis: Analysis, phrase: str, offset: int, *, from_right: bool = False
) -> tuple[str, int, int]:
    """Trim a phrase to the noun phrase that names a product: no articles, verbs or pronouns."""
    lexicon = analysis.lexicon
    words = [(m.group(), m.start()) for m in re.finditer(r"[^\s]+", phrase)]
    # Prepositions may sit inside a product's name: "arreglos para eventos", "bath and trim for
    # a small dog"; they only end it when reading left to right from the price.
    inner = {"de", "del", "with", "con", "of", "sin", "without"}
    if from_right:
        inner |= {"for", "para"}
    stops = lexicon.phrase_stops - inner
    if from_right:
        kept: list[tuple[str, int]] = []
        while words and fold(words[-1][0].strip(",")) in stops:
            words.pop()
        for word, at in reversed(words):
            if fold(word.strip(",")) in stops or len(kept) >= 6:
                break
            kept.insert(0, (word, at))
    else:
        kept = []
        for word, at in words:
            if fold(word.strip(",")) in stops or len(kept) >= 6:
                break
            kept.append((word, at))
    while kept and fold(kept[0][0]) in lexicon.determiners | {"and", "y", "de", "with"}:
        kept.pop(0)
    while kept and fold(kept[-1][0]) in lexicon.determiners | {"and", "y", "de", "with", "con"}:
        kept.pop()
    if not kept:
        return "", 0, 0
    start = offset + kept[0][1]
    end = offset + kept[-1][1] + len(kept[-1][0])
    name = clean_phrase(analysis.text[start:end])
    if not name or lookup(name) is not None or fold(name) in lexicon.units:
        return "", 0, 0
    return name, start, end


def _listed_offerings(
    analysis: Analysis, priced: list[OfferingFact], goal_spans: list[tuple[int, int]]
) -> list[OfferingFact]:
    """ "We sell coffee, pastries and sandwiches": offerings without a price yet."""
    text, lexicon = analysis.text, analysis.lexicon
    priced_names = {fold(o.name) for o in priced if o.name}
    owned = [(f.span.start, f.span.end) for f in analysis.claimed]
    found: list[OfferingFact] = []
    for cue in lexicon.offering_cues:
        for match in re.finditer(rf"(?<!\w)(?:{cue})\s+(?:mostly\s+|mainly\s+)?", text, re.I):
            if any(start <= match.start() < end for start, end in goal_spans):
                continue
            boundary = _LIST_END.search(text, match.end())
            list_end = boundary.start() if boundary else len(text)
            list_end = min([list_end, *(s for s, _ in owned if s >= match.end())])
            for item in _LIST_SPLIT.split(text[match.end() : list_end]):
                item_at = text.find(item, match.end(), list_end)
                if not item.strip() or item_at < 0:
                    continue
                if any(item_at <= m.start < item_at + len(item) for m in analysis.money):
                    continue
                name, start, end = _noun_phrase(analysis, item, item_at)
                if any(s <= start < e or start <= s < end for s, e in owned):
                    continue
                if name and fold(name.split()[-1]) in lexicon.audience_nouns:
                    continue
                if not name or len(name.split()) > 5 or fold(name) in priced_names:
                    continue
                if any(fold(name) in pn or pn in fold(name) for pn in priced_names):
                    continue
                priced_names.add(fold(name))
                found.append(
                    OfferingFact(name=name, span=span(start, end), text=name, confidence=0.7)
                )
    return found
