"""English word lists."""

from __future__ import annotations

from xentri.ai.offline.lexicon import Lexicon, words

_TONE = (
    "friendly professional warm playful fun casual formal elegant approachable modern bold "
    "calm honest authentic relaxed trustworthy reliable cheerful quirky witty luxurious "
    "sophisticated minimalist minimal serious caring welcoming energetic inspiring "
    "down-to-earth straightforward direct confident humble cozy cosy youthful classic "
    "rustic premium simple clear empathetic respectful positive optimistic genuine "
    "knowledgeable expert helpful personal irreverent edgy creative sincere traditional "
    "local familiar upbeat laid-back technical transparent kind gentle calming"
)
_UNITS = {
    "hour": "hour", "hr": "hour", "hours": "hour", "hourly": "hour", "h": "hour", "day": "day",
    "daily": "day", "night": "night", "week": "week", "weekly": "week", "month": "month",
    "mo": "month", "monthly": "month", "year": "year", "yearly": "year", "annually": "year",
    "session": "session", "class": "class", "lesson": "class", "person": "person",
    "head": "person", "guest": "person", "item": "item", "piece": "item", "unit": "item",
    "each": "item", "cup": "cup", "kilo": "kg", "kg": "kg", "pound": "lb", "lb": "lb",
    "dozen": "dozen", "visit": "visit", "project": "project", "page": "page", "job": "job",
    "call": "visit", "word": "word", "box": "item", "bag": "item", "order": "order",
    "pack": "item", "loaf": "item", "cake": "item", "cut": "item", "haircut": "item",
    "consultation": "session", "meal": "item", "plate": "item", "ticket": "item",
}  # fmt: skip
_METRICS = {
    "revenue": "revenue", "sales": "revenue", "income": "revenue", "turnover": "revenue",
    "profit": "profit", "profits": "profit", "customers": "customers", "customer": "customers",
    "office": "locations", "offices": "locations", "clients": "customers",
    "client": "customers", "members": "members", "subscribers": "subscribers",
    "students": "students", "followers": "followers", "employees": "employees",
    "staff": "employees", "people": "employees", "hires": "employees",
    "locations": "locations", "location": "locations", "store": "locations",
    "stores": "locations", "shop": "locations", "branch": "locations", "branches": "locations",
    "franchise": "locations", "orders": "orders", "bookings": "bookings",
    "appointments": "bookings", "projects": "projects", "reviews": "reviews", "leads": "leads",
    "units": "units", "patients": "customers", "guests": "customers",
}  # fmt: skip
_GOAL_CUES = (
    "want", "wants", "goal", "goals", "aim", "aiming", "plan", "plans", "planning", "hope",
    "hoping", "target", "would like", "we'd like", "i'd like", "we'd love", "i'd love",
    "would love", "dream", "objective",
    "intend", "going to", "need to", "looking to",
)  # fmt: skip
_GROWTH_VERBS = (
    "double", "triple", "reach", "grow", "open", "hit", "increase", "expand", "launch", "hire",
    "get to", "sell", "book", "make", "sign",
)  # fmt: skip
_AUDIENCE_NOUNS = words(
    "people women men moms mothers dads fathers parents families kids children students "
    "tourists travelers travellers professionals workers businesses companies startups "
    "restaurants shops stores homeowners hosts retirees seniors couples teens teenagers "
    "adults beginners owners entrepreneurs freelancers contractors clinics hotels offices "
    "cafés cafes firms agencies brands schools gyms athletes runners locals neighbors "
    "neighbours residents visitors guests crews kids brides grooms patients landlords "
    "developers designers artists musicians chefs bakeries bars nonprofits millennials "
    "retailers buyers collectors gamers players riders drivers hospitals managers tenants "
    "homeowners investors universities churches fleets"
)
LEXICON = Lexicon(
    language="en",
    tone_words={word: word for word in _TONE.split()} | {"cozy": "cozy", "cosy": "cozy"},
    tone_cues=words(
        "sound sounds tone voice feel feels come across vibe personality describe adjectives "
        "perceived seen talk write"
    ),
    audience_cues=(
        r"(?:our|my)\s+(?:main\s+|typical\s+|ideal\s+|target\s+)?(?:customers?|clients?|clientele|"
        r"audience|market|buyers|students|patients|guests)\s+(?:are|is|tend\s+to\s+be|include)"
        r"(?:\s+mostly|\s+mainly|\s+usually|\s+often)?",
        r"(?:aimed|geared)\s+(?:at|towards?)",
        r"(?:ideal|typical)\s+(?:customer|client)\s+is",
        r"(?:popular|big)\s+with",
        r"(?:customers|clients|regulars|guests)\s+(?:are\s+)?(?:mostly|mainly)",
        r"(?:customers|clients|regulars|crowd|customer\s+base)\s+(?:are|is)"
        r"(?:\s+mostly|\s+mainly|\s+usually|\s+often)?",
    ),
    weak_audience_cues=(
        r"(?:we|i)\s+(?:mainly\s+|mostly\s+|primarily\s+|also\s+)?serve",
        r"serves",
        r"(?:for|to)",
        # verbs that also take things ("helps out"): the segment must name a kind of customer
        r"(?:we|i)\s+(?:mainly\s+|mostly\s+|primarily\s+|also\s+)?(?:target|cater\s+to|"
        r"work\s+with|sell\s+to|help)",
        r"(?:targets|caters\s+to|works\s+with|sells\s+to|helps)",
    ),
    audience_nouns=_AUDIENCE_NOUNS,
    units=_UNITS,
    metrics=_METRICS,
    goal_cues=_GOAL_CUES,
    growth_verbs=_GROWTH_VERBS,
    offering_cues=(
        r"(?:we|i)\s+(?:also\s+|mainly\s+|mostly\s+|primarily\s+)?(?:sell|offer|make|bake|"
        r"roast|brew|do|provide|teach|build|design|fix|repair|install|specialize\s+in|"
        r"specialise\s+in|serve|run|organize|develop|organise|host|rent|grow|cook|sew|clean|deliver|"
        r"import|distribute|walk|cater|plan|photograph|film|coach|train|tutor|manage|produce)",
        r"(?:our|my)\s+(?:main\s+)?(?:products?|services?|offerings?|menu)\s+(?:are|is|include"
        r"|includes)",
        r"(?:we're|we\s+are)\s+known\s+for",
        r"(?:sells|offers|makes|bakes|builds|provides|designs|brews|roasts|grows|runs|hosts|"
        r"organizes|rents|delivers|imports|produces|develops)",
    ),
    business_name_cues=(
        r"(?:(?:my|our|the)\s+(?:\w+\s+){0,2}?(?:business|company|shop|store|brand|studio|"
        r"agency|caf[eé]|bakery|restaurant|salon|firm|practice|clinic|startup|place|bar|"
        r"school|gym|boutique)\s+is\s+(?:called|named))",
        r"(?:it'?s|it\s+is|we'?re|we\s+are)\s+(?:called|named)",
        r"(?:called|named)",
        r"(?:i|we)\s+(?:own|run|founded|started|opened|manage)",
        r"(?:owner|founder|co-founder)\s+of",
        r"welcome\s+to",
        r"(?:our|my|the)\s+(?:menu|counter|team|shop|kitchen|store)\s+at",
        r"under\s+the\s+(?:name|brand)",
        r"(?:my|our|the)\s+brand\s+is",
        r"(?:we're|we\s+are)",
        r"^(?:at|here\s+at)",
    ),
    person_patterns=(
        r"\bmy\s+name\s+is\s+(?P<name>{NAME})",
        r"\bi'?m\s+(?P<name>{NAME})\b",
        r"\bi\s+am\s+(?P<name>{NAME})\b",
        r"\bthis\s+is\s+(?P<name>{NAME})\b",
        r"\bme\s*,\s+(?P<name>{NAME})\s*,",
        r"\b(?:dr|doctor|chef|coach)\.?\s+(?P<name>{NAME})",
        r"\b(?:name'?s)\s+(?P<name>{NAME})",
        r"\bmy\s+(?P<role>partner|business\s+partner|co-?founder|wife|husband|brother|sister|"
        r"son|daughter|mother|mom|father|dad|cousin|friend|manager|assistant)\s*,?\s+"
        r"(?P<name>{NAME})",
        r"\b(?P<name>{NAME})\s*,\s*my\s+(?P<role>partner|wife|husband|brother|sister|"
        r"co-?founder|son|daughter)",
        r"\b(?P<name>{NAME})\s+and\s+I\b",
        r"\bwith\s+(?P<name>{NAME})\s*,\s+(?:who|my)",
    ),
    business_nouns=words(
        "business company shop store brand studio agency café cafe bakery restaurant salon "
        "firm practice clinic startup bar school gym boutique plumbing coffee kitchen design "
        "consulting services co llc inc ltd roasters barbershop spa yoga catering bistro deli "
        "workshop photography cleaning landscaping tacos taqueria"
    ),
    team_patterns=(
        r"\bteam\s+of\s+(?P<count>\w+)",
        r"\b(?P<count>\w+)-(?:person|people|woman|man)\b",
        r"\bfamily\s+of\s+(?P<count>\w+)",
        r"\b(?P<count>\w+)\s+(?:full-time\s+|part-time\s+)?(?:employees|people|staff|workers|"
        r"stylists|baristas|bakers|technicians|plumbers|designers|teachers|instructors|"
        r"cooks|helpers|team\s+members|of\s+us|therapists|mechanics|drivers|nurses|chefs|"
        r"cleaners|developers|waiters|servers|trainers|coaches|consultants|assistants|"
        r"electricians|carpenters|painters|barbers|mechanics|cooks|drivers|guides)\b",
        r"\bwe\s+are\s+(?P<count>\w+)\s+(?:people|of\s+us)",
        r"\bthere\s+are\s+(?P<count>\w+)\s+of\s+us",
        r"\bemploy\s+(?P<count>\w+)",
    ),
    solo_patterns=(
        r"\bjust\s+me\b",
        r"\bonly\s+me\b",
        r"\bi\s+work\s+alone\b",
        r"\bone-person\b",
        r"\bsolo\s+(?:business|operation|entrepreneur)\b",
        r"\bby\s+myself\b",
    ),
    founded_patterns=(
        r"\b(?:founded|started|opened|established|launched|began|opened\s+our\s+doors)\s+"
        r"(?:\w+\s+){0,3}?in\s+(?:\w+\s+)?(?P<year>(?:19|20)\d\d)\b",
        r"\bsince\s+(?P<year>(?:19|20)\d\d)\b",
        r"\bestablished\s+(?P<year>(?:19|20)\d\d)\b",
        r"\bback\s+in\s+(?P<year>(?:19|20)\d\d)\b",
    ),
    years_in_business_patterns=(
        r"\b(?:for|over)\s+(?:the\s+(?:last|past)\s+)?(?P<years>\w+)\s+years\b",
        r"\b(?P<years>\w+)\s+years\s+(?:ago|in\s+business)\b",
    ),
    place_cues=(
        "based in",
        "located in",
        "in",
        "from",
        "out of",
        "serving",
        "near",
        "around",
    ),
    phrase_stops=words(
        "and or but we i you they our my is are was were will be have has had that which who "
        "also because so then with at for to from in on by as it its this these those plus "
        "like such than very really sell sells selling make makes offer offers do does go goes "
        "run runs start starts cost costs get gets help helps serve serves usually about only"
    ),
    determiners=words("the a an our my some all of each every"),
    name_connectors=frozenset({"de", "del", "la", "los", "las", "the", "of", "&", "and", "y"}),
    not_names=words(
        "i i'm we our my the a monday tuesday wednesday thursday friday saturday sunday "
        "instagram facebook whatsapp tiktok google english spanish hi hello thanks yes no "
        "also and but so our we're it's"
    ),
    sentence_openers=words(
        "we i our my run own have manage started opened founded at here in this it's "
        "hi hello so well"
    ),
)
