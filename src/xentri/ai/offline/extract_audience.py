"""Who the customers are, and the words the owner uses for how the brand should sound."""

from __future__ import annotations

import re

from xentri.ai.offline.analysis import Analysis, span
from xentri.ai.offline.facts import AudienceFact, ToneFact
from xentri.ai.offline.text import clean_phrase, fold, sentence_bounds

_SEGMENT_SPLIT = re.compile(r",\s*|\s+(?:and|y|e|or|o|plus|as\s+well\s+as)\s+", re.IGNORECASE)
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


def extract_audience(analysis: Analysis, *, expecting: bool = False) -> list[AudienceFact]:
    text, lexicon = analysis.text, analysis.lexicon
    starts: list[int] = []
    for cue in lexicon.audience_cues:
        starts.extend(m.end() for m in re.finditer(rf"(?<!\w){cue}\s+", text, re.IGNORECASE))
    if expecting and not starts:
        starts.append(0)
    segments: dict[str, AudienceFact] = {}
    for start in sorted(set(starts)):
        end_match = _SEGMENT_END.search(text, start)
        end = end_match.start() if end_match else len(text)
        for piece in _SEGMENT_SPLIT.split(text[start:end]):
            at = text.find(piece, start, end)
            segment = _strip_filler(clean_phrase(piece))
            if not segment or at < 0 or len(segment.split()) > 8:
                continue
            if any(at <= m.start < at + len(piece) for m in analysis.money):
                continue
            seg_at = text.find(segment, at)
            segments.setdefault(
                fold(segment),
                AudienceFact(segment=segment, span=span(seg_at, seg_at + len(segment)),
                             text=segment, confidence=0.75),
            )  # fmt: skip
    return sorted(segments.values(), key=lambda f: f.span.start)


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
            canonical = lexicon.tone_words.get(fold(word.group())) or lexicon.tone_words.get(
                word.group().lower()
            )
            if canonical is None or canonical in tones:
                continue
            start = sentence_start + word.start()
            tones[canonical] = ToneFact(
                word=canonical, span=span(start, start + len(word.group())),
                text=word.group(), confidence=0.85 if not expecting else 0.8,
            )  # fmt: skip
    return sorted(tones.values(), key=lambda f: f.span.start)
