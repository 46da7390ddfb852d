"""Parsers for the cell values vendors write into their exports.

Every parser takes the raw text of one cell and returns a Python value or
raises :class:`ValueProblem` with a reason a person can act on. Empty cells
are ``None`` for every parser, so callers decide whether a field is required.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from accord.crm.matching import FREE_MAIL_DOMAINS, email_domain  # noqa: F401 (the formats use them)


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TZ_SUFFIX = re.compile(r"(Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DOT_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_US_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}
_ISO_CODE = re.compile(r"\b([A-Z]{3})\b")
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f"})
SALESFORCE_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SALESFORCE_ID = re.compile(r"^[A-Za-z0-9]{15}([A-Za-z0-5]{3})?$")


def blank(raw: str | None) -> bool:
    return raw is None or not raw.strip()


def parse_text(raw: str | None) -> str:
    return "" if raw is None else " ".join(raw.split())


def parse_email(raw: str | None) -> str | None:
    if blank(raw):
        return None
    email = raw.strip().lower()
    if not _EMAIL.match(email):
        raise ValueProblem(f"not an e-mail address: {raw.strip()!r}")
    return email


def parse_domain(raw: str | None) -> str:
    """``https://www.Example.com/about`` → ``example.com``."""
    if blank(raw):
        return ""
    host = re.sub(r"^[a-z]+://", "", raw.strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.")


def parse_bool(raw: str | None) -> bool | None:
    if blank(raw):
        return None
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(f"not a yes/no value: {raw.strip()!r} (use true/false, 1/0 or yes/no)")


def parse_int(raw: str | None) -> int | None:
    if blank(raw):
        return None
    amount, _ = parse_amount(raw)
    if amount is None or amount != amount.to_integral_value():
        raise ValueProblem(f"not a whole number: {raw.strip()!r}")
    return int(amount)


def parse_amount(raw: str | None) -> tuple[Decimal | None, str | None]:
    """Read ``$1,234.50``, ``1.234,50 €``, ``EUR 99`` → (amount, ISO currency or None).

    When both ``.`` and ``,`` appear the later one is the decimal mark; one
    ``,`` followed by exactly three digits is a thousands separator, any other
    single ``,`` a decimal comma; a single ``.`` is always a decimal point.
    """
    if blank(raw):
        return None, None
    text, currency = _strip_currency(raw.strip())
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").replace(" ", "").replace("\u00a0", "").replace("'", "")
    number = _normalise_separators(text)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueProblem(f"not an amount: {raw.strip()!r}") from None
    if not amount.is_finite():
        raise ValueProblem(f"not an amount: {raw.strip()!r}")
    return (-amount if negative else amount), currency


def _strip_currency(text: str) -> tuple[str, str | None]:
    currency = None
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol in text:
            currency, text = code, text.replace(symbol, "")
    match = _ISO_CODE.search(text)
    if match:
        code = match.group(1)
        if currency and currency != code:
            raise ValueProblem(f"two currencies in one amount: {text!r}")
        currency, text = code, text.replace(code, "")
    return text.strip(), currency


def _normalise_separators(text: str) -> str:
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return text.replace(thousands, "").replace(decimal_mark, ".")
    if text.count(",") > 1:
        return text.replace(",", "")
    if text.count(",") == 1:
        head, tail = text.split(",")
        return head + tail if len(tail) == 3 and head.lstrip("-") else f"{head}.{tail}"
    if text.count(".") > 1:
        return text.replace(".", "")
    return text


def parse_datetime(raw: str | None) -> datetime | None:
    """ISO 8601 and the vendors' locale forms; times without a zone are UTC.

    ``3/5/2024`` is month/day/year (Salesforce and HubSpot in the US locale);
    ``05.03.2024`` is day.month.year (the German locale); ``Mar 5, 2024 2:03 PM``
    is Marketo's. Month names are English.
    """
    if blank(raw):
        return None
    text = raw.strip()
    value = _parse_iso(text) or _parse_locale(text) or _parse_month_name(text)
    if value is None:
        raise ValueProblem(f"not a date or time: {text!r}")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_date(raw: str | None) -> date | None:
    value = parse_datetime(raw)
    return None if value is None else value.date()


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        return datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        return None


def _parse_locale(text: str) -> datetime | None:
    zone = None
    match = _TZ_SUFFIX.search(text)
    if match and not text[: match.start()].endswith(("-", "/")):
        zone = _zone(match.group(1))
        text = text[: match.start()].strip()
    day_part, _, time_part = text.partition(" ")
    day = _parse_day(day_part)
    if day is None:
        return None
    hour, minute, second = _parse_time(time_part.strip()) if time_part else (0, 0, 0)
    try:
        return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _parse_month_name(text: str) -> datetime | None:
    """Marketo's UI form: ``Mar 5, 2024 2:03 PM`` or ``Mar 5, 2024``."""
    for pattern in ("%b %d, %Y %I:%M %p", "%b %d, %Y"):
        try:
            return datetime.strptime(text, pattern)  # noqa: DTZ007 - zone added by the caller
        except ValueError:
            continue
    return None


def _parse_day(text: str) -> date | None:
    us, dot = _US_DATE.match(text), _DOT_DATE.match(text)
    try:
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if dot:
            return date(int(dot.group(3)), int(dot.group(2)), int(dot.group(1)))
    except ValueError:
        return None
    return None


def _parse_time(text: str) -> tuple[int, int, int]:
    match = _US_TIME.match(text)
    if not match:
        raise ValueProblem(f"not a time of day: {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower()
    if meridiem and not 1 <= hour <= 12:
        raise ValueProblem(f"not a 12-hour time: {text!r}")
    if meridiem == "pm" and hour != 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return hour, minute, second


def _zone(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def salesforce_id(raw: str | None) -> str | None:
    """Any Salesforce record id → its 18-character, case-safe form.

    A 15-character id is case-sensitive: the suffix encodes, five characters
    at a time, which letters are upper-case. An 18-character id may have been
    case-folded by a spreadsheet, so its case is restored from its suffix.
    """
    if blank(raw):
        return None
    text = raw.strip()
    if not _SALESFORCE_ID.match(text):
        raise ValueProblem(f"not a Salesforce id (15 or 18 letters and digits): {text!r}")
    if len(text) == 15:
        return text + _salesforce_suffix(text)
    return _restore_case(text[:15], text[15:].upper()) + text[15:].upper()


def _salesforce_suffix(id15: str) -> str:
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(id15[start : start + 5]) if ch.isupper())
        suffix += SALESFORCE_SUFFIX_ALPHABET[bits]
    return suffix


def _restore_case(id15: str, suffix: str) -> str:
    chars = []
    for block, flag in enumerate(suffix):
        bits = SALESFORCE_SUFFIX_ALPHABET.index(flag)
        for i, ch in enumerate(id15[block * 5 : block * 5 + 5]):
            upper = bool(bits & (1 << i))
            if upper and not ch.isalpha():
                raise ValueProblem(f"Salesforce id with a wrong check suffix: {id15 + suffix!r}")
            chars.append(ch.upper() if upper else ch.lower())
    return "".join(chars)
