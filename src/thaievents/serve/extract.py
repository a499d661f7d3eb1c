"""Extraction core shared by `thaievents extract` and the served MLflow model.

Text in (an article or a paragraph), records out: paragraphs with entities and
events, plus the article's events (the union of its paragraphs', max score).
Very long paragraphs are cut into chunks at spaces so no input can exceed spaCy's
limits. Each chunk is normalised as the training text was (zero-width characters,
NBSP, BOM, Thai mark order) before the model sees it; offsets always point into the
caller's original text, and every entity's ``text`` is ``input[start:end]``.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from spacy.attrs import IS_SPACE  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc

from thaievents.data.schema import EVENT_LABELS
from thaievents.nlp.events import event_thresholds
from thaievents.nlp.inference import one_blas_thread_per_process
from thaievents.nlp.text import normalize_text, normalize_with_offsets
from thaievents.records.build import paragraph_events, parse_published
from thaievents.records.crosswalk import Crosswalk, record_coding
from thaievents.records.linking import Mention

SCHEMA_VERSIONS = {"v1": "1.0", "v2": "2.0"}
SCHEMA_VERSION = SCHEMA_VERSIONS["v1"]
MAX_CHUNK_CHARS = 2000
# Paragraphs per nlp.pipe batch: with the NER decoding a batch per step, 128 runs 8% faster
# than 64 on the gold paragraphs, with the same entities and scores (bench/TRIES.md, speed 22).
PIPE_BATCH = 128
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Chunk:
    """A piece of one input text: which input, where it starts, and its normalised form."""

    row: int
    start: int
    text: str
    normalised: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, row: int, start: int, text: str) -> Chunk:
        if normalize_text(text) == text:  # already clean (most news): each character is itself
            positions = tuple(range(len(text)))
            return cls(row, start, text, text, positions, tuple(p + 1 for p in positions))
        normalised, starts, ends = normalize_with_offsets(text)
        return cls(row, start, text, normalised, tuple(starts), tuple(ends))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised chunk → offsets into the whole input text."""
        return self.start + self.starts[start], self.start + self.ends[end - 1]


def paragraph_spans(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) pairs: paragraphs are separated by line breaks; blanks are skipped."""
    pieces = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        pieces.append((position, text[position : match.start()]))
        position = match.end()
    pieces.append((position, text[position:]))
    result = []
    for offset, piece in pieces:
        stripped = piece.strip()
        if stripped:
            result.append((offset + piece.index(stripped), stripped))
    return result


def split_long(offset: int, text: str, limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut a paragraph longer than ``limit`` at the last space before the limit (or hard)."""
    while len(text) > limit:
        cut = text.rfind(" ", limit // 2, limit)
        cut = limit if cut <= 0 else cut
        head = text[:cut]
        yield offset, head.rstrip()
        rest = text[cut:]
        skipped = len(rest) - len(rest.lstrip())
        offset, text = offset + cut + skipped, rest.lstrip()
    if text:
        yield offset, text


def _pieces(texts: Iterable[str], limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, int, str]]:
    """(row, offset, piece) for every paragraph piece of every input text, before normalising."""
    for row, text in enumerate(texts):
        for offset, paragraph in paragraph_spans(text or ""):
            for start, piece in split_long(offset, paragraph, limit):
                yield row, start, piece


