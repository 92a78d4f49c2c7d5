"""Locale formatting, the org's region (time zone, date format, currency) in the template
filters, and the shell's guard on where a form may send someone next."""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.kernel.i18n import Catalogs
from xentri.shell.assets import Assets
from xentri.shell.formatting import (
    DATE_FORMATS,
    DEFAULT_REGION,
    Region,
    date_in,
    datetime_in,
    money_in,
    number_in,
    today_in,
)
from xentri.shell.region import time_zones
from xentri.shell.templating import Renderer, page_region, safe_next

_STRFTIME = {"dd/MM/yyyy": "%d/%m/%Y", "MM/dd/yyyy": "%m/%d/%Y", "yyyy-MM-dd": "%Y-%m-%d"}
moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(time_zones())
days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def test_money_is_written_the_way_the_country_whose_money_it_is_writes_it():
    assert money_in(1999, "USD", "en") == "$19.99"
    # Spanish and pesos: as Mexico writes them (es_MX), the way the invoice's PDF does too.
    assert money_in(60_440, "MXN", "es") == "$604.40"
    assert money_in(150_000, "MXN", "es") == "$1,500.00"
    # Spanish and euros: as Spain writes them.
    assert money_in(60_440, "EUR", "es") == "604,40\xa0€"
    # Several Spanish-speaking countries use dollars, none of them Spanish's home: plain es.
    assert money_in(1999, "USD", "es") == "19,99\xa0US$"
    assert money_in(5000, "CLP", "en") == "CLP5,000"  # no minor unit in pesos chilenos
    assert money_in(150_000, "CLP", "es") == "$150.000"  # es_CL
    # ISO 4217's decimals, not CLDR's: Iraqi dinars have three, as Finance stores them.
    assert money_in(1_234, "IQD", "en").endswith("1.234")
    # A code outside ISO's list is still written (CLDR's decimals), never an error.
    assert money_in(1999, "XYZ", "en") == "XYZ19.99"


def test_numbers_and_dates_follow_the_language():
    assert number_in(1234567.5, "en") == "1,234,567.5"
    assert number_in(1234567.5, "es") == "1.234.567,5"
    moment = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    assert datetime_in(moment, "en") == "Mar 1, 2026, 2:05:00\u202fPM"
    assert datetime_in(moment, "es") == "1 mar 2026, 14:05:00"


def test_numbers_are_written_as_the_orgs_country_writes_its_money():
    # A Mexican org reads 1,234,567.5 beside $604.40; a Spanish one 1.234.567,5 beside 604,40 €.
    assert number_in(1234567.5, "es", "MXN") == "1,234,567.5"
    assert money_in(60440, "MXN", "es") == "$604.40"
    assert number_in(1234567.5, "es", "EUR") == "1.234.567,5"
    assert number_in(1234567.5, "en", "USD") == "1,234,567.5"


def test_the_finance_copilot_quotes_money_as_the_pages_write_it():
    from xentri.categories.finance.copilot import money_text

    for currency, language in (("MXN", "es"), ("USD", "es"), ("EUR", "es"), ("USD", "en")):
        assert money_text(194000, currency, language) == money_in(194000, currency, language)


def test_nothing_to_show_is_an_empty_string_never_an_error():
    assert datetime_in(None, "es") == ""
    assert date_in(None, "en") == ""
    assert number_in(None, "en") == ""
    assert money_in(None, "USD", "es") == ""


def test_a_moment_is_shown_on_the_orgs_clock_and_in_its_date_format():
    bogota = Region(time_zone="America/Bogota", date_format="yyyy-MM-dd")
    # 03:05 UTC on 1 March is still the evening of 28 February in Bogotá (UTC-5).
    moment = datetime(2026, 3, 1, 3, 5, tzinfo=UTC)
    assert datetime_in(moment, "es", region=bogota) == "2026-02-28, 22:05:00"
    assert datetime_in(moment, "en", "short", region=bogota) == "2026-02-28, 10:05\u202fPM"
    assert date_in(moment, "es", region=bogota) == "2026-02-28"
    madrid = Region(time_zone="Europe/Madrid", date_format="dd/MM/yyyy")
    assert datetime_in(moment, "es", region=madrid) == "01/03/2026, 4:05:00"


def test_the_language_format_keeps_the_languages_own_way_and_long_forms_are_written_out():
    mexico = Region(time_zone="America/Mexico_City")  # date format "medium": the language's
    moment = datetime(2026, 7, 4, 18, 0, tzinfo=UTC)
    assert datetime_in(moment, "es", region=mexico) == "4 jul 2026, 12:00:00"
    assert date_in(date(2026, 7, 4), "en", region=mexico) == "Jul 4, 2026"
    iso = Region(date_format="yyyy-MM-dd")
    assert date_in(date(2026, 7, 4), "es", "long", region=iso) == "4 de julio de 2026"
    assert date_in(date(2026, 7, 4), "en", "full", region=iso) == "Saturday, July 4, 2026"


