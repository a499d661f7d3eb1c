"""spaCy's NER with its greedy decoding done in numpy, a whole batch of docs per step.

spaCy's greedy parser asks every one of its 34 moves whether it is valid, one state at a
time, through compiled accessors that take a lock on each call: a third of the NER's
time on these machines (bench/TRIES.md, speed try 20). Without preset entities a BILUO
move's validity depends only on the open entity's label and on three facts of the
token (last in the doc, next token starts a sentence, is whitespace), so one table
lookup answers it for every doc of a batch at once. The scores come from the same
numbers in the same order (the precomputed hidden features summed feature by feature,
the bias, maxout, BLIS's sgemm for the output layer, unseen classes set to the batch
minimum), so the chosen moves, and the entities, are spaCy's
(tests/unit/test_ner_decoding.py). Anything this does not cover (preset entities, beam
search, a model without its output layer) goes to spaCy's own code.

Registered as the factory ``thaievents_ner`` (entry point ``spacy_factories``); the
config, model and weights are spaCy's ``ner``, so training is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import blis.py
import numpy as np
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.ner import DEFAULT_NER_MODEL
from spacy.tokens import Doc, Span
from thinc.api import Model

FACTORY = "thaievents_ner"
_BEGIN, _IN, _LAST, _UNIT, _OUT = "B", "I", "L", "U", "O"
# The token facts a move's validity reads, as bits of one code per token.
_IS_LAST, _NEXT_STARTS_SENTENCE, _IS_SPACE = 1, 2, 4


class GreedyEntities(NamedTuple):
    """What :meth:`FastEntityRecognizer.predict` found: per doc, (start, end, label id) spans."""

    spans: list[list[tuple[int, int, int]]]


class MoveTables(NamedTuple):
    """The transition system as lookup tables: state 0 is "no open entity", state k the
    k-th label open."""

    valid: np.ndarray  # bool (states, token codes, moves)
    next_state: np.ndarray  # int (states, moves)
    opens: np.ndarray  # bool (moves,): Begin or Unit
    closes: np.ndarray  # bool (moves,): Last or Unit
    label_ids: np.ndarray  # uint64 (moves,): the move's entity label (string id)

    @classmethod
    def of(cls, move_names: Sequence[str], label_id: Callable[[str], int]) -> MoveTables | None:
        """Tables for spaCy's BILUO moves named ``B-LABEL``, ``I-``, ``L-``, ``U-``, ``O``;
        None for a move this does not know."""
        kinds, labels = [], []
        for name in move_names:
            kind, dash, label = name.partition("-")
            if not (name == _OUT or (kind in (_BEGIN, _IN, _LAST, _UNIT) and dash)):
                return None
            kinds.append(kind)
            labels.append(label)
        names = sorted({label for label in labels if label})
        state_of = {label: index + 1 for index, label in enumerate(names)}
        n_moves, n_states = len(move_names), len(names) + 1
        valid = np.zeros((n_states, 8, n_moves), dtype=bool)
        next_state = np.zeros((n_states, n_moves), dtype=np.int64)
        for move, (kind, label) in enumerate(zip(kinds, labels, strict=True)):
            target = state_of.get(label, 0)
            for state in range(n_states):
                next_state[state, move] = target if kind in (_BEGIN, _IN) else 0
                for code in range(8):
                    valid[state, code, move] = _is_valid(kind, target, state, code)
        return cls(
            valid=valid,
            next_state=next_state,
            opens=np.array([k in (_BEGIN, _UNIT) for k in kinds]),
            closes=np.array([k in (_LAST, _UNIT) for k in kinds]),
            label_ids=np.array([label_id(label) if label else 0 for label in labels], dtype=np.uint64),
        )


def _is_valid(kind: str, label: int, state: int, code: int) -> bool:
    """spaCy's ``ner.pyx`` validity rules for a doc without preset entities."""
    is_open = state != 0
    is_last = bool(code & _IS_LAST)
    if kind == _OUT:
        return not is_open
    if label == 0:  # U- with no label: only for preset blocked tokens
        return False
    if kind == _BEGIN:
        return not (is_open or is_last or code & _NEXT_STARTS_SENTENCE or code & _IS_SPACE)
    if kind == _IN:
        return is_open and not is_last and state == label and not code & _NEXT_STARTS_SENTENCE
    if kind == _LAST:
        return is_open and state == label
    return not (is_open or code & _IS_SPACE)  # Unit


def token_codes(doc: Doc) -> np.ndarray:
    """Per token, the facts the moves' validity reads (``_IS_LAST`` and friends)."""
    codes = np.zeros(len(doc), dtype=np.int64)
    if not len(doc):
        return codes
    facts = doc.to_array(["IS_SPACE", "SENT_START"]).astype(np.int64)
    codes[-1] |= _IS_LAST
    codes[:-1] |= np.where(facts[1:, 1] == 1, _NEXT_STARTS_SENTENCE, 0)
    codes |= np.where(facts[:, 0] != 0, _IS_SPACE, 0)
    return codes


