"""Thai dates and numbers as Thai news writes them (issue: event records). Each case is a phrase
of the kind newsrooms write, resolved against a publication date where it needs one."""

import datetime as dt

import pytest

from thaievents.records.thai_dates import DateValue, parse_number, resolve_date, resolve_year

PUBLISHED = dt.date(2025, 10, 16)


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("2568", 2025),
        ("2567", 2024),
        ("68", 2025),
        ("67", 2024),
        ("๒๕๖๘", 2025),
        ("2025", 2025),
        ("1999", 1999),
    ],
)
def test_years(written: str, year: int) -> None:
    assert resolve_year(written) == year


DAYS = [
    ("16 ต.ค. 2568", "2025-10-16"),
    ("16 ต.ค.68", "2025-10-16"),
    ("(16 ต.ค.68)", "2025-10-16"),
    ("วันนี้ (16 ต.ค.68)", "2025-10-16"),
    ("เมื่อวันที่ 3 มี.ค. 2568", "2025-03-03"),
    ("วันที่ 24 ตุลาคม 2567", "2024-10-24"),
    ("24 ตุลาคม 2567", "2024-10-24"),
    ("1 ม.ค. 2569", "2026-01-01"),
    ("29 ก.พ. 2567", "2024-02-29"),
    ("๑๖ ต.ค. ๒๕๖๘", "2025-10-16"),
    ("5 ธ.ค.67", "2024-12-05"),
    ("14 ก.พ.66 เวลา 16.00 น.", "2023-02-14"),
    ("วันอังคารที่ 14 ต.ค. 2568", "2025-10-14"),
    ("16 ต.ค. พ.ศ. 2568", "2025-10-16"),
    ("16 ตุลาคม ค.ศ. 2025", "2025-10-16"),
    ("16/10/2568", "2025-10-16"),
    ("16/10/68", "2025-10-16"),
    ("ตั้งแต่วันที่ 10 ส.ค. ที่ผ่านมา", "2025-08-10"),  # no year: the publication year
    ("เมื่อ 20 ธ.ค.", "2024-12-20"),  # two months ahead of publication: last year
    ("วันที่ 2 พ.ย.", "2025-11-02"),  # within a month ahead: a scheduled date this year
    ("8 พ.ย.65", "2022-11-08"),
    ("28 ส.ค. 67", "2024-08-28"),
    ("30 มิ.ย. 2568", "2025-06-30"),
    ("12 เม.ย.2568", "2025-04-12"),
    ("3 พฤษภาคม 2566", "2023-05-03"),
    ("15 กันยายน", "2025-09-15"),
    ("16 ต.ค. 10.30 น.", "2025-10-16"),  # the clock time is no year
]


@pytest.mark.parametrize(("written", "iso"), DAYS)
def test_days(written: str, iso: str) -> None:
    assert resolve_date(written, PUBLISHED) == DateValue(iso, "day")


RANGES = [
    ("1-3 ก.ค. 2568", "2025-07-01", "2025-07-03"),
    ("1–3 ก.ค.", "2025-07-01", "2025-07-03"),
    ("ระหว่างวันที่ 1-3 ก.ค.68", "2025-07-01", "2025-07-03"),
    ("28 ก.ย. - 2 ต.ค. 2568", "2025-09-28", "2025-10-02"),
    ("20 ถึง 25 ส.ค. 2567", "2024-08-20", "2024-08-25"),
    ("28 ธ.ค. - 3 ม.ค. 2568", "2024-12-28", "2025-01-03"),
    ("๑-๕ มี.ค. ๒๕๖๘", "2025-03-01", "2025-03-05"),
    ("วันที่ 10 ถึงวันที่ 12 ต.ค. 68", "2025-10-10", "2025-10-12"),
]


@pytest.mark.parametrize(("written", "start", "end"), RANGES)
def test_ranges(written: str, start: str, end: str) -> None:
    assert resolve_date(written, PUBLISHED) == DateValue(start, "day", start, end)