def test_an_unknown_time_zone_or_format_falls_back_instead_of_failing():
    broken = Region(time_zone="Mars/Olympus_Mons", date_format="%d")
    moment = datetime(2026, 3, 1, 3, 5, tzinfo=UTC)
    assert datetime_in(moment, "en", region=broken) == datetime_in(moment, "en")
    assert date_in(date(2026, 3, 1), "es", region=broken) == "1 mar 2026"


def test_a_naive_moment_is_taken_as_utc():
    lima = Region(time_zone="America/Lima", date_format="yyyy-MM-dd")
    naive = datetime(2026, 1, 1, 2, 0)
    assert datetime_in(naive, "es", region=lima) == datetime_in(
        naive.replace(tzinfo=UTC), "es", region=lima
    )
    assert date_in(naive, "es", region=lima) == "2025-12-31"


def test_today_is_the_orgs_calendar_day_not_the_servers():
    now = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    assert today_in(Region(time_zone="America/Lima"), now=now) == date(2025, 12, 31)
    assert today_in(Region(time_zone="Asia/Tokyo"), now=now) == date(2026, 1, 1)
    assert today_in(DEFAULT_REGION, now=now) == date(2026, 1, 1)


@given(moment=moments, zone=zones, lang=st.sampled_from(["en", "es"]))
def test_the_day_shown_is_the_day_on_the_orgs_wall_clock(moment, zone, lang):
    region = Region(time_zone=zone, date_format="yyyy-MM-dd")
    local_day = moment.astimezone(ZoneInfo(zone) if zone != "UTC" else UTC).date()
    assert datetime_in(moment, lang, region=region).startswith(local_day.isoformat() + ", ")
    assert date_in(moment, lang, region=region) == local_day.isoformat()
    assert today_in(region, now=moment) == local_day


@given(day=days, date_format=st.sampled_from(DATE_FORMATS[1:]), lang=st.sampled_from(["en", "es"]))
def test_a_day_in_a_numeric_format_reads_back_as_the_same_day(day, date_format, lang):
    shown = date_in(day, lang, region=Region(date_format=date_format))
    assert datetime.strptime(shown, _STRFTIME[date_format]).date() == day


@given(moment=moments, zone=zones)
def test_a_moment_and_the_same_moment_elsewhere_show_the_same(moment, zone):
    region = Region(time_zone=zone, date_format="dd/MM/yyyy")
    elsewhere = moment.astimezone(ZoneInfo("Asia/Kolkata"))
    assert datetime_in(moment, "es", region=region) == datetime_in(elsewhere, "es", region=region)


def _renderer() -> Renderer:
    catalogs = Catalogs(by_language={"en": gettext.NullTranslations()})
    return Renderer(catalogs, Assets())


def test_the_filters_read_the_pages_region_from_one_environment_per_language():
    env = _renderer().envs["es"]
    template = env.from_string(
        "{{ at | datetime }}|{{ at | datetime('short') }}|{{ day | date }}|{{ none | date }}"
        "|{{ none | datetime }}|{{ 1999 | money }}|{{ 1999 | money('USD') }}|{{ none | money }}"
    )
    at = datetime(2026, 3, 1, 3, 5, tzinfo=UTC)
    bogota = Region(time_zone="America/Bogota", date_format="yyyy-MM-dd", currency="COP")
    shown = template.render(at=at, day=date(2026, 3, 1), none=None, region=bogota)
    assert shown == "2026-02-28, 22:05:00|2026-02-28, 22:05|2026-03-01|||$19,99|19,99\xa0US$|"
    # A Mexican org's page writes pesos as Mexico does, a Spanish one's euros as Spain does.
    money = env.from_string("{{ 60440 | money }}|{{ 60440 | money('USD') }}")
    assert money.render(region=Region(currency="MXN")) == "$604.40|604,40\xa0US$"
    assert money.render(region=Region(currency="EUR")) == "604,40\xa0€|604,40\xa0US$"
    assert _renderer().envs["en"].from_string("{{ 60440 | money }}").render() == "$604.40"
    # The same environment, another page's org: nothing of the first one sticks.
    assert template.render(at=at, day=date(2026, 3, 1), none=None) == (
        "1 mar 2026, 3:05:00|1/3/26, 3:05|1 mar 2026|||19,99\xa0US$|19,99\xa0US$|"
    )


def test_a_page_gets_the_views_region_else_its_frames_else_the_default():
    class WithRegion:
        region = Region(time_zone="Asia/Tokyo")

    chosen = Region(time_zone="Europe/Madrid")
    assert page_region({"region": chosen, "frame": WithRegion()}) == chosen
    assert page_region({"frame": WithRegion()}) == WithRegion.region
    assert page_region({"frame": None}) == DEFAULT_REGION
    assert page_region({}) == DEFAULT_REGION


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/c/finance?x=1", "/c/finance?x=1"),
        ("/", "/"),
        (None, "/dashboard"),
        ("", "/dashboard"),
        ("//evil.test/", "/dashboard"),
        ("/\\evil.test", "/dashboard"),
        ("https://evil.test/", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        ("/ok\r\nSet-Cookie: x=y", "/dashboard"),
    ],
)
def test_next_is_only_ever_a_path_on_this_site(value, expected):
    assert safe_next(value) == expected
