"""A small gazetteer: the cities, regions and countries of the markets Xentri serves first."""

from __future__ import annotations

from dataclasses import dataclass

from xentri.ai.offline.lexicon import words
from xentri.ai.offline.text import fold

COUNTRIES: dict[str, str] = {
    "mexico": "MX", "méxico": "MX", "estados unidos": "US", "united states": "US", "usa": "US",
    "us": "US", "the us": "US", "the states": "US", "eeuu": "US", "ee.uu": "US",
    "colombia": "CO", "argentina": "AR", "chile": "CL", "peru": "PE", "perú": "PE",
    "guatemala": "GT", "spain": "ES", "españa": "ES", "espana": "ES", "canada": "CA",
    "canadá": "CA", "uk": "GB", "united kingdom": "GB", "england": "GB", "reino unido": "GB",
    "bolivia": "BO", "uruguay": "UY", "paraguay": "PY", "ecuador": "EC", "venezuela": "VE",
    "costa rica": "CR", "panama": "PA", "panamá": "PA", "honduras": "HN", "nicaragua": "NI",
    "el salvador": "SV", "republica dominicana": "DO", "república dominicana": "DO",
    "dominican republic": "DO", "puerto rico": "PR", "brazil": "BR", "brasil": "BR",
}  # fmt: skip

_US_STATES = words(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
    "massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio "
    "oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin "
    "wyoming tx ca ny fl"
)
_MX_STATES = words(
    "oaxaca jalisco yucatán yucatan chiapas puebla veracruz sonora chihuahua coahuila "
    "michoacán michoacan guanajuato querétaro queretaro hidalgo morelos guerrero tabasco "
    "campeche sinaloa durango zacatecas nayarit colima tlaxcala cdmx"
)
_CO_DEPARTMENTS = words("antioquia cundinamarca santander boyacá boyaca")
_ES_REGIONS = words("andalucía andalucia cataluña catalunya galicia")

# region -> country
REGIONS: dict[str, str] = {
    **dict.fromkeys(_US_STATES, "US"),
    "new york": "US", "new jersey": "US", "new mexico": "US", "north carolina": "US",
    "south carolina": "US",
    **dict.fromkeys(_MX_STATES, "MX"),
    "nuevo león": "MX", "nuevo leon": "MX", "quintana roo": "MX", "baja california": "MX",
    "estado de méxico": "MX", "san luis potosí": "MX",
    **dict.fromkeys(_CO_DEPARTMENTS, "CO"),
    "valle del cauca": "CO",
    **dict.fromkeys(_ES_REGIONS, "ES"),
    "comunidad de madrid": "ES", "país vasco": "ES",
    "ontario": "CA", "quebec": "CA", "british columbia": "CA", "buenos aires province": "AR",
}  # fmt: skip