def chunk_texts(texts: Iterable[str], limit: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Every paragraph chunk of every input text, in order."""
    chunks = (Chunk.of(row, start, piece) for row, start, piece in _pieces(texts, limit))
    return [c for c in chunks if c.normalised]  # a chunk of only invisible characters has nothing to read


def count_chunks(texts: Iterable[str]) -> int:
    """About how many chunks the texts make, without normalising them (for a progress bar)."""
    return sum(1 for _ in _pieces(texts))


def paragraph_record(chunk: Chunk, doc: Doc, thresholds: Mapping[str, float], source: str) -> dict:
    """One output paragraph: offsets are into ``source``, the original input text."""
    entities = []
    for entity in doc.ents:
        start, end = chunk.original_span(entity.start_char, entity.end_char)
        entities.append({"text": source[start:end], "label": entity.label_, "start": start, "end": end})
    return {
        "start": chunk.start,
        "end": chunk.start + len(chunk.text),
        "text": chunk.text,
        "entities": entities,
        "events": [
            {"category": label, "score": round(float(doc.cats.get(label, 0.0)), 4)}
            for label in EVENT_LABELS
            if doc.cats.get(label, 0.0) >= thresholds.get(label, 0.5)
        ],
    }


def _remap(value: object, chunk: Chunk, source: str) -> object:
    """Every ``{start, end, text}`` inside a v2 event, moved from the chunk into ``source``."""
    if isinstance(value, list):
        return [_remap(item, chunk, source) for item in value]
    if not isinstance(value, dict):
        return value
    moved = {key: _remap(item, chunk, source) for key, item in value.items()}
    if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
        start, end = chunk.original_span(value["start"], value["end"])
        moved.update(start=start, end=end, text=source[start:end])
    return moved


def record_events(
    chunk: Chunk, doc: Doc, record: dict, published: str | None, coding: tuple[Crosswalk, str], source: str
) -> list[dict]:
    """Schema v2: each decided event of the paragraph as a record with its coding and roles."""
    mentions = [Mention(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    decided = [(event["category"], event["score"]) for event in record["events"]]
    crosswalk, linker = coding
    # chunk.normalised is doc.text (the tokenizer's words rebuild it), without a walk over the tokens.
    published_date = parse_published(published)
    events = paragraph_events(chunk.normalised, mentions, decided, published_date, crosswalk, linker)
    return [_remap(event, chunk, source) for event in events]  # type: ignore[misc]


def paragraph_rows(record_id: object, record: dict) -> list[dict]:
    """One flat row per paragraph of an output record (Spark and Parquet output)."""
    return [
        {
            "id": str(record_id),
            "paragraph": index,
            **{k: p[k] for k in ("start", "end", "text", "entities", "events")},
        }
        for index, p in enumerate(record["paragraphs"])
    ]


def article_events(paragraphs: list[dict]) -> list[dict]:
    """Union of paragraph events; each category's score is its highest paragraph score."""
    best: dict[str, float] = {}
    for paragraph in paragraphs:
        for event in paragraph["events"]:
            best[event["category"]] = max(best.get(event["category"], 0.0), event["score"])
    return [{"category": label, "score": best[label]} for label in EVENT_LABELS if label in best]


def warm_up(nlp: Language) -> None:
    """Run the pipeline once, so its lazily loaded lists (names, places, 290k Wikipedia titles,
    the tokenizer's dictionary) are in memory before worker processes fork and share them."""
    nlp("ตำรวจไทยจับกุมแก๊งคอลเซ็นเตอร์ที่กรุงเทพฯ")


# Inputs go to worker processes in blocks of about this many characters (some 150 paragraphs).
BLOCK_CHARS = 50_000


@dataclass(frozen=True)
class _Settings:
    """What every block of an extraction needs besides its texts."""

    thresholds: Mapping[str, float]
    coding: tuple[Crosswalk, str] | None
    batch_size: int


# (row, text, publication date) of each input text in a block.
Block = list[tuple[int, str, str | None]]
_worker: dict[str, object] = {}  # set in the parent before the workers fork, read in them


def _block_paragraphs(nlp: Language, block: Block, settings: _Settings) -> Iterator[tuple[int, dict, int]]:
    """(row, paragraph, words read) for every paragraph chunk of the block's texts, in order."""
    texts = [text for _, text, _ in block]
    chunks = chunk_texts(texts)
    docs = nlp.pipe((c.normalised for c in chunks), batch_size=settings.batch_size)
    for chunk, doc in zip(chunks, docs, strict=True):
        row, source, published = block[chunk.row]
        paragraph = paragraph_record(chunk, doc, settings.thresholds, source)
        if settings.coding is not None:
            paragraph["events"] = record_events(chunk, doc, paragraph, published, settings.coding, source)
        yield row, paragraph, len(doc) - int(doc.to_array(IS_SPACE).sum())


def _work_on(block: Block) -> list[tuple[int, dict, int]]:
    nlp, settings = _worker["nlp"], _worker["settings"]
    assert isinstance(nlp, Language) and isinstance(settings, _Settings)
    return list(_block_paragraphs(nlp, block, settings))


def blocks_of(items: Sequence[tuple[int, str, str | None]], chars: int | None = None) -> list[Block]:
    """Consecutive inputs grouped into blocks of about ``chars`` (default :data:`BLOCK_CHARS`)
    characters; every block but the last reaches it."""
    chars = BLOCK_CHARS if chars is None else chars
    blocks: list[Block] = []
    current: Block = []
    size = 0
    for item in items:
        current.append(item)
        size += len(item[1])
        if size >= chars:
            blocks.append(current)
            current, size = [], 0
    if current:
        blocks.append(current)
    return blocks


def _paragraphs_in_workers(
    nlp: Language, items: Sequence[tuple[int, str, str | None]], settings: _Settings, n_process: int
) -> Iterator[tuple[int, dict, int]]:
    """Blocks of inputs run whole (chunking, model, records) in forked workers, which send back
    plain records: spaCy's own ``n_process`` pickles every Doc back to the parent, and that
    took a fifth of the work (README, "Scale")."""
    warm_up(nlp)
    _worker.update(nlp=nlp, settings=settings)
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(n_process, initializer=one_blas_thread_per_process) as pool:
            for paragraphs in pool.imap(_work_on, blocks_of(items)):
                yield from paragraphs
    finally:
        _worker.clear()


def extract(
    nlp: Language,
    texts: list[str],
    *,
    batch_size: int = PIPE_BATCH,
    n_process: int = 1,
    on_paragraph: Callable[[int], None] | None = None,
    schema: str = "v1",
    dates: Sequence[str | None] | None = None,
) -> list[dict]:
    """Run the pipeline over texts; one record per input text, in input order.

    ``schema`` "v2" turns each paragraph event into an event record (PLOVER, CAMEO,
    trigger, roles, date, counts); ``dates`` are the articles' publication dates, which
    relative dates and undated paragraphs resolve against. ``n_process`` above one runs
    blocks of texts in forked worker processes (Linux, macOS); ``on_paragraph`` hears how
    many words each paragraph had, as it lands.
    """
    if schema not in SCHEMA_VERSIONS:
        raise ValueError(f"unknown schema {schema!r}; use one of {', '.join(SCHEMA_VERSIONS)}")
    settings = _Settings(event_thresholds(nlp), record_coding(nlp) if schema == "v2" else None, batch_size)
    version = SCHEMA_VERSIONS[schema]
    records: list[dict] = [{"schema_version": version, "paragraphs": [], "events": []} for _ in texts]
    items = [(row, text or "", dates[row] if dates is not None else None) for row, text in enumerate(texts)]
    if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
        paragraphs = _paragraphs_in_workers(nlp, items, settings, n_process)
    else:
        paragraphs = _block_paragraphs(nlp, items, settings)
    for row, paragraph, words in paragraphs:
        records[row]["paragraphs"].append(paragraph)
        if on_paragraph is not None:
            on_paragraph(words)
    for record in records:
        record["events"] = article_events(record["paragraphs"])
    return records