COARSE = [
    ("เดือนตุลาคม 2568", DateValue("2025-10", "month")),
    ("ต.ค.68", DateValue("2025-10", "month")),
    ("เดือนสิงหาคม", DateValue("2025-08", "month")),
    ("ตุลาคม 2567", DateValue("2024-10", "month")),
    ("เดือนธันวาคม", DateValue("2024-12", "month")),  # ahead of October: last December
    ("ปี 2567", DateValue("2024", "year")),
    ("ปี 2024", DateValue("2024", "year")),
    ("พ.ศ. 2566", DateValue("2023", "year")),
    ("ต้นปี 2568", DateValue("2025", "year", part="ต้น")),
    ("ต้นปี", DateValue("2025", "year", part="ต้น")),
    ("กลางปี 67", DateValue("2024", "year", part="กลาง")),
    ("ปลายปี 2566", DateValue("2023", "year", part="ปลาย")),
    ("สิ้นปี", DateValue("2025", "year", part="สิ้น")),
]


@pytest.mark.parametrize(("written", "expected"), COARSE)
def test_months_years_and_parts_of_years(written: str, expected: DateValue) -> None:
    assert resolve_date(written, PUBLISHED) == expected


RELATIVE = [
    ("วันนี้", DateValue("2025-10-16", "day")),
    ("เมื่อวานนี้", DateValue("2025-10-15", "day")),
    ("วานนี้", DateValue("2025-10-15", "day")),
    ("เมื่อวานซืน", DateValue("2025-10-14", "day")),
    ("พรุ่งนี้", DateValue("2025-10-17", "day")),
    ("เดือนที่แล้ว", DateValue("2025-09", "month")),
    ("เดือนก่อน", DateValue("2025-09", "month")),
    ("เดือนนี้", DateValue("2025-10", "month")),
    ("ปีที่แล้ว", DateValue("2024", "year")),
    ("ปีนี้", DateValue("2025", "year")),
]


@pytest.mark.parametrize(("written", "expected"), RELATIVE)
def test_relative_words_against_the_publication_date(written: str, expected: DateValue) -> None:
    assert resolve_date(written, PUBLISHED) == expected


def test_relative_words_across_a_year_boundary() -> None:
    assert resolve_date("เดือนที่แล้ว", dt.date(2026, 1, 5)) == DateValue("2025-12", "month")
    assert resolve_date("เมื่อวานนี้", dt.date(2026, 1, 1)) == DateValue("2025-12-31", "day")


@pytest.mark.parametrize("written", ["วันนี้", "16 ต.ค.", "เดือนที่แล้ว"])
def test_what_needs_a_publication_date_gives_none_without_one(written: str) -> None:
    assert resolve_date(written, None) is None


@pytest.mark.parametrize("written", ["ตำรวจจับกุมผู้ต้องหา 40 คน", "31 ก.พ. 2568", "3 วัน", "ครั้งที่ 3/2568 คน"])
def test_no_date_is_none(written: str) -> None:
    assert resolve_date(written, PUBLISHED) is None


NUMBERS = [
    ("กว่า 7 พันคน", 7000),
    ("3,700 คน", 3700),
    ("1.2 หมื่นล้านบาท", 12_000_000_000),
    ("5 ล้านบาท", 5_000_000),
    ("๑๒ คน", 12),
    ("ราว 2 แสนคน", 200_000),
    ("100 ล้านดอลลาร์สหรัฐ", 100_000_000),
    ("3 พันล้านบาท", 3_000_000_000),
    ("2.5 ล้าน", 2_500_000),
    ("771 คน", 771),
    ("อย่างน้อย 120,000 คน", 120_000),
    ("45.5", 45.5),
]


@pytest.mark.parametrize(("written", "value"), NUMBERS)
def test_numbers_with_thai_multipliers(written: str, value: float) -> None:
    assert parse_number(written) == value


def test_no_number_is_none() -> None:
    assert parse_number("หลายร้อยคน") is None
