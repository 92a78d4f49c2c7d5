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
        starts.extend((m.end(), True) for m in re.finditer(rf"(?<!\w){cue}\s+", text, re.I))
    if expecting and not starts:
        starts.append((0, False))
    claimed = [(f.span.start, f.span.end) for f in analysis.claimed]
    segments: dict[str, AudienceFact] = {}
    for start, weak in sorted(set(starts)):
        end_match = _SEGMENT_END.search(text, start)
        end = end_match.start() if end_match else len(text)
        for piece in _SEGMENT_SPLIT.split(text[start:end]):
            at = text.find(piece, start, end)
            segment = _to_last_audience_noun(
                _strip_filler(clean_phrase(piece)), lexicon.audience_nouns, required=weak
            )
            if not segment or at < 0 or len(segment.split()) > 8:
                continue
            seg_at = text.find(segment, at)
            segment = _cut_before_claimed(segment, seg_at, claimed)
            if (
                not segment
                or any(s <= seg_at < e for s, e in claimed + goal_spans)
                or any(seg_at <= m.start < seg_at + len(segment) for m in analysis.money)
            ):
                continue
            segments.setdefault(
                fold(segment),
                AudienceFact(
                    segment=segment,
                    span=span(seg_at, seg_at + len(segment)),
                    text=segment,
                    confidence=0.6 if weak else 0.75,
                ),
            )
    return sorted(segments.values(), key=lambda f: f.span.start)


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
