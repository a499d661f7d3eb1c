"""Event records (schema v2) for one paragraph: coding, trigger, roles, date, counts, money.

Offsets are into the text given; `serve.extract` maps them back into the caller's input.
A paragraph without a date of its own takes the article's publication date (``source``
says which).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from thaievents.records.counts import find_counts, money_amount
from thaievents.records.crosswalk import Crosswalk
from thaievents.records.linking import Mention, link
from thaievents.records.thai_dates import resolve_date

MONEY_CATEGORIES = ("CRACKDOWN", "VICTIM_ASSISTANCE")


def parse_published(value: str | None) -> dt.date | None:
    """An ISO publication date (``2025-10-16`` or a longer timestamp), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_record(mention: Mention | None, published: dt.date | None) -> dict | None:
    """``{text, start, end, value, granularity, source}``; ranges have value ``start/end``."""
    if mention is not None:
        resolved = resolve_date(mention.text, published)
        value = granularity = None
        if resolved is not None:
            granularity = resolved.granularity
            value = f"{resolved.start}/{resolved.end}" if resolved.start and resolved.end else resolved.value
        return {
            "text": mention.text,
            "start": mention.start,
            "end": mention.end,
            "value": value,
            "granularity": granularity,
            "source": "paragraph",
        }
    if published is None:
        return None
    return {
        "text": None,
        "start": None,
        "end": None,
        "value": published.isoformat(),
        "granularity": "day",
        "source": "article",
    }


def paragraph_events(
    text: str,
    mentions: Sequence[Mention],
    events: Sequence[tuple[str, float]],
    published: dt.date | None,
    crosswalk: Crosswalk,
    linker: str,
) -> list[dict]:
    """One v2 event record per (category, score) of the paragraph."""
    records = []
    for category, score in events:
        trigger = crosswalk.find_trigger(text, category)
        roles = link(linker, text, mentions, trigger)
        coding = crosswalk.coding(category, trigger[2] if trigger else None)
        money = []
        if category in MONEY_CATEGORIES:
            money = [
                amount
                for m in mentions
                if m.label == "MONEY" and (amount := money_amount(m.text, m.start, m.end)) is not None
            ]
        records.append(
            {
                "category": category,
                "score": score,
                **coding.to_json(),
                "trigger": None
                if trigger is None
                else {"text": text[trigger[0] : trigger[1]], "start": trigger[0], "end": trigger[1]},
                "actor": [m.to_json() for m in roles.actor],
                "recipient": [m.to_json() for m in roles.recipient],
                "location": [m.to_json() for m in roles.location],
                "date": date_record(roles.date, published),
                "counts": find_counts(text, category, crosswalk.counts, coding.mode),
                "money": money,
            }
        )
    return records
