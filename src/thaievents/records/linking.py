"""Who, to whom, where, when: the trigger of an event and the entities that fill its roles.

Two linkers over the same entities, compared on the gold records (README, "Event records"):
- ``nearest`` (the baseline): the nearest actor-type entity before the trigger is the
  actor, the nearest after it the recipient, the LOCATION run nearest the trigger the
  location, the nearest DATE the date;
- ``window``: as ``nearest``, but the actor is every party in the clause-sized window
  before the nearest one (agencies joined by ร่วมกับ/และ/นำโดย), none after a speech verb;
- ``syntax``: spacy-thai's UD parse (UDPipe, shipped inside the package): the entities in
  the trigger's subject subtree are actors (climbing serial-verb heads, never past a speech
  verb), those under its objects and กับ/แก่/ให้/จาก obliques are recipients, LOCATION
  entities under the rest of its clause are locations;
- ``hybrid``: syntax, with a role the parse leaves empty filled by ``window``.
Both add a bracketed abbreviation to its full name ("กรมสอบสวนคดีพิเศษ (DSI)").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

LINKERS = ("nearest", "window", "syntax", "hybrid")
PARTY_LABELS = ("PERSON", "ORGANIZATION")
SPEECH_VERBS = frozenset(
    {"เปิดเผย", "เผย", "กล่าว", "ระบุ", "แถลง", "ชี้แจง", "รายงาน", "ยืนยัน", "แจ้ง", "บอก", "ว่า"}
)
RECIPIENT_CASES = frozenset({"กับ", "แก่", "ให้", "ต่อ", "จาก", "ถึง"})
_ADMIN_PREFIXES = (
    "จ.",
    "อ.",
    "ต.",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "เขต",
    "แขวง",
    "ถนน",
    "ถ.",
    "บ้าน",
    "ด่าน",
    "หมู่",
    "ซอย",
    "เมือง",
    "กรุง",
    "สนามบิน",
    "ท่าอากาศยาน",
    "ชายแดน",
    "สะพาน",
    "ท่าเรือ",
)
_STATE_ALIASES = frozenset(
    {
        "สหรัฐฯ",
        "สหรัฐ",
        "สหรัฐอเมริกา",
        "เมียนมา",
        "เมียนมาร์",
        "พม่า",
        "จีน",
        "ไทย",
        "สปป.ลาว",
        "ลาว",
        "ยูเอ็น",
        "UN",
        "อาเซียน",
        "ASEAN",
        "เกาหลีใต้",
        "ไต้หวัน",
        "ฮ่องกง",
    }
)


ACTOR_WINDOW = 250  # characters before the nearest party that still belong to its clause (chosen on dev)


def _speech_between(text: str, start: int, end: int) -> bool:
    """A speech verb between a party and the trigger: the party is the speaker, not the actor."""
    between = text[start:end]
    return any(verb in between for verb in ("เปิดเผยว่า", "เผยว่า", "กล่าวว่า", "ระบุว่า", "แถลงว่า"))


@dataclass(frozen=True)
class Mention:
    """An entity mention: character offsets into the paragraph, label and text."""

    start: int
    end: int
    label: str
    text: str

    def to_json(self) -> dict:
        return {"text": self.text, "label": self.label, "start": self.start, "end": self.end}


@dataclass
class Roles:
    """What a linker found for one event."""

    trigger: tuple[int, int, str] | None  # start, end, mode
    actor: list[Mention] = field(default_factory=list)
    recipient: list[Mention] = field(default_factory=list)
    location: list[Mention] = field(default_factory=list)
    date: Mention | None = None


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from pythainlp.corpus import countries

    return frozenset(str(c) for c in countries()) | _STATE_ALIASES


def is_state(mention: Mention) -> bool:
    """A LOCATION that names a state or a bloc (ไทย, สหรัฐฯ, อาเซียน), not a place within one."""
    text = mention.text.removeprefix("ประเทศ").strip()
    return mention.label == "LOCATION" and text in _countries() and not text.startswith(_ADMIN_PREFIXES)


def is_party(mention: Mention) -> bool:
    return mention.label in PARTY_LABELS or is_state(mention)


def with_aliases(chosen: Sequence[Mention], mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Add the bracketed abbreviation after a chosen full name, or the full name before one."""
    result = list(chosen)
    for mention in chosen:
        for other in mentions:
            gap_after = text[mention.end : other.start].strip()
            gap_before = text[other.end : mention.start].strip()
            bracketed = gap_after == "(" or gap_before == "("
            if other.label == mention.label and bracketed and other not in result:
                result.append(other)
    return sorted(set(result), key=lambda m: m.start)


def _location_run(anchor: Mention, mentions: Sequence[Mention], text: str) -> list[Mention]:
    """A LOCATION and its neighbours joined only by spaces or commas (อ.แม่สอด จ.ตาก)."""
    locations = sorted((m for m in mentions if m.label == "LOCATION"), key=lambda m: m.start)
    run = [anchor]
    index = locations.index(anchor)
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(locations):
            left, right = sorted(
                (run[0] if step < 0 else run[-1], locations[position]), key=lambda m: m.start
            )
            if text[left.end : right.start].strip(" ,และ") != "":
                break
            run.insert(0, locations[position]) if step < 0 else run.append(locations[position])
            position += step
    return run


