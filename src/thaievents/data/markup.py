"""Inline annotation markup ⇄ gold paragraphs, for authors who write corpus text by hand.

A markup file holds articles. Each article starts with header lines and has one
paragraph per line; paragraph 0 is the headline::

    # article: a0001
    # date: 2025-10-16
    # outlet: wire
    [ตร.|ORGANIZATION]ผนึกกำลัง[อินเดีย|LOCATION] ทลายแก๊งคอลฯ || CRACKDOWN DIPLOMATIC_FORUM
    ... a paragraph with no event ... ||

Entities are ``[surface|LABEL]``; the event categories follow ``||``. The
converter checks that the plain text is already normalised, so the offsets it
computes are the offsets of the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph, Span, article_record, paragraph_id
from thaievents.nlp.text import normalize_text

_ENTITY = re.compile(r"\[([^\[\]|]+)\|([A-Z_]+)\]")
_HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*?)\s*$")
CATS_SEPARATOR = "||"


class MarkupError(ValueError):
    """A markup problem, with its location as ``file:line: message``."""


@dataclass
class Article:
    """A raw article: metadata plus its paragraphs (paragraph 0 is the headline)."""

    id: str
    date: str
    outlet: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: str = "<markup>"
    line: int = 0  # the ``# article:`` line
    paragraph_lines: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.paragraphs[0].text if self.paragraphs else ""

    def to_json(self) -> dict:
        """The corpus/ record: id, title, date, outlet style and paragraph texts."""
        return article_record(self.id, [p.text for p in self.paragraphs], self.date, self.outlet)


def parse_paragraph(line: str, where: str = "<markup>") -> tuple[str, list[Span], list[str]]:
    """Parse one markup line into plain text, spans and categories.

    Raises:
        MarkupError: on stray brackets, unknown labels or text that is not normalised.
    """
    if CATS_SEPARATOR not in line:
        raise MarkupError(f"{where}: paragraph line has no '{CATS_SEPARATOR}' before its categories")
    body, _, cats_part = line.rpartition(CATS_SEPARATOR)
    body = body.strip()
    cats = cats_part.split()
    for cat in cats:
        if cat not in EVENT_LABELS:
            raise MarkupError(f"{where}: unknown event category {cat!r}")
    if len(set(cats)) != len(cats):
        raise MarkupError(f"{where}: repeated event category in {cats}")
    plain: list[str] = []
    spans: list[Span] = []
    offset = 0
    position = 0
    for match in _ENTITY.finditer(body):
        before = body[position : match.start()]
        _check_plain(before, where)
        plain.append(before)
        offset += len(before)
        surface, label = match.group(1), match.group(2)
        if label not in ENTITY_LABELS:
            raise MarkupError(f"{where}: unknown entity label {label!r} on {surface!r}")
        if surface != surface.strip():
            raise MarkupError(f"{where}: entity {surface!r} starts or ends with whitespace")
        plain.append(surface)
        spans.append(Span(offset, offset + len(surface), label))
        offset += len(surface)
        position = match.end()
    rest = body[position:]
    _check_plain(rest, where)
    plain.append(rest)
    text = "".join(plain)
    if normalize_text(text) != text:
        raise MarkupError(
            f"{where}: text is not normalised (run it through normalize_text first): {text[:60]!r}"
        )
    return text, spans, cats


def _check_plain(fragment: str, where: str) -> None:
    for char in "[]|":
        if char in fragment:
            raise MarkupError(f"{where}: stray {char!r} outside an entity near {fragment[:40]!r}")


def render_paragraph(paragraph: Paragraph) -> str:
    """The inverse of :func:`parse_paragraph`: gold paragraph → one markup line."""
    pieces = []
    position = 0
    for span in sorted(paragraph.entities, key=lambda s: s.start):
        pieces.append(paragraph.text[position : span.start])
        pieces.append(f"[{paragraph.text[span.start : span.end]}|{span.label}]")
        position = span.end
    pieces.append(paragraph.text[position:])
    cats = " ".join(paragraph.cats)
    return f"{''.join(pieces)} {CATS_SEPARATOR} {cats}".rstrip()


def parse_markup(source: str, name: str = "<markup>") -> list[Article]:
    """Parse a whole markup file into articles, failing on the first problem."""
    articles: list[Article] = []
    current: Article | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        where = f"{name}:{number}"
        line = raw.strip()
        if not line:
            continue
        header = _HEADER.match(line)
        if header:
            key, value = header.groups()
            if key == "article":
                current = Article(id=value, date="", outlet="", source=name, line=number)
                articles.append(current)
            elif current is None:
                raise MarkupError(f"{where}: header {key!r} before any '# article:' line")
            elif key in ("date", "outlet"):
                setattr(current, key, value)
            else:
                raise MarkupError(f"{where}: unknown header {key!r}")
            continue
        if current is None:
            raise MarkupError(f"{where}: paragraph before any '# article:' line")
        text, spans, cats = parse_paragraph(line, where)
        index = len(current.paragraphs)
        current.paragraphs.append(
            Paragraph(paragraph_id(current.id, index), current.id, index, text, spans, cats)
        )
        current.paragraph_lines.append(number)
    return articles


def duplicate_ids(articles: list[Article]) -> list[str]:
    """``file:line: message`` for every article id used before (in any of the files)."""
    first: dict[str, Article] = {}
    problems = []
    for article in articles:
        if article.id in first:
            earlier = first[article.id]
            problems.append(
                f"{article.source}:{article.line}: article id {article.id!r} already used at "
                f"{earlier.source}:{earlier.line}"
            )
        else:
            first[article.id] = article
    return problems


def read_markup_files(paths: list[Path]) -> list[Article]:
    """Parse markup files in the order given; ids must be unique across all of them."""
    articles: list[Article] = []
    for path in paths:
        for article in parse_markup(path.read_text(encoding="utf-8"), str(path)):
            if not article.paragraphs:
                raise MarkupError(f"{path}:{article.line}: article {article.id!r} has no paragraphs")
            articles.append(article)
    if problems := duplicate_ids(articles):
        raise MarkupError(problems[0])
    return articles


def read_markup_dir(folder: Path) -> list[Article]:
    """Parse every ``*.txt`` markup file in a folder, in name order; ids must be unique."""
    return read_markup_files(sorted(Path(folder).glob("*.txt")))
