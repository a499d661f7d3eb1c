"""The shipped event classifier: a spaCy component around a scikit-learn model, saved with the pipeline.

TF-IDF over the project's tokens and character n-grams (and, where cross-validation
keeps them, counts of the guideline's cue words) feed one-vs-rest logistic regression.
Its probabilities can be mixed with the spaCy textcat's scores (``textcat_weight``);
the per-category thresholds chosen by cross-validation travel inside the component,
so `extract`, the MLflow model and the wheel all decide the same way.

Registered as the factory ``thaievents_events`` (entry point ``spacy_factories``).
At inference the n-gram counts come from :class:`ExactCounts` (numpy lookups over a
whole batch) instead of scikit-learn's per-n-gram Python loop; the counts are the same
integers, and scikit-learn's own TF-IDF weighting and classifier run on them, so the
scores are the same floats (tests/unit/test_events_counts.py).

The module imports only spaCy, scikit-learn (with its numpy and scipy) and the standard
library, and the fitted model holds only scikit-learn classes, so a packaged model can
bundle this file.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

EVENT_LABELS = ("CRACKDOWN", "INTEL_SHARING", "VICTIM_ASSISTANCE", "DIPLOMATIC_FORUM")
FACTORY = "thaievents_events"
_MODEL_FILE = "model.pkl"
_SETTINGS_FILE = "settings.json"


def model_input(doc: Doc) -> str:
    """What the scikit-learn model reads: the non-space tokens, lower-cased, joined by spaces."""
    return " ".join(token.text.lower() for token in doc if not token.is_space)


class EventClassifier:
    """Sets ``doc.cats`` to event scores; ``thresholds`` turn them into decisions."""

    def __init__(
        self,
        name: str = FACTORY,
        textcat_weight: float = 0.0,
        labels: Sequence[str] = EVENT_LABELS,
    ) -> None:
        self.name = name
        self.textcat_weight = float(textcat_weight)
        self.labels = tuple(labels)
        self.model: Any = None
        self.thresholds: dict[str, float] = dict.fromkeys(self.labels, 0.5)
        # How events become records (thaievents.records): the PLOVER/CAMEO crosswalk table
        # and the role linker chosen on dev; carried here so a saved pipeline codes alike.
        self.crosswalk: dict[str, Any] | None = None
        self.linker: str = "nearest"
        self._scorer: ExactScorer | None = None  # built from the model on first use

    def __getstate__(self) -> dict[str, Any]:
        """Pickle (spaCy's spawned workers) without the lookup tables; a worker rebuilds them."""
        return {**self.__dict__, "_scorer": None}

    def set_coding(self, crosswalk: dict[str, Any], linker: str) -> None:
        """Install the crosswalk table (configs/event_crosswalk.yaml) and the role linker's name."""
        self.crosswalk = crosswalk
        self.linker = linker

    def set_model(self, model: Any, thresholds: dict[str, float], textcat_weight: float) -> None:
        """Install a fitted scikit-learn model (``predict_proba`` on :func:`model_input` strings)."""
        self.model = model
        self._scorer = None
        self.thresholds = {label: float(thresholds[label]) for label in self.labels}
        self.textcat_weight = float(textcat_weight)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Score docs in batches: one ``predict_proba`` call per batch."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        if self.model is None:
            raise ValueError(f"{self.name}: no fitted model; train the pipeline first")
        if self._scorer is None:
            self._scorer = ExactScorer(self.model)
        probabilities = self._scorer.predict_proba([model_input(doc) for doc in docs])
        weight = self.textcat_weight
        for doc, row in zip(docs, probabilities, strict=True):
            textcat = dict(doc.cats)
            doc.cats = {
                label: float(weight * textcat.get(label, 0.0) + (1 - weight) * row[index])
                for index, label in enumerate(self.labels)
            }
        return docs

    def decide(self, doc: Doc) -> list[str]:
        """The categories whose score reaches their threshold, in label order."""
        return [label for label in self.labels if doc.cats.get(label, 0.0) >= self.thresholds[label]]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        # Protocol fixed so the bytes do not depend on the Python that wrote them.
        (folder / _MODEL_FILE).write_bytes(pickle.dumps(self.model, protocol=4))
        settings = {
            "labels": list(self.labels),
            "thresholds": self.thresholds,
            "textcat_weight": self.textcat_weight,
            "crosswalk": self.crosswalk,
            "linker": self.linker,
        }
        (folder / _SETTINGS_FILE).write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EventClassifier:
        folder = Path(path)
        settings = json.loads((folder / _SETTINGS_FILE).read_text(encoding="utf-8"))
        self.labels = tuple(settings["labels"])
        self.thresholds = {k: float(v) for k, v in settings["thresholds"].items()}
        self.textcat_weight = float(settings["textcat_weight"])
        self.crosswalk = settings.get("crosswalk")
        self.linker = str(settings.get("linker", "nearest"))
        self.model = pickle.loads((folder / _MODEL_FILE).read_bytes())
        self._scorer = None
        return self


class ExactScorer:
    """``model.predict_proba`` of a fitted TF-IDF pipeline, its n-grams counted with numpy.

    scikit-learn's vectorizers build every n-gram as a Python string and look it up in a
    dict, one at a time: 0.8 s of the 1 s the classifier spends on the corpus. Here each
    vectorizer of the ``FeatureUnion`` gets an :class:`ExactCounts` where its settings
    allow one (other settings, or another model shape, fall back to scikit-learn), and
    the weighting, the stacking and the classifier are scikit-learn's own.
    """

    def __init__(self, model: Any) -> None:
        from sklearn.pipeline import FeatureUnion, Pipeline

        self.model = model
        self.counters: list[ExactCounts | None] | None = None
        if (
            isinstance(model, Pipeline)
            and len(model.steps) == 2
            and isinstance(model.steps[0][1], FeatureUnion)
            and model.steps[0][1].transformer_weights is None
        ):
            self.counters = [ExactCounts.of(v) for _, v in model.steps[0][1].transformer_list]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if self.counters is None or not texts:
            return np.asarray(self.model.predict_proba(texts))
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer

        blocks = []
        union = self.model.steps[0][1]
        for (_, vectorizer), counter in zip(union.transformer_list, self.counters, strict=True):
            if counter is None:
                blocks.append(vectorizer.transform(texts))
                continue
            counts = counter(texts)
            if isinstance(vectorizer, TfidfVectorizer):  # what TfidfVectorizer.transform does next
                counts = vectorizer._tfidf.transform(counts, copy=False)
            blocks.append(counts)
        features = sp.hstack(blocks).tocsr()  # FeatureUnion's stacking of sparse blocks
        return np.asarray(self.model.steps[1][1].predict_proba(features))


class ExactCounts:
    """The count matrix a fitted ``CountVectorizer``/``TfidfVectorizer`` would build, from numpy lookups.

    Character n-grams walk a dense prefix table: the state after k characters is a
    prefix of some vocabulary n-gram, so each of the text's positions costs one array
    lookup per length. Word unigrams are one dict lookup per token; word bigrams are
    pairs of unigram columns found by binary search. Counts are summed per (row,
    column) in CSR order with sorted columns, as scikit-learn's are.
    """

    # Tables larger than this many cells (int32) are not built; scikit-learn counts instead.
    MAX_TABLE_CELLS = 20_000_000

    def __init__(self, vectorizer: Any, match: Any) -> None:
        self.vectorizer = vectorizer
        self.columns = len(vectorizer.vocabulary_)
        self.match = match
        self.prepare = vectorizer.build_preprocessor()
        self.binary = bool(vectorizer.binary)

    @classmethod
    def of(cls, vectorizer: Any) -> ExactCounts | None:
        """Counts for this vectorizer, or None where its settings are not the ones handled here."""
        from sklearn.feature_extraction.text import CountVectorizer

        if not isinstance(vectorizer, CountVectorizer) or vectorizer.input != "content":
            return None
        if not getattr(vectorizer, "vocabulary_", None):
            return None
        low, high = vectorizer.ngram_range
        if vectorizer.analyzer == "char":
            table = _CharTable.of(vectorizer.vocabulary_, cls.MAX_TABLE_CELLS)
            return None if table is None else cls(vectorizer, table.matcher(low, high))
        if (
            vectorizer.analyzer == "word"
            and vectorizer.stop_words is None
            and (low, high) in ((1, 1), (1, 2))
        ):
            words = _WordTable.of(vectorizer.vocabulary_, vectorizer.build_tokenizer(), bigrams=high == 2)
            return None if words is None else cls(vectorizer, words.match)
        return None

    def __call__(self, texts: list[str]) -> Any:
        import scipy.sparse as sp

        rows, columns = self.match([self.prepare(self.vectorizer.decode(text)) for text in texts])
        keys, counts = np.unique(rows * self.columns + columns, return_counts=True)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys // self.columns, minlength=len(texts)), out=indptr[1:])
        values = np.ones(len(keys)) if self.binary else counts
        matrix = sp.csr_matrix(
            (
                values.astype(self.vectorizer.dtype),
                (keys % self.columns).astype(np.int32),
                indptr.astype(np.int32),
            ),
            shape=(len(texts), self.columns),
        )
        matrix.has_sorted_indices = True
        return matrix


class _CharTable:
    """Character n-grams of a vocabulary as a trie in dense arrays (one row per prefix)."""

    def __init__(self, vocabulary: dict[str, int], alphabet: list[str], prefixes: list[list[str]]) -> None:
        """``prefixes[n - 1]``: the sorted distinct prefixes of length n of the vocabulary's n-grams."""
        self.width = len(alphabet)
        self.char_ids = np.full(0x110000, -1, dtype=np.int32)
        self.char_ids[[ord(c) for c in alphabet]] = np.arange(self.width, dtype=np.int32)
        char_id = {c: i for i, c in enumerate(alphabet)}
        longest = len(prefixes)
        state = [{prefix: i for i, prefix in enumerate(level)} for level in prefixes]
        # columns[n - 1][s]: the vocabulary column of prefix s of length n, or -1
        self.columns = [
            np.array([vocabulary.get(p, -1) for p in level], dtype=np.int64) for level in prefixes
        ]
        self.first = np.full(self.width, -1, dtype=np.int32)
        for prefix, s in state[0].items():
            self.first[char_id[prefix]] = s
        # following[n - 1][s * width + c]: the prefix of length n + 1 that prefix s and character c make
        self.following = []
        for n in range(1, longest):
            table = np.full(len(prefixes[n - 1]) * self.width, -1, dtype=np.int32)
            parents = np.array([state[n - 1][p[:-1]] for p in prefixes[n]], dtype=np.int64)
            last = np.array([char_id[p[-1]] for p in prefixes[n]], dtype=np.int64)
            table[parents * self.width + last] = np.arange(len(prefixes[n]), dtype=np.int32)
            self.following.append(table)

    @classmethod
    def of(cls, vocabulary: dict[str, int], max_cells: int) -> _CharTable | None:
        alphabet = sorted({c for gram in vocabulary for c in gram})
        longest = max(map(len, vocabulary))
        prefixes = [sorted({g[:n] for g in vocabulary if len(g) >= n}) for n in range(1, longest + 1)]
        cells = sum(map(len, prefixes[:-1])) * len(alphabet)  # the tables of following prefixes
        return None if cells > max_cells else cls(vocabulary, alphabet, prefixes)

    def matcher(self, low: int, high: int) -> Any:
        return lambda texts: self.match(texts, low, high)

    def match(self, texts: list[str], low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every vocabulary n-gram occurrence, lengths ``low`` to ``high``."""
        from sklearn.feature_extraction.text import CountVectorizer

        # The analyzer's own whitespace rule: runs of two or more become one space.
        texts = [CountVectorizer._white_spaces.sub(" ", text) for text in texts]
        top = min(high, len(self.columns))
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        # One string for the batch; the character after each text (and the padding) matches nothing.
        joined = "\x00".join(texts) + "\x00" * (top + 1)
        chars = self.char_ids[np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)]
        chars[np.cumsum(lengths + 1) - 1] = -1
        chars[-(top + 1) :] = -1
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)
        positions = np.flatnonzero(chars >= 0)
        states = self.first[chars[positions]]
        found_rows, found_columns = [], []
        for n in range(1, top + 1):
            kept = states >= 0
            positions, states = positions[kept], states[kept]
            if n >= low:
                columns = self.columns[n - 1][states]
                hit = columns >= 0
                found_rows.append(row_of[positions[hit]])
                found_columns.append(columns[hit])
            if n == top:
                break
            nexts = chars[positions + n]
            kept = nexts >= 0
            positions = positions[kept]
            states = self.following[n - 1][states[kept].astype(np.int64) * self.width + nexts[kept]]
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_rows), np.concatenate(found_columns)


class _WordTable:
    """Word unigrams by dict, bigrams as sorted pairs of unigram columns."""

    def __init__(
        self, unigrams: dict[str, int], bigrams: np.ndarray | None, bigram_columns: np.ndarray, tokenize: Any
    ) -> None:
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.bigram_columns = bigram_columns
        self.tokenize = tokenize
        self.size = max(unigrams.values(), default=0) + 1

    @classmethod
    def of(cls, vocabulary: dict[str, int], tokenize: Any, bigrams: bool) -> _WordTable | None:
        """None where an entry is neither a token nor two vocabulary tokens joined by one space."""
        unigrams = {term: column for term, column in vocabulary.items() if not any(c.isspace() for c in term)}
        size = max(unigrams.values(), default=0) + 1
        pairs: list[tuple[int, int]] = []
        for term, column in vocabulary.items():
            if term in unigrams:
                continue
            parts = term.split(" ")
            if not bigrams or len(parts) != 2 or parts[0] not in unigrams or parts[1] not in unigrams:
                return None
            pairs.append((unigrams[parts[0]] * size + unigrams[parts[1]], column))
        pairs.sort()
        codes = np.array([code for code, _ in pairs], dtype=np.int64)
        columns = np.array([column for _, column in pairs], dtype=np.int64)
        return cls(unigrams, codes if bigrams else None, columns, tokenize)

    def match(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        tokens = [self.tokenize(text) for text in texts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        get = self.unigrams.get
        ids = np.fromiter(
            (get(t, -1) for words in tokens for t in words), dtype=np.int64, count=int(lengths.sum())
        )
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        known = ids >= 0
        rows, columns = [row_of[known]], [ids[known]]
        if self.bigrams is not None and len(self.bigrams) and len(ids) > 1:
            starts = np.flatnonzero((row_of[:-1] == row_of[1:]) & known[:-1] & known[1:])
            codes = ids[starts] * self.size + ids[starts + 1]
            at = np.minimum(np.searchsorted(self.bigrams, codes), len(self.bigrams) - 1)
            hit = self.bigrams[at] == codes
            rows.append(row_of[starts[hit]])
            columns.append(self.bigram_columns[at[hit]])
        return np.concatenate(rows), np.concatenate(columns)


@Language.factory(FACTORY, default_config={"textcat_weight": 0.0})
def make_event_classifier(nlp: Language, name: str, textcat_weight: float) -> EventClassifier:
    """spaCy factory: an unfitted classifier; `train` fits it and saves it with the pipeline."""
    return EventClassifier(name=name, textcat_weight=textcat_weight)


def event_thresholds(nlp: Language) -> dict[str, float]:
    """The shipped decision thresholds of a pipeline (0.5 each when it has no event component)."""
    if FACTORY in nlp.pipe_names:
        component = nlp.get_pipe(FACTORY)
        if isinstance(component, EventClassifier):
            return dict(component.thresholds)
    return dict.fromkeys(EVENT_LABELS, 0.5)