# city -> (region or None, country)
CITIES: dict[str, tuple[str | None, str]] = {
    "oaxaca": ("Oaxaca", "MX"), "ciudad de méxico": (None, "MX"), "cdmx": (None, "MX"),
    "mexico city": (None, "MX"), "guadalajara": ("Jalisco", "MX"),
    "monterrey": ("Nuevo León", "MX"), "puebla": ("Puebla", "MX"), "mérida": ("Yucatán", "MX"),
    "merida": ("Yucatán", "MX"), "tijuana": ("Baja California", "MX"),
    "cancún": ("Quintana Roo", "MX"), "cancun": ("Quintana Roo", "MX"),
    "querétaro": ("Querétaro", "MX"), "queretaro": ("Querétaro", "MX"),
    "san miguel de allende": ("Guanajuato", "MX"), "playa del carmen": ("Quintana Roo", "MX"),
    "tulum": ("Quintana Roo", "MX"), "león": ("Guanajuato", "MX"), "morelia": ("Michoacán", "MX"),
    "san cristóbal de las casas": ("Chiapas", "MX"), "veracruz": ("Veracruz", "MX"),
    "bogotá": (None, "CO"), "bogota": (None, "CO"), "medellín": ("Antioquia", "CO"),
    "medellin": ("Antioquia", "CO"), "cali": ("Valle del Cauca", "CO"),
    "cartagena": ("Bolívar", "CO"), "barranquilla": ("Atlántico", "CO"),
    "buenos aires": (None, "AR"), "córdoba": (None, "AR"), "rosario": ("Santa Fe", "AR"),
    "mendoza": ("Mendoza", "AR"), "santiago": (None, "CL"), "valparaíso": (None, "CL"),
    "lima": (None, "PE"), "cusco": (None, "PE"), "arequipa": (None, "PE"),
    "ciudad de guatemala": (None, "GT"), "guatemala city": (None, "GT"),
    "antigua": (None, "GT"), "quito": (None, "EC"), "guayaquil": (None, "EC"),
    "montevideo": (None, "UY"), "la paz": (None, "BO"), "san josé": (None, "CR"),
    "panama city": (None, "PA"), "santo domingo": (None, "DO"), "san juan": (None, "PR"),
    "madrid": ("Comunidad de Madrid", "ES"), "barcelona": ("Cataluña", "ES"),
    "valencia": (None, "ES"), "sevilla": ("Andalucía", "ES"), "seville": ("Andalucía", "ES"),
    "málaga": ("Andalucía", "ES"), "malaga": ("Andalucía", "ES"), "bilbao": ("País Vasco", "ES"),
    "granada": ("Andalucía", "ES"), "zaragoza": (None, "ES"),
    "austin": ("Texas", "US"), "houston": ("Texas", "US"), "dallas": ("Texas", "US"),
    "san antonio": ("Texas", "US"), "el paso": ("Texas", "US"), "fort worth": ("Texas", "US"),
    "miami": ("Florida", "US"), "orlando": ("Florida", "US"), "tampa": ("Florida", "US"),
    "los angeles": ("California", "US"), "san diego": ("California", "US"),
    "san francisco": ("California", "US"), "oakland": ("California", "US"),
    "sacramento": ("California", "US"), "phoenix": ("Arizona", "US"),
    "tucson": ("Arizona", "US"), "denver": ("Colorado", "US"), "chicago": ("Illinois", "US"),
    "new york city": ("New York", "US"), "brooklyn": ("New York", "US"),
    "seattle": ("Washington", "US"), "portland": ("Oregon", "US"),
    "boston": ("Massachusetts", "US"), "atlanta": ("Georgia", "US"),
    "nashville": ("Tennessee", "US"), "albuquerque": ("New Mexico", "US"),
    "las vegas": ("Nevada", "US"), "toronto": ("Ontario", "CA"),
    "vancouver": ("British Columbia", "CA"), "montreal": ("Quebec", "CA"),
    "london": (None, "GB"), "manchester": (None, "GB"),
}  # fmt: skip

_DISPLAY_REGION = {"tx": "Texas", "ca": "California", "ny": "New York", "fl": "Florida"}


@dataclass(frozen=True, slots=True)
class Place:
    city: str | None
    region: str | None
    country: str | None


def lookup(phrase: str) -> Place | None:
    """The place a phrase names, if the gazetteer knows it: city, then region, then country."""
    key = phrase.strip().lower()
    folded_key = fold(key)
    if key in CITIES or folded_key in CITIES:
        region, country = CITIES.get(key) or CITIES[folded_key]
        return Place(city=_title(phrase), region=region, country=country)
    if key in REGIONS or folded_key in REGIONS:
        country = REGIONS.get(key) or REGIONS[folded_key]
        return Place(city=None, region=_DISPLAY_REGION.get(key, _title(phrase)), country=country)
    if key in COUNTRIES or folded_key in COUNTRIES:
        return Place(city=None, region=None, country=COUNTRIES.get(key) or COUNTRIES[folded_key])
    return None


def _title(phrase: str) -> str:
    words = phrase.strip().split()
    small = {"de", "del", "la", "las", "los", "el"}
    return " ".join(
        w if w.lower() in small and i else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