def decode(
    model: Model, docs: Sequence[Doc], tables: MoveTables, unseen_classes: Sequence[int]
) -> list[list[tuple[int, int, int]]]:
    """spaCy's greedy parse of ``docs`` (``Parser.greedy_parse`` with ``_parseC``) in numpy."""
    tok2vec, lower, upper = model.layers[0], model.layers[1], model.layers[-1]
    lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
    features = lower.predict(tok2vec.predict(docs))  # (tokens + 1, nF, nO, nP); row 0 pads
    bias = lower.get_param("b")
    weights, output_bias = upper.get_param("W"), np.asarray(upper.get_param("b"))
    seen = np.ones(weights.shape[0], dtype=bool)
    seen[list(unseen_classes)] = False
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    codes = np.concatenate([token_codes(doc) for doc in docs]) if lengths.sum() else np.zeros(0, np.int64)
    state = np.zeros(len(docs), dtype=np.int64)
    start = np.zeros(len(docs), dtype=np.int64)  # the open entity's first token (global)
    moves = np.zeros(int(lengths.sum()), dtype=np.int64)
    for step in range(int(lengths.max(initial=0))):
        active = np.flatnonzero(lengths > step)
        token = offsets[active] + step
        is_open = state[active] != 0
        hidden = features[token + 1, 0]
        hidden = hidden + features[np.where(is_open, start[active] + 1, 0), 1]
        hidden = hidden + features[np.where(is_open, token, 0), 2]
        hidden = _maxout(hidden + bias)
        scores = np.zeros((len(active), weights.shape[0]), dtype=np.float32)
        blis.py.gemm(hidden, weights, out=scores, trans2=True, beta=0.0)
        scores += output_bias
        if not seen.all():
            scores[:, ~seen] = scores.min()
        valid = tables.valid[state[active], codes[token]]
        chosen = np.where(valid, scores, -np.inf).argmax(axis=1)
        moves[token] = chosen
        start[active] = np.where(tables.opens[chosen] & ~tables.closes[chosen], token, start[active])
        state[active] = tables.next_state[state[active], chosen]
    return _spans(moves, offsets, lengths, tables)


def _maxout(pieces: np.ndarray) -> np.ndarray:
    """The largest of the last axis's pieces (numpy's ``max`` over a short axis is slow)."""
    best = pieces[..., 0]
    for piece in range(1, pieces.shape[-1]):
        best = np.maximum(best, pieces[..., piece])
    return np.ascontiguousarray(best)


def _spans(
    moves: np.ndarray, offsets: np.ndarray, lengths: np.ndarray, tables: MoveTables
) -> list[list[tuple[int, int, int]]]:
    """Each doc's entities from its moves: a span runs from an opening move to a closing one."""
    starts = np.flatnonzero(tables.opens[moves])
    ends = np.flatnonzero(tables.closes[moves]) + 1
    labels = tables.label_ids[moves[starts]]
    doc_of = np.searchsorted(offsets, starts, side="right") - 1
    spans: list[list[tuple[int, int, int]]] = [[] for _ in lengths]
    for doc, begin, end, label in zip(
        doc_of.tolist(), starts.tolist(), ends.tolist(), labels.tolist(), strict=True
    ):
        spans[doc].append((begin - int(offsets[doc]), end - int(offsets[doc]), label))
    return spans


class FastEntityRecognizer(EntityRecognizer):
    """spaCy's EntityRecognizer; greedy prediction without preset entities runs :func:`decode`."""

    def predict(self, docs: Any) -> Any:
        if isinstance(docs, Doc):
            docs = [docs]
        tables = self._tables()
        if (
            tables is None
            or self.cfg.get("beam_width", 1) != 1
            or not any(len(doc) for doc in docs)
            or any(doc.to_array("ENT_IOB").any() for doc in docs)
        ):
            return super().predict(docs)
        self._ensure_labels_are_added(docs)
        return GreedyEntities(decode(self.model, docs, tables, self.model.attrs.get("unseen_classes", ())))

    def set_annotations(self, docs: Any, states_or_beams: Any) -> None:
        if not isinstance(states_or_beams, GreedyEntities):
            super().set_annotations(docs, states_or_beams)
            return
        for doc, spans in zip(docs, states_or_beams.spans, strict=True):  # no presets: the rest is O
            doc.set_ents(
                [Span(doc, start, end, label=label) for start, end, label in spans], default="outside"
            )

    def _tables(self) -> MoveTables | None:
        """The move tables, rebuilt when the moves change (labels added in training)."""
        names = tuple(self.moves.get_class_name(i) for i in range(self.moves.n_moves))
        cached = getattr(self, "_move_tables", None)
        if cached is None or cached[0] != names:
            layers = self.model.layers
            # The three NER state features (token, entity start, previous token) only:
            # ``extra_state_tokens`` adds three more, which spaCy's code decodes.
            usable = (
                len(layers) == 3 and self.model.attrs.get("has_upper", False) and layers[1].get_dim("nF") == 3
            )
            tables = MoveTables.of(names, self.vocab.strings.add) if usable else None
            self._move_tables = (names, tables)
        return self._move_tables[1]


@Language.factory(
    FACTORY,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_fast_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: Any,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
) -> FastEntityRecognizer:
    """spaCy's ``ner`` factory, with :class:`FastEntityRecognizer` in place of its class."""
    return FastEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )
