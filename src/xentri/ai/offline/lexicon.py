"""The word lists one language contributes to extraction, interviewing and writing."""

from __future__ import annotations

from dataclasses import dataclass

from xentri.ai.offline.facts import Language
from xentri.ai.offline.text import fold


@dataclass(frozen=True)
class Lexicon:
    language: Language
    # surface form (folded) -> canonical tone word in this language
    tone_words: dict[str, str]
    # words that make a clause about how the brand should sound
    tone_cues: frozenset[str]
    # phrases (regex) that introduce who the customers are
    audience_cues: tuple[str, ...]
    # cues that also introduce what is sold ("we serve"): the segment needs an audience noun
    weak_audience_cues: tuple[str, ...]
    # plural nouns for kinds of customer, folded ("families", "turistas")
    audience_nouns: frozenset[str]
    # folded unit word -> normalised unit key
    units: dict[str, str]
    # folded metric word -> normalised metric key
    metrics: dict[str, str]
    # words of intention that make a clause a goal ("want", "meta")
    goal_cues: tuple[str, ...]
    # verbs of growth that make a clause a goal when a future date comes with them
    growth_verbs: tuple[str, ...]
    # phrases (regex) that introduce what is sold; the list follows
    offering_cues: tuple[str, ...]
    # phrases (regex) that introduce the business's name; the name follows
    business_name_cues: tuple[str, ...]
    # regexes whose group "name" is the speaker's name; group "role" optional
    person_patterns: tuple[str, ...]
    # nouns for kinds of business, lower-case ("bakery", "panadería")
    business_nouns: frozenset[str]
    # regexes for the team size; group "count" is a number or number word
    team_patterns: tuple[str, ...]
    # phrases meaning "just me"
    solo_patterns: tuple[str, ...]
    # regexes for the founding year; group "year"
    founded_patterns: tuple[str, ...]
    # regexes for "N years in business"; group "years"
    years_in_business_patterns: tuple[str, ...]
    # words that may precede a place: "in", "en", "based in"
    place_cues: tuple[str, ...]
    # lower-case words that end a noun phrase (verbs, conjunctions, pronouns)
    phrase_stops: frozenset[str]
    # leading words dropped from a noun phrase (articles, possessives)
    determiners: frozenset[str]
    # words allowed inside a capitalised name ("de", "the")
    name_connectors: frozenset[str]
    # capitalised words that are never names ("I", weekdays)
    not_names: frozenset[str]
    # verbs and pronouns that open a sentence before a name ("Tenemos Tierra Viva")
    sentence_openers: frozenset[str]


def words(text: str) -> frozenset[str]:
    """A set from a space-separated list, with accent-free forms, so lists stay readable."""
    listed = text.split()
    return frozenset(listed) | {fold(word) for word in listed}
