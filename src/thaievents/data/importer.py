"""Raw articles in, with no annotation needed: JSONL records, plain-text files, saved HTML pages.

Each article is normalised as gold text is (so offsets annotated later hold), its
bylines, share lines and view counters dropped (the annotation guidelines), its
paragraphs split, and it gets an id from its content, so importing the same file twice
gives the same ids and the same text under another name is refused. HTML pages go
through trafilatura (main text and metadata), not hand-written rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from thaievents.data.io import decode_lines
from thaievents.data.schema import article_record
from thaievents.nlp.text import normalize_text

# Lines that are page furniture, not news (guidelines: dropped at import).
_BOILERPLATE = re.compile(
    r"^(?:ข่าวโดย|เรื่องโดย|เรียบเรียงโดย|ผู้เขียน|ภาพโดย|ภาพ|ที่มา|อ่านข่าวเพิ่มเติม|อ่านต่อ)\s*[:：].*$"
    r"|^(?:แชร์|แชร์ข่าวนี้|แชร์บทความนี้|share|tweet|line)$"
    r"|^(?:เข้าชม|อ่าน|ผู้เข้าชม)\s*[\d,]+\s*(?:ครั้ง)?$|^[\d,]+\s*(?:views?|ครั้ง)$",
    re.IGNORECASE,
)
_BREAKS = re.compile(r"\n\s*\n|\n")
FIELDS = ("title", "date", "outlet", "url")


class ImportProblem(ValueError):
    """A source that cannot be imported, as ``file:line: message``."""


@dataclass
class RawArticle:
    """An imported article: metadata and normalised paragraphs (the title is paragraph 0)."""

    title: str
    paragraphs: list[str]
    date: str = ""
    outlet: str = ""
    url: str = ""
    source: str = ""
    dropped: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """``r`` + 10 hex digits of the text's hash: stable, and equal for equal text."""
        return f"r{text_key([self.title, *self.paragraphs])[:10]}"

    def to_json(self) -> dict:
        """The corpus/ record, shaped like a built article: paragraph 0 is the headline."""
        return article_record(self.id, [self.title, *self.paragraphs], self.date, self.outlet, self.url)


def clean_paragraphs(pieces: Iterable[str]) -> tuple[list[str], list[str]]:
    """Normalised, non-empty paragraphs, and the boilerplate lines dropped from them."""
    kept: list[str] = []
    dropped: list[str] = []
    for piece in pieces:
        text = normalize_text(piece)
        if not text:
            continue
        (dropped if _BOILERPLATE.match(text) else kept).append(text)
    return kept, dropped


def _article(title: str, body: Iterable[str], source: str, **meta: str) -> RawArticle:
    paragraphs, dropped = clean_paragraphs(body)
    heading = normalize_text(title)
    if not heading:
        raise ImportProblem(f"{source}: no title")
    if not paragraphs:
        raise ImportProblem(f"{source}: no paragraph of text after the title")
    return RawArticle(heading, paragraphs, source=source, dropped=dropped, **meta)


def read_jsonl_articles(path: Path) -> Iterator[RawArticle]:
    """JSONL: ``title`` and ``text`` (paragraphs split at line breaks) or ``paragraphs``."""
    for number, line in enumerate(decode_lines(path.read_bytes(), str(path)), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportProblem(f"{where}: broken JSON: {error.msg}") from error
        if not isinstance(record, dict) or not isinstance(record.get("title"), str):
            raise ImportProblem(f'{where}: expected an object with a string "title"')
        body = record.get("paragraphs")
        if body is None and isinstance(record.get("text"), str):
            body = _BREAKS.split(record["text"])
        if not isinstance(body, list) or not all(isinstance(p, str) for p in body):
            raise ImportProblem(f'{where}: expected "text" (a string) or "paragraphs" (a list of strings)')
        meta = {key: str(record.get(key) or "") for key in FIELDS if key != "title"}
        yield _article(record["title"], body, where, **meta)


def read_text_article(path: Path) -> RawArticle:
    """Plain text: the first non-empty line is the title, each further line a paragraph."""
    lines = [line for line in decode_lines(path.read_bytes(), str(path)) if line.strip()]
    if not lines:
        raise ImportProblem(f"{path}:1: empty file")
    return _article(lines[0], lines[1:], f"{path}:1")


def read_html_article(path: Path) -> RawArticle:
    """A saved news page: trafilatura finds the main text, the title and the date."""
    import trafilatura

    page = path.read_bytes().decode("utf-8", errors="replace")
    extracted = trafilatura.bare_extraction(
        page, include_comments=False, include_tables=False, with_metadata=True
    )
    if extracted is None:
        raise ImportProblem(f"{path}:1: no article text found in the page")
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = data.get("text") or ""
    title = data.get("title") or ""
    body = [p for p in _BREAKS.split(text) if normalize_text(p) != normalize_text(title)]
    return _article(
        title, body, f"{path}:1", date=str(data.get("date") or ""), url=str(data.get("url") or "")
    )


def read_sources(paths: Iterable[Path]) -> list[RawArticle]:
    """Articles of every source, by suffix: .jsonl, .txt, .html/.htm."""
    articles: list[RawArticle] = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            articles.extend(read_jsonl_articles(path))
        elif suffix == ".txt":
            articles.append(read_text_article(path))
        elif suffix in (".html", ".htm"):
            articles.append(read_html_article(path))
        else:
            raise ImportProblem(f"{path}:1: unknown kind of file (use .jsonl, .txt, .html)")
    return articles


def text_key(paragraphs: Iterable[str]) -> str:
    """What two copies of one article share, whatever their ids: the hash of their text."""
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


def merge_imports(
    existing: list[dict], known: list[dict], new: list[RawArticle]
) -> tuple[list[dict], list[str]]:
    """``existing`` imported records plus the new articles; messages for every refused one.

    An article whose text is already in the corpus (imported, or annotated in ``known``)
    is refused, whatever its id; existing records are never changed.
    """
    seen = {text_key(r["paragraphs"]): r["id"] for r in [*known, *existing]}
    merged, refused = list(existing), []
    for article in new:
        record = article.to_json()
        key = text_key(record["paragraphs"])
        if key in seen:
            refused.append(
                f"{article.source}: the same text is already in the corpus as {seen[key]}; not added"
            )
            continue
        seen[key] = record["id"]
        merged.append(record)
    return merged, refused
