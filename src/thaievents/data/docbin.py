"""Read and write DocBins: entities in ``doc.ents``, events in ``doc.cats``, ids in user_data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from thaievents.data.io import atomic_path
from thaievents.data.schema import EVENT_LABELS, Paragraph, Span


def paragraph_to_doc(nlp: Language, paragraph: Paragraph) -> Doc:
    """Tokenize a validated paragraph and attach its gold entities, events and ids."""
    doc = nlp.make_doc(paragraph.text)
    spans = []
    for span in paragraph.entities:
        char_span = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if char_span is None:  # validation guarantees alignment; fail loudly if it did not run
            raise ValueError(f"{paragraph.id}: span {span} does not align with tokens")
        spans.append(char_span)
    doc.ents = spans
    doc.cats = {label: float(label in paragraph.cats) for label in EVENT_LABELS}
    doc.user_data.update(
        {"id": paragraph.id, "article_id": paragraph.article_id, "paragraph": paragraph.paragraph}
    )
    return doc


def doc_to_paragraph(doc: Doc) -> Paragraph:
    """The inverse of :func:`paragraph_to_doc`, reading gold (or predicted) annotations."""
    return Paragraph(
        id=str(doc.user_data.get("id", "")),
        article_id=str(doc.user_data.get("article_id", "")),
        paragraph=int(doc.user_data.get("paragraph", 0)),
        text=doc.text,
        entities=[Span(e.start_char, e.end_char, e.label_) for e in doc.ents],
        cats=[label for label, score in doc.cats.items() if score >= 0.5],
    )


def write_docs(docs: Iterable[Doc], path: Path) -> int:
    """Write Docs to a DocBin file atomically; return how many were written."""
    doc_bin = DocBin(store_user_data=True)
    count = 0
    for doc in docs:
        doc_bin.add(doc)
        count += 1
    with atomic_path(path) as temp:
        doc_bin.to_disk(temp)
    return count


def read_docs(path: Path, vocab: Vocab) -> list[Doc]:
    """Read every Doc of a DocBin file."""
    return list(DocBin().from_disk(path).get_docs(vocab))


def write_split_docbins(
    nlp: Language, splits: dict[str, list[Paragraph]], output: Path, extra_train: Iterable[Doc] = ()
) -> None:
    """Write every split's DocBin into ``output`` at once (temp dir + rename).

    ``extra_train`` (ThaiNER sentences: entities, no event categories, so the event
    classifier treats their categories as missing) joins train only.
    """
    with atomic_path(output, directory=True) as temp:
        for name, paragraphs in splits.items():
            docs = [paragraph_to_doc(nlp, p) for p in paragraphs]
            if name == "train":
                docs += list(extra_train)
            write_docs(docs, temp / f"{name}.spacy")
