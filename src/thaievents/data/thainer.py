"""ThaiNER 1.3 (CC-BY 3.0, read from its folder, never copied) → spaCy Docs with our labels.

ThaiNER has 13 labels; the eight of the project map to themselves and EMAIL, LEN,
PHONE, URL and ZIP become O. ThaiNER's tokens (newmm, 2019 dictionary) are kept as
they are, spaces included; the few entities that start or end on a space token are
trimmed, as its README advises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from thaievents.data.schema import ENTITY_LABELS, Entity

DROPPED_LABELS = ("EMAIL", "LEN", "PHONE", "URL", "ZIP")


@dataclass(frozen=True)
class Sentence:
    """One ThaiNER sentence: its row id, tokens and BIO tags."""

    id: int
    tokens: list[str]
    tags: list[str]


def read_split(folder: Path, split: str) -> list[Sentence]:
    """Read ``{split}.jsonl`` from a ThaiNER folder, with a clear error if it is missing."""
    path = Path(folder) / f"{split}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path}: ThaiNER split not found (set the ThaiNER path param)")
    sentences = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            record = json.loads(line)
            if len(record["tokens"]) != len(record["tags"]):
                raise ValueError(
                    f"{path}:{number}: {len(record['tokens'])} tokens but {len(record['tags'])} tags"
                )
            sentences.append(Sentence(int(record["id"]), record["tokens"], record["tags"]))
    return sentences


def entity_spans(tokens: list[str], tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start token, end token, label) from BIO tags, mapped and trimmed of edge spaces."""
    start: int = 0
    label: str | None = None
    for index, tag in enumerate([*tags, "O"]):
        if label is not None and not (tag.startswith("I-") and tag[2:] == label):
            yield from _trimmed(tokens, start, index, label)
            start, label = 0, None
        if tag.startswith("B-") or (tag.startswith("I-") and label is None):
            start, label = index, tag[2:]


def _trimmed(tokens: list[str], start: int, end: int, label: str) -> Iterator[tuple[int, int, str]]:
    if label not in ENTITY_LABELS:
        return
    while start < end and not tokens[start].strip():
        start += 1
    while end > start and not tokens[end - 1].strip():
        end -= 1
    if start < end:
        yield start, end, label


def sentence_to_doc(vocab: Vocab, sentence: Sentence) -> Doc:
    """A Doc on ThaiNER's own tokens with mapped entities; other tokens are O."""
    doc = Doc(vocab, words=sentence.tokens, spaces=[False] * len(sentence.tokens))
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in entity_spans(sentence.tokens, sentence.tags)]
    doc.user_data.update(
        {"id": f"thainer-{sentence.id}", "article_id": f"thainer-{sentence.id}", "paragraph": 0}
    )
    return doc


def char_spans(tokens: list[str], spans: list[tuple[int, int, str]]) -> list[Entity]:
    """Token spans → character offsets into "".join(tokens)."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return [(offsets[s], offsets[e], label) for s, e, label in spans]


def gold_entities(sentences: list[Sentence]) -> list[list[Entity]]:
    """Character-offset gold entities of ThaiNER sentences, mapped to the project's labels."""
    return [char_spans(s.tokens, list(entity_spans(s.tokens, s.tags))) for s in sentences]


def transfer_sentences(thainer_dir: Path, fraction: float, seed: int) -> list[Sentence]:
    """A stable share of ThaiNER train sentences (by a hash of their id) to add to train."""
    from thaievents.data.split import split_of

    if fraction <= 0:
        return []
    if fraction >= 1:
        return read_split(thainer_dir, "train")
    return [
        s
        for s in read_split(thainer_dir, "train")
        if split_of(f"thainer-{s.id}", seed, 0.0, fraction) == "test"
    ]
