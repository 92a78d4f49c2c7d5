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
    r"parte\s+de|parten\s+de|a\s+partir\s+de|starting\s+at|starts?\s+around|"
    r"(?:are|is|son|es)\s+\w+\s+(?:for|por))\s*$",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(
    r"^\s*(?:\d+\s+for|\d+\s+por|which|that|those|these|they|it|que|los\s+cuales|las\s+cuales|"
    r"esos|esas|estos|estas|a|at|for|en|por)?\b(?:\s+(?:are|is|go|run|start|cost|costs|sell|son|est[aá]n|salen|"
    r"cuestan)(?:\s+(?:for|at|around|about|from|a|en|desde))?)?\s*$",
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
_LIST_END = re.compile(r"[.;:!?\n(]|\s(?:for|to|para|a|al|in|en|at|with|con)\s", re.IGNORECASE)
_LIST_SPLIT = re.compile(r",\s*|\s+(?:and|y|e|or|o|as\s+well\s+as|plus)\s+", re.IGNORECASE)
_RANGE_LINK = re.compile("^\\s*(?:-|\u2013|to|and|y|a|hasta|or|o)\\s*$", re.IGNORECASE)


def extract_offerings(
    analysis: Analysis, goals: list[GoalFact], *, expecting: bool = False
) -> list[OfferingFact]:
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
    listed = _listed_offerings(analysis, offerings, goal_spans, expecting=expecting)
    return sorted(_name_priced_from_listed(offerings, listed), key=lambda o: o.span.start)


def _name_priced_from_listed(
    priced: list[OfferingFact], listed: list[OfferingFact]
) -> list[OfferingFact]:
    """ "Vendemos café de olla… El café cuesta 35 pesos": the price is the café de olla's."""
    kept_listed = list(listed)
    named: list[OfferingFact] = []
    for offering in priced:
        fuller = next(
            (item for item in kept_listed if offering.name and item.name
             and fold(item.name).startswith(fold(offering.name) + " ")),
            None,
        )  # fmt: skip
        if fuller is not None:
            kept_listed.remove(fuller)
        named.append(
            offering if fuller is None else offering.model_copy(update={"name": fuller.name})
        )
    return [*named, *kept_listed]


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
    # "kolaches, which are 2 bucks each", "las tortas, a 45 pesos": the name is in the segment
    # before the comma.
    if boundaries and window[boundaries[-1].start()] in ",(" and _REFERS_BACK.match(clause):
        earlier = boundaries[-2].end() if len(boundaries) >= 2 else 0
        clause_start, clause = earlier, window[earlier : boundaries[-1].start()]
        return _noun_phrase(analysis, clause, window_start + clause_start, from_right=True)
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


_ARTICLES = frozenset(
    {"the", "a", "an", "our", "my", "el", "la", "los", "las", "un", "una", "unos", "unas",
     "nuestro", "nuestra", "nuestros", "nuestras", "mi", "mis", "su", "sus"}
)  # fmt: skip
# "hour is $40" names no product; "la consulta cuesta 800" does, though "consulta" is a unit.
_TIME_UNITS = frozenset({"hour", "day", "night", "week", "month", "year"})
_LEADING_LINKS = frozenset({"and", "y", "de", "with", "for", "para", "con", "of", "in", "en"})


def _noun_phrase(
    analysis: Analysis, phrase: str, offset: int, *, from_right: bool = False
) -> tuple[str, int, int]:
    """Trim a phrase to the noun phrase that names a product: no articles, verbs or pronouns."""
    lexicon = analysis.lexicon
    words = [(m.group(), m.start()) for m in re.finditer(r"[^\s]+", phrase)]
    # Prepositions may sit inside a product's name: "arreglos para eventos", "bath and trim for
    # a small dog"; they only end it when reading left to right from the price.
    inner = {"de", "del", "al", "with", "con", "of", "sin", "without"}
    if from_right:
        inner |= {"for", "para"}
    stops = lexicon.phrase_stops - inner
    kept = _words_up_to_stop(words, stops, from_right=from_right)
    while kept and fold(kept[0][0]) in lexicon.determiners | _LEADING_LINKS:
        kept.pop(0)
    while kept and fold(kept[-1][0]) in lexicon.determiners | {"and", "y", "de", "with", "con"}:
        kept.pop()
    if not kept:
        return "", 0, 0
    start = offset + kept[0][1]
    end = offset + kept[-1][1] + len(kept[-1][0])
    name = clean_phrase(analysis.text[start:end])
    if not name or lookup(name) is not None or lexicon.units.get(fold(name)) in _TIME_UNITS:
        return "", 0, 0
    if not any(w.isalpha() and not _is_number_word(analysis, offset + at) for w, at in kept):
        return "", 0, 0  # "(12 for $14)": a quantity, not a name
    if fold(kept[-1][0].strip(",")) in lexicon.audience_nouns:
        return "", 0, 0  # "for small businesses" says who, not what
    return name, start, end


def _is_number_word(analysis: Analysis, at: int) -> bool:
    return any(n.start <= at < n.end for n in analysis.numbers)


def _words_up_to_stop(
    words: list[tuple[str, int]], stops: frozenset[str], *, from_right: bool
) -> list[tuple[str, int]]:
    """The words nearest the price (or the cue) up to the first verb, pronoun or conjunction."""
    if not from_right:
        kept: list[tuple[str, int]] = []
        for word, at in words:
            if fold(word.strip(",")) in stops or len(kept) >= 6:
                break
            kept.append((word, at))
        return kept
    remaining = list(words)
    while remaining and fold(remaining[-1][0].strip(",")) in stops:
        remaining.pop()
    kept = []
    for word, at in reversed(remaining):
        if fold(word.strip(",")) in stops or len(kept) >= 6:
            break
        kept.insert(0, (word, at))
        if fold(word) in _ARTICLES:
            break  # an article opens the noun phrase: "comes for | the empanadas"
    return kept


def _names_a_product(name: str, start: int, analysis: Analysis, item: str) -> bool:
    """Not a customer ("hotel guests"), a kind of business ("a small bakery"), a quantity
    ("ocho años") or a vague "everything"."""
    lexicon = analysis.lexicon
    words = [fold(word) for word in name.split()]
    if len(words) > 5 or words[-1] in lexicon.audience_nouns:
        return False
    kind_of_business = words[-1] in {fold(noun) for noun in lexicon.business_nouns}
    if kind_of_business and re.match(r"\s*(?:a|an|un|una)\s", item, re.IGNORECASE):
        return False
    if words[0] in _VAGUE or any(n.start == start for n in analysis.numbers):
        return False
    return any(word.isalpha() for word in words)


_VAGUE = frozenset({"todo", "everything", "anything", "algo", "all", "lots", "stuff", "cosas"})


def _list_starts(
    analysis: Analysis, goal_spans: list[tuple[int, int]], *, expecting: bool
) -> list[int]:
    starts = [
        match.end()
        for cue in analysis.lexicon.offering_cues
        for match in re.finditer(
            rf"(?<!\w)(?:{cue})\s+(?:mostly\s+|mainly\s+)?", analysis.text, re.IGNORECASE
        )
        if not any(start <= match.start() < end for start, end in goal_spans)
    ]
    # Answering "what do you sell?", the answer is the list: "Coffee, tea and pastries."
    return starts or ([0] if expecting else [])


def _listed_offerings(
    analysis: Analysis,
    priced: list[OfferingFact],
    goal_spans: list[tuple[int, int]],
    *,
    expecting: bool,
) -> list[OfferingFact]:
    """ "We sell coffee, pastries and sandwiches": offerings without a price yet."""
    text = analysis.text
    priced_names = {fold(o.name) for o in priced if o.name}
    owned = [(f.span.start, f.span.end) for f in analysis.claimed]
    found: list[OfferingFact] = []
    for list_start in _list_starts(analysis, goal_spans, expecting=expecting):
        boundary = _LIST_END.search(text, list_start)
        list_end = boundary.start() if boundary else len(text)
        list_end = min([list_end, *(s for s, _ in owned if s >= list_start)])
        for item in _LIST_SPLIT.split(text[list_start:list_end]):
            item_at = text.find(item, list_start, list_end)
            if not item.strip() or item_at < 0:
                continue
            item_end = item_at + len(item)
            if any(item_at < m.end and m.start < item_end for m in analysis.money):
                continue
            name, start, end = _noun_phrase(analysis, item, item_at)
            if not name or any(s <= start < e or start <= s < end for s, e in owned):
                continue
            if not _names_a_product(name, start, analysis, item) or fold(name) in priced_names:
                continue
            priced_names.add(fold(name))
            found.append(OfferingFact(name=name, span=span(start, end), text=name, confidence=0.7))
    return found
