"""Thai dates and numbers as Thai news writes them, resolved to ISO values.

Pure functions, no I/O. Buddhist-era years (2568 → 2025), two-digit BE years
("ต.ค.68" → 2025), full and abbreviated months, Thai digits, ranges ("1–3 ก.ค."), and
expressions relative to the article's publication date ("วันนี้", "เมื่อวานนี้",
"เดือนที่แล้ว", "ต้นปี"). Numbers with Thai multipliers ("กว่า 7 พันคน" → 7000,
"1.2 หมื่นล้านบาท" → 12,000,000,000).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MONTHS: dict[str, int] = {}
for number, (full, short) in enumerate(
    [
        ("มกราคม", "ม.ค."),
        ("กุมภาพันธ์", "ก.พ."),
        ("มีนาคม", "มี.ค."),
        ("เมษายน", "เม.ย."),
        ("พฤษภาคม", "พ.ค."),
        ("มิถุนายน", "มิ.ย."),
        ("กรกฎาคม", "ก.ค."),
        ("สิงหาคม", "ส.ค."),
        ("กันยายน", "ก.ย."),
        ("ตุลาคม", "ต.ค."),
        ("พฤศจิกายน", "พ.ย."),
        ("ธันวาคม", "ธ.ค."),
    ],
    start=1,
):
    MONTHS[full] = number
    MONTHS[short] = number
    MONTHS[short.replace(".", "")] = number  # "ตค" as some headlines write it

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ERA = r"(?:พ\.ศ\.|พ\.ศ|ค\.ศ\.|ค\.ศ)?\s*"
# A year after the month; not a clock time ("16 ต.ค. 10.30 น.") nor part of a longer number.
_YEAR = rf"(?:{_ERA}(?P<year>\d{{4}}|\d{{2}})(?!\d|\.\d|\s*น\.))"
_DAY = r"(?P<day>\d{1,2})"
_DASH = r"\s*[-–—]\s*|\s*ถึง(?:วันที่)?\s*"
DAY_MONTH_YEAR = re.compile(rf"{_DAY}\s*(?P<month>{_MONTH})\s*{_YEAR}?")
DAY_RANGE = re.compile(
    rf"(?P<first>\d{{1,2}})(?:\s*(?P<first_month>{_MONTH}))?(?:{_DASH})(?P<day>\d{{1,2}})\s*(?P<month>{_MONTH})\s*{_YEAR}?"
)
MONTH_YEAR = re.compile(rf"(?:เดือน)?(?P<month>{_MONTH})\s*{_YEAR}?")
YEAR_ONLY = re.compile(r"(?:ปี|พ\.ศ\.|ค\.ศ\.)\s*(?P<year>\d{4})")
NUMERIC = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})")
PART_OF_YEAR = re.compile(rf"(?P<part>ต้น|กลาง|ปลาย|สิ้น)ปี(?:\s*{_YEAR})?")


@dataclass(frozen=True)
class DateValue:
    """A resolved date: ISO ``value`` at a granularity, and ``start``/``end`` for ranges."""

    value: str
    granularity: str  # "day", "month" or "year"
    start: str | None = None
    end: str | None = None
    part: str | None = None  # ต้น / กลาง / ปลาย of a year, when said


def to_arabic(text: str) -> str:
    """Thai digits → ASCII digits."""
    return text.translate(THAI_DIGITS)


def resolve_year(written: str, published: dt.date | None = None) -> int:
    """A year as written → the Gregorian year.

    Four digits from 2400 up are Buddhist era (2568 → 2025); two digits are a BE year of
    the 2500s as Thai news abbreviates them (68 → 2568 → 2025); other four-digit years
    are Gregorian already.
    """
    number = int(to_arabic(written))
    if number < 100:
        return 2500 + number - 543
    if number >= 2400:
        return number - 543
    return number


def _year_or_default(match: re.Match[str], published: dt.date | None) -> int | None:
    written = match.group("year") if "year" in match.re.groupindex else None
    if written:
        return resolve_year(written, published)
    return published.year if published else None


def _day(year: int, month: int, day: int, published: dt.date | None, explicit_year: bool) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    # "16 ต.ค." read in January is last October, not next.
    if not explicit_year and published is not None and value > published + dt.timedelta(days=31):
        value = value.replace(year=year - 1)
    return value


def resolve_date(text: str, published: dt.date | None = None) -> DateValue | None:
    """The date a Thai date expression means, or None when it states none.

    An explicit date wins over a relative word in the same text ("วันนี้ (16 ต.ค.68)").
    Relative words and dates without a year need ``published``.
    """
    clean = to_arabic(text).strip()
    found = DAY_RANGE.search(clean)
    if found:
        month = MONTHS[found.group("month")]
        first_month = MONTHS[found.group("first_month")] if found.group("first_month") else month
        year = _year_or_default(found, published)
        if year is not None:
            explicit = bool(found.group("year"))
            end = _day(year, month, int(found.group("day")), published, explicit)
            start = _day(year, first_month, int(found.group("first")), published, explicit)
            if start and end and start > end:  # "28 ธ.ค. - 3 ม.ค. 2568": the start is the year before
                start = start.replace(year=start.year - 1)
            if start and end:
                return DateValue(start.isoformat(), "day", start.isoformat(), end.isoformat())
    found = DAY_MONTH_YEAR.search(clean)
    if found:
        year = _year_or_default(found, published)
        if year is not None:
            day = _day(
                year,
                MONTHS[found.group("month")],
                int(found.group("day")),
                published,
                bool(found.group("year")),
            )
            return DateValue(day.isoformat(), "day") if day else None  # 31 ก.พ.: no such day
    found = NUMERIC.search(clean)
    if found:
        year = resolve_year(found.group("year"), published)
        day = _day(year, int(found.group("month")), int(found.group("day")), published, True)
        if day:
            return DateValue(day.isoformat(), "day")
    found = PART_OF_YEAR.search(clean)
    if found:
        year = _year_or_default(found, published)
        if year is not None:
            return DateValue(f"{year:04d}", "year", part=found.group("part"))
    found = MONTH_YEAR.search(clean)
    if found and (found.group("year") or clean.startswith("เดือน") or published is not None):
        year = _year_or_default(found, published)
        if year is not None:
            month = MONTHS[found.group("month")]
            if (
                not found.group("year")
                and published is not None
                and (year, month) > (published.year, published.month)
            ):
                year -= 1
            return DateValue(f"{year:04d}-{month:02d}", "month")
    found = YEAR_ONLY.search(clean)
    if found:
        return DateValue(f"{resolve_year(found.group('year'), published):04d}", "year")
    return resolve_relative(clean, published)


RELATIVE_DAYS = {"วันนี้": 0, "เมื่อวานนี้": -1, "เมื่อวาน": -1, "วานนี้": -1, "เมื่อวานซืน": -2, "พรุ่งนี้": 1}
RELATIVE_MONTHS = {"เดือนนี้": 0, "เดือนที่แล้ว": -1, "เดือนก่อน": -1, "เดือนที่ผ่านมา": -1, "เดือนหน้า": 1}
RELATIVE_YEARS = {"ปีนี้": 0, "ปีที่แล้ว": -1, "ปีก่อน": -1, "ปีที่ผ่านมา": -1, "ปีหน้า": 1}


def resolve_relative(text: str, published: dt.date | None) -> DateValue | None:
    """วันนี้, เมื่อวานนี้, เดือนที่แล้ว, ปีนี้ ... against the publication date."""
    if published is None:
        return None
    for words, granularity in ((RELATIVE_DAYS, "day"), (RELATIVE_MONTHS, "month"), (RELATIVE_YEARS, "year")):
        for word in sorted(words, key=len, reverse=True):
            if word in text:
                shift = words[word]
                if granularity == "day":
                    return DateValue((published + dt.timedelta(days=shift)).isoformat(), "day")
                if granularity == "month":
                    months = published.year * 12 + published.month - 1 + shift
                    return DateValue(f"{months // 12:04d}-{months % 12 + 1:02d}", "month")
                return DateValue(f"{published.year + shift:04d}", "year")
    return None


MULTIPLIERS = {
    "สิบ": 10,
    "ร้อย": 100,
    "พัน": 1_000,
    "หมื่น": 10_000,
    "แสน": 100_000,
    "ล้าน": 1_000_000,
}
_MULTIPLIER = "|".join(MULTIPLIERS)
NUMBER = re.compile(rf"(?P<digits>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<words>(?:(?:{_MULTIPLIER})\s*)*)")


def parse_number(text: str) -> int | float | None:
    """The first number in ``text`` with its Thai multipliers: "1.2 หมื่นล้าน" → 12,000,000,000."""
    found = NUMBER.search(to_arabic(text))
    if found is None:
        return None
    value = float(found.group("digits").replace(",", ""))
    for word in re.findall(_MULTIPLIER, found.group("words")):
        value *= MULTIPLIERS[word]
    return int(value) if value == int(value) else value
