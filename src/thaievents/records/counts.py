"""How many: counts of people ("กว่า 7 พันคน" arrested) and money ("1.2 หมื่นล้านบาท", THB).

A count is a number with a classifier for people (คน, ราย, ชีวิต); what it counts comes
from the nearest cue word of the crosswalk's ``counts`` table within a short window before
the number (or just after, "ผู้ต้องหา 7 คน" / "7 คน ... ถูกจับ"), limited to the kinds an
event category can count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from thaievents.records.thai_dates import parse_number, to_arabic

_QUALIFIER = r"(?:กว่า|ราว|ประมาณ|เกือบ|อย่างน้อย|รวม|ทั้งหมด|จำนวน)?\s*"
PEOPLE = re.compile(
    rf"{_QUALIFIER}(?P<number>[\d๐-๙]+(?:,[\d๐-๙]{{3}})*(?:\.[\d๐-๙]+)?)\s*"
    r"(?:(?:สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน)\s*)*(?:คน|ราย|ชีวิต|นาย)(?!\S*(?:บาท|ดอลลาร์))"
)
KINDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "CRACKDOWN": ("arrested", "suspects", "victims"),
    "VICTIM_ASSISTANCE": ("rescued", "repatriated", "victims"),
    "INTEL_SHARING": ("suspects", "victims"),
    "DIPLOMATIC_FORUM": ("victims", "repatriated"),
}
ACTIONS = ("arrested", "rescued", "repatriated")
KIND_BY_MODE = {"arrest": "arrested", "deport": "suspects", "rescue": "rescued", "repatriate": "repatriated"}
DEFAULT_KIND = {"CRACKDOWN": "arrested", "VICTIM_ASSISTANCE": "rescued"}
WINDOW_BEFORE = 40
WINDOW_AFTER = 15
CURRENCIES = (
    ("ดอลลาร์สหรัฐ", "USD"),
    ("ดอลลาร์", "USD"),
    ("USD", "USD"),
    ("$", "USD"),
    ("หยวน", "CNY"),
    ("ริงกิต", "MYR"),
    ("ยูโร", "EUR"),
    ("เยน", "JPY"),
    ("วอน", "KRW"),
    ("USDT", "USDT"),
    ("บาท", "THB"),
)


def _nearest_kind(text: str, start: int, end: int, cues: Mapping[str, Sequence[str]]) -> str | None:
    """The kind of the nearest cue around a number; an action (จับกุม, ช่วยเหลือ) beats a noun (เหยื่อ)."""
    found: list[tuple[int, str]] = []
    before = text[max(0, start - WINDOW_BEFORE) : start]
    after = text[end : end + WINDOW_AFTER]
    for kind, words in cues.items():
        for word in words:
            position = before.rfind(word)
            if position >= 0:
                found.append((len(before) - position - len(word), kind))
            position = after.find(word)
            if position >= 0:
                found.append((position + 5, kind))  # a cue after the number counts a little less
    actions = [pair for pair in found if pair[1] in ACTIONS]
    return min(actions or found)[1] if found else None


def find_counts(
    text: str, category: str, cues: Mapping[str, Sequence[str]], mode: str | None = None
) -> list[dict]:
    """Counts of people an event of ``category`` can report, in text order.

    A count with no cue word nearby counts what the event's mode does (repatriate →
    repatriated), else the category's default.
    """
    kinds = KINDS_BY_CATEGORY.get(category, ())
    if not kinds:
        return []
    counts = []
    for match in PEOPLE.finditer(text):
        value = parse_number(match.group(0))
        if value is None:
            continue
        kind = (
            _nearest_kind(text, match.start(), match.end(), cues)
            or KIND_BY_MODE.get(mode or "")
            or DEFAULT_KIND.get(category)
        )
        if kind is None or kind not in kinds:  # another event's count ("จับกุม 7 คน" in a rescue)
            continue
        counts.append(
            {
                "what": kind,
                "value": int(value),
                "text": match.group(0).strip(),
                "start": match.start() + (len(match.group(0)) - len(match.group(0).lstrip())),
                "end": match.end(),
            }
        )
    return counts


def currency(text: str) -> str | None:
    """ISO currency of a money expression ("300 ล้านบาท" → THB)."""
    for word, code in CURRENCIES:
        if word in text:
            return code
    return None


def money_amount(text: str, start: int, end: int) -> dict | None:
    """A MONEY entity as ``{text, start, end, amount, currency}``, or None when it has no number."""
    amount = parse_number(to_arabic(text))
    if amount is None:
        return None
    return {"text": text, "start": start, "end": end, "amount": float(amount), "currency": currency(text)}
