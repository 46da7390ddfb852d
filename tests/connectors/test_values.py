from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.connectors import values as v

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-05T14:03:00.000+0000", datetime(2024, 3, 5, 14, 3, tzinfo=UTC)),
        ("2024-03-05T14:03:00.000Z", datetime(2024, 3, 5, 14, 3, tzinfo=UTC)),
        ("2024-03-05 14:03", datetime(2024, 3, 5, 14, 3, tzinfo=UTC)),
        ("3/5/2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("3/5/2024 2:03 PM", datetime(2024, 3, 5, 14, 3, tzinfo=UTC)),
        ("12/31/2024 12:15 AM", datetime(2024, 12, 31, 0, 15, tzinfo=UTC)),
        ("05.03.2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("05.03.2024 14:03", datetime(2024, 3, 5, 14, 3, tzinfo=UTC)),
        (" 2024-03-05T14:03:00+01:00 ", datetime(2024, 3, 5, 13, 3, tzinfo=UTC)),
    ],
)
def test_dates_in_iso_and_vendor_locales_read_as_aware_utc(raw: str, expected: datetime) -> None:
    parsed = v.parse_datetime(raw)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_a_zone_on_a_locale_date_is_kept() -> None:
    parsed = v.parse_datetime("3/5/2024 2:03 PM -0500")
    assert parsed.utcoffset() == -timedelta(hours=5)
    assert parsed == datetime(2024, 3, 5, 14, 3, tzinfo=timezone(-timedelta(hours=5)))


@pytest.mark.parametrize(
    "raw", ["2024-13-01", "31/31/2024", "yesterday", "5.3.24", "3/5/2024 25:00"]
)
def test_impossible_dates_are_problems(raw: str) -> None:
    with pytest.raises(v.ValueProblem):
        v.parse_datetime(raw)


def test_parse_date_keeps_the_day() -> None:
    assert v.parse_date("3/5/2024 11:59 PM") == date(2024, 3, 5)
    assert v.parse_date("") is None


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("$1,234.50", "1234.50", "USD"),
        ("1.234,50 €", "1234.50", "EUR"),
        ("12.000,00 €", "12000.00", "EUR"),
        ("EUR 99", "99", "EUR"),
        ("1,234,567.89", "1234567.89", None),
        ("1234.5", "1234.5", None),
        ("12,5", "12.5", None),
        ("1,234", "1234", None),
        ("(300.00)", "-300.00", None),
        ("£ 1 200,00", "1200.00", "GBP"),
    ],
)
def test_amounts_with_symbols_and_separators(raw: str, amount: str, currency: str | None) -> None:
    assert v.parse_amount(raw) == (Decimal(amount), currency)


@pytest.mark.parametrize("raw", ["12abc", "$", "1.2.3,4,5", "NaN", "USD 5 EUR"])
def test_bad_amounts_are_problems(raw: str) -> None:
    with pytest.raises(v.ValueProblem):
        v.parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("FALSE", False), ("1", True), ("0", False), ("Yes", True), ("no", False),
     ("", None)],
)  # fmt: skip
def test_booleans(raw: str, expected: bool | None) -> None:
    assert v.parse_bool(raw) is expected


def test_unknown_boolean_is_a_problem() -> None:
    with pytest.raises(v.ValueProblem, match="yes/no"):
        v.parse_bool("maybe")


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert v.parse_email("  Ada.Lovelace@Northwind.EXAMPLE ") == "ada.lovelace@northwind.example"
    with pytest.raises(v.ValueProblem):
        v.parse_email("ada at northwind")


def test_free_mail_domains_do_not_name_a_company() -> None:
    assert v.email_domain("alan@gmail.com") is None
    assert v.email_domain("ada@northwind.example") == "northwind.example"


def test_website_becomes_a_bare_domain() -> None:
    assert v.parse_domain("https://www.Northwind.example/about") == "northwind.example"


# A documented pair: 00570000001ZwTi is 00570000001ZwTiAAK in its 18-character form.
def test_salesforce_15_char_id_gets_its_check_suffix() -> None:
    assert v.salesforce_id("00570000001ZwTi") == "00570000001ZwTiAAK"


def test_salesforce_18_char_id_is_kept() -> None:
    assert v.salesforce_id("00570000001ZwTiAAK") == "00570000001ZwTiAAK"


def test_case_folded_18_char_id_is_restored_from_its_suffix() -> None:
    assert v.salesforce_id("00570000001zwtiaak") == "00570000001ZwTiAAK"
    assert v.salesforce_id("00570000001ZWTIAAK") == "00570000001ZwTiAAK"


def test_15_char_ids_differing_only_in_case_are_different_records() -> None:
    assert v.salesforce_id("0015g00000AbCdE") != v.salesforce_id("0015g00000abcde")


@pytest.mark.parametrize("raw", ["0015g00000AbCd", "0015g00000AbCdE-AV", "0015g00000AbCdEAA9"])
def test_malformed_salesforce_ids_are_problems(raw: str) -> None:
    with pytest.raises(v.ValueProblem):
        v.salesforce_id(raw)


def test_a_suffix_marking_a_digit_upper_case_is_a_problem() -> None:
    # Suffix "B" says the first character of its block is upper-case; "0" cannot be.
    with pytest.raises(v.ValueProblem, match="check suffix"):
        v.salesforce_id("0015g00000AbCdEBAV")


ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@given(st.text(alphabet=ID_CHARS, min_size=15, max_size=15))
def test_any_15_char_id_survives_its_18_char_form_being_case_folded(id15: str) -> None:
    id18 = v.salesforce_id(id15)
    assert id18[:15] == id15
    assert v.salesforce_id(id18) == id18
    assert v.salesforce_id(id18.upper()) == id18
    assert v.salesforce_id(id18.lower()) == id18


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_us_and_german_amount_forms_read_back_the_same(amount: Decimal) -> None:
    us = f"${amount:,.2f}".replace("$-", "-$")
    german = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + " €"
    assert v.parse_amount(us) == (amount, "USD")
    assert v.parse_amount(german) == (amount, "EUR")
