"""Who the customers are, and the words the owner uses for how the brand should sound."""

from __future__ import annotations

import re

from xentri.ai.offline.analysis import Analysis, span
from xentri.ai.offline.facts import AudienceFact, ToneFact
from xentri.ai.offline.text import clean_phrase, fold, sentence_bounds

# "women between 30 and 55" is one segment: no split before a number.
_SEGMENT_SPLIT = re.compile(
    r",\s*(?:and\s+|y\s+)?|\s+(?:and|y|e|or|o|plus|as\s+well\s+as)\s+(?!\d)", re.IGNORECASE
)
_SEGMENT_END = re.compile(
    r"[.;:!?\n(]|\s(?:because|porque|but|pero|so|así\s+que|since|ya\s+que|who\s+come|que\s+vienen|"
    r"we|nosotros|i|yo|and\s+we|y\s+nosotros|and\s+they|y\s+ellos)\s",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(
    r"^(?:mostly|mainly|usually|often|primarily|largely|a\s+lot\s+of|lots\s+of|many|"
    r"sobre\s+todo|principalmente|más\s+que\s+nada|muchos|muchas|mucha|la|el|los|las|the|"
    r"a|an|to|a\s+la|al|de|also|también)\s+",
    re.IGNORECASE,
)


def extract_audience(
    analysis: Analysis, goal_spans: list[tuple[int, int]], *, expecting: bool = False
) -> list[AudienceFact]:
    text, lexicon = analysis.text, analysis.lexicon
    starts: list[tuple[int, bool]] = []  # where a segment list begins; needs an audience noun
    for cue in lexicon.audience_cues:
        starts.extend((m.end(), False) for m in re.finditer(rf"(?<!\w){cue}\s+", text, re.I))
    for cue in lexicon.weak_audience_cues:
        starts.extend(
            (m.end(), True)
            for m in re.finditer(rf"(?<!\w){cue}\s+", text, re.I)
            if not _UP_TO.search(text, 0, m.start())  # "up to six people" is a size
        )
    # "College students and gym people are our crowd": the list comes first.
    ends: dict[int, int] = {}
    for sentence_start, sentence_end in sentence_bounds(text):
        inverted = _INVERTED.match(text[sentence_start:sentence_end])
        if inverted:
            starts.append((sentence_start + inverted.start("list"), False))
            ends[sentence_start + inverted.start("list")] = sentence_start + inverted.end("list")
    if expecting and not starts:
        starts.append((0, False))
    segments: dict[str, AudienceFact] = {}
    for start, weak in sorted(set(starts)):
        end_match = _SEGMENT_END.search(text, start)
        end = ends.get(start) or (end_match.start() if end_match else len(text))
        for at, piece in _pieces(text, start, end, lexicon.audience_nouns):
            stripped = _strip_filler(clean_phrase(piece))
            segment = _to_last_audience_noun(stripped, lexicon.audience_nouns, required=weak)
            fact = _segment_fact(analysis, segment, at, goal_spans, weak=weak)
            if fact is not None:
                segments.setdefault(fold(fact.segment), fact)
            if segment and segment != stripped:
                break  # the list ended where the cut was made: "... set up hiring and payroll"
    return _without_contained(sorted(segments.values(), key=lambda f: f.span.start))


def _without_contained(facts: list[AudienceFact]) -> list[AudienceFact]:
    """ "hoteles" inside "hoteles boutique" (found by two cues) is the same segment."""
    return [
        fact for fact in facts
        if not any(
            other is not fact
            and other.span.start <= fact.span.start
            and fact.span.end <= other.span.end
            and (other.span.end - other.span.start) > (fact.span.end - fact.span.start)
            for other in facts
        )
    ]  # fmt: skip


_INVERTED = re.compile(
    r"\s*(?P<list>[^.;:!?\n]+?)\s+(?:(?:are|is|son|es)\s+(?:our|my|nuestros|nuestras|nuestro|"
    r"nuestra|mis|mi)\s+(?:main\s+|principales\s+)?(?:crowd|customers|clients|audience|market|"
    r"regulars|clientes|clientas|p[uú]blico|mercado)\b|(?:come|buy|visit|order)\s+(?:from\s+us\s+)?"
    r"(?:the\s+)?most\b|(?:son\s+los\s+que|)(?:vienen|compran|nos\s+compran)\s+m[aá]s\b)",
    re.IGNORECASE,
)
_UP_TO = re.compile(r"\bup\s+\Z", re.IGNORECASE)
_QUANTITY = re.compile(r"(?:up\s+to|as\s+many\s+as|more\s+than|hasta|más\s+de)\b", re.IGNORECASE)


def _pieces(text: str, start: int, end: int, nouns: frozenset[str]) -> list[tuple[int, str]]:
    """Split a list of segments, keeping "American and British travelers" together."""
    parts = _SEGMENT_SPLIT.split(text[start:end])
    pieces: list[tuple[int, str]] = []
    offset = start
    index = 0
    while index < len(parts):
        piece = parts[index]
        at = text.find(piece, offset, end) if piece else offset
        following = parts[index + 1] if index + 1 < len(parts) else None
        if following and not _has_noun(piece, nouns) and len(piece.split()) <= 2:
            words = following.split()
            # "British travelers" continues "American"; "tiendas de decoración" starts anew.
            if _has_noun(following, nouns) and fold(words[0]) not in nouns:
                joined_end = text.find(following, at + len(piece), end) + len(following)
                piece, index = text[at:joined_end], index + 1
        is_lone_adjective = len(piece.split()) == 1 and not _has_noun(piece, nouns)
        if pieces and is_lone_adjective and _has_noun(pieces[-1][1], nouns):
            # "turistas brasileños y europeos": the adjective shares the noun before it
            previous_at = pieces[-1][0]
            pieces[-1] = (previous_at, text[previous_at : at + len(piece)])
        else:
            pieces.append((at, piece))
        offset = at + len(piece)
        index += 1
    return pieces


def _has_noun(piece: str, nouns: frozenset[str]) -> bool:
    return any(fold(word.strip(",")) in nouns for word in piece.split())


def _segment_fact(
    analysis: Analysis, segment: str, at: int, goal_spans: list[tuple[int, int]], *, weak: bool
) -> AudienceFact | None:
    text = analysis.text
    if not segment or len(segment.split()) > 8:
        return None
    seg_at = text.find(segment, at)
    claimed = [(f.span.start, f.span.end) for f in analysis.claimed]
    segment = _cut_before_claimed(segment, seg_at, claimed)
    starts_with_number = any(n.start == seg_at for n in analysis.numbers) or bool(
        _QUANTITY.match(segment)
    )
    if (
        not segment
        or seg_at < 0
        or starts_with_number
        or any(s <= seg_at < e for s, e in claimed + goal_spans)
        or any(seg_at <= m.start < seg_at + len(segment) for m in analysis.money)
    ):
        return None
    return AudienceFact(
        segment=segment,
        span=span(seg_at, seg_at + len(segment)),
        text=segment,
        confidence=0.6 if weak else 0.75,
    )


def _cut_before_claimed(segment: str, at: int, claimed: list[tuple[int, int]]) -> str:
    """ "restaurantes de la Ciudad de México": the place is a fact of its own."""
    for start, _ in claimed:
        if at < start < at + len(segment):
            segment = _TRAILING_LINK.sub("", segment[: start - at].rstrip())
    return segment


_TRAILING_LINK = re.compile(r"(?:\s+(?:de|del|la|el|en|in|from|of|the|around|near))+$", re.I)


def _to_last_audience_noun(segment: str, nouns: frozenset[str], *, required: bool) -> str:
    """Cut "high school students get ready for the SAT" after its last audience noun."""
    words = segment.split()
    last = max((i for i, w in enumerate(words) if fold(w.strip(",")) in nouns), default=None)
    if last is None:
        return "" if required else segment
    if required or len(words) > 6:
        return " ".join(words[: last + 1])
    return segment


def _tone_word(word: str, tone_words: dict[str, str]) -> str | None:
    """The canonical tone word, also for plurals ("confiables", "divertidos")."""
    folded = fold(word)
    for candidate in (folded, folded[:-1], folded[:-2]):
        if len(candidate) > 2 and candidate in tone_words:
            return tone_words[candidate]
    return None


def _strip_filler(segment: str) -> str:
    previous = None
    while previous != segment:
        previous = segment
        segment = _LEADING_FILLER.sub("", segment)
    return segment.strip()


def extract_tone(analysis: Analysis, *, expecting: bool = False) -> list[ToneFact]:
    text, lexicon = analysis.text, analysis.lexicon
    tones: dict[str, ToneFact] = {}
    for sentence_start, sentence_end in sentence_bounds(text):
        sentence = text[sentence_start:sentence_end]
        words = list(re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)*", sentence))
        cued = expecting or any(fold(w.group()) in lexicon.tone_cues for w in words)
        if not cued:
            continue
        for word in words:
            canonical = _tone_word(word.group(), lexicon.tone_words)
            if canonical is None or canonical in tones:
                continue
            start = sentence_start + word.start()
            tones[canonical] = ToneFact(
                word=canonical,
                span=span(start, start + len(word.group())),
                text=word.group(),
                confidence=0.85 if not expecting else 0.8,
            )
    return sorted(tones.values(), key=lambda f: f.span.start)