def link_nearest(
    text: str, mentions: Sequence[Mention], trigger: tuple[int, int, str] | None, actor_window: int = 0
) -> Roles:
    """The nearest-entity baseline; ``actor_window`` > 0 also takes the parties just before the nearest."""
    if trigger is None:
        anchor = 0
        roles = Roles(None)
    else:
        anchor = trigger[0]
        roles = Roles(trigger)
    before = [m for m in mentions if m.end <= anchor and is_party(m)]
    after = [m for m in mentions if m.start >= (trigger[1] if trigger else 0) and is_party(m)]
    if before:
        nearest = max(before, key=lambda m: m.end)
        # The parties of the same clause before the trigger: agencies joined by ร่วมกับ/และ/นำโดย.
        roles.actor = with_aliases(
            [
                m
                for m in before
                if m.end >= nearest.end - actor_window and not _speech_between(text, m.end, anchor)
            ],
            mentions,
            text,
        ) or [nearest]
    if after:
        first = min(after, key=lambda m: m.start)
        if first.start - (trigger[1] if trigger else 0) <= 60:
            roles.recipient = with_aliases([first], mentions, text)
    taken = {*roles.actor, *roles.recipient}
    places = [m for m in mentions if m.label == "LOCATION" and m not in taken]
    if places:
        nearest = min(places, key=lambda m: abs(m.start - anchor))
        roles.location = _location_run(nearest, mentions, text)
    dates = [m for m in mentions if m.label == "DATE"]
    if dates:
        roles.date = min(dates, key=lambda m: abs(m.start - anchor))
    return roles


@lru_cache(maxsize=1)
def _parser() -> Any:
    import spacy_thai

    return spacy_thai.load()


@lru_cache(maxsize=256)
def parse(text: str) -> Any:
    """spacy-thai's parse of a paragraph, kept for the paragraph's other events."""
    return _parser()(text)


def _subtree_span(token: Any) -> set[int]:
    return {t.i for t in token.subtree}


def _token_at(doc: Any, char: int) -> Any | None:
    for token in doc:
        if token.idx <= char < token.idx + len(token.text):
            return token
    return None


def link_syntax(text: str, mentions: Sequence[Mention], trigger: tuple[int, int, str] | None) -> Roles:
    """Roles from spacy-thai's dependency parse of the paragraph."""
    roles = Roles(trigger)
    if trigger is None:
        return roles
    doc = parse(text)
    head = _token_at(doc, trigger[0])
    if head is None:
        return roles

    def inside(mention: Mention, indices: set[int]) -> bool:
        token = _token_at(doc, mention.start)
        return token is not None and token.i in indices

    subject: set[int] = set()
    clause = head
    for _ in range(4):
        for child in clause.children:
            if child.dep_.startswith("nsubj"):
                subject |= _subtree_span(child)
        if (
            subject
            or clause.dep_ not in ("xcomp", "conj", "advcl", "compound", "acl", "ccomp")
            or clause.head is clause
        ):
            break
        if clause.head.lemma_ in SPEECH_VERBS or clause.head.text in SPEECH_VERBS:
            break
        clause = clause.head
    objects: set[int] = set()
    for child in head.children:
        cases = {c.text for c in child.children if c.dep_ == "case"}
        if child.dep_ in ("obj", "iobj") or (child.dep_.startswith("obl") and cases & RECIPIENT_CASES):
            objects |= _subtree_span(child)
    scope = _subtree_span(clause) - subject
    roles.actor = with_aliases([m for m in mentions if is_party(m) and inside(m, subject)], mentions, text)
    roles.recipient = with_aliases(
        [m for m in mentions if is_party(m) and inside(m, objects) and m not in roles.actor], mentions, text
    )
    taken = {*roles.actor, *roles.recipient}
    roles.location = [m for m in mentions if m.label == "LOCATION" and inside(m, scope) and m not in taken]
    dates = [m for m in mentions if m.label == "DATE"]
    in_clause = [m for m in dates if inside(m, _subtree_span(clause))]
    pool = in_clause or dates
    if pool:
        roles.date = min(pool, key=lambda m: abs(m.start - trigger[0]))
    return roles


def link(linker: str, text: str, mentions: Sequence[Mention], trigger: tuple[int, int, str] | None) -> Roles:
    """Fill the roles of one event with the named linker."""
    if linker == "nearest":
        return link_nearest(text, mentions, trigger)
    if linker == "syntax":
        return link_syntax(text, mentions, trigger)
    if linker == "window":
        return link_nearest(text, mentions, trigger, ACTOR_WINDOW)
    if linker == "hybrid":
        parsed, near = (
            link_syntax(text, mentions, trigger),
            link_nearest(text, mentions, trigger, ACTOR_WINDOW),
        )
        for role in ("actor", "recipient", "location"):
            if not getattr(parsed, role):
                setattr(parsed, role, getattr(near, role))
        parsed.date = parsed.date or near.date
        return parsed
    raise ValueError(f"unknown linker {linker!r}; use one of {', '.join(LINKERS)}")
