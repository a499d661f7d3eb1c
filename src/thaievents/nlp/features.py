"""Thai token features for the tok2vec embedding: what a Thai CRF sees, for spaCy's NER.

spaCy's default lexical attributes suit English: PREFIX is one character and SHAPE
is "xxxx" for every Thai word. This embedding hashes features that carry signal in
Thai news instead: the word, two- and three-character prefixes and suffixes, a
character-class shape, membership in PyThaiNLP's bundled lists (given and family
names, countries, provinces, the word dictionary, stopwords, a corpus-frequency
band), and whether the token starts or continues a span of tokens that spells a
Thai Wikipedia title (longest match). All lists ship inside PyThaiNLP, so nothing is
fetched at run time.

Registered as ``thaievents.ThaiFeatureEmbed.v1`` (entry point ``spacy_architectures``).
The module imports only spaCy, thinc, numpy and PyThaiNLP so that a packaged model can
bundle it as code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.layers.chain import forward as _chain_forward
from thinc.types import Floats2d, Ints2d

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9\u0e50-\u0e59]")
_MAX_TITLE_TOKENS = 8


@lru_cache(maxsize=1)
def lexicons() -> dict[str, frozenset[str]]:
    """PyThaiNLP's bundled word lists by name (the CRF peer reads the first four too)."""
    from pythainlp.corpus import (
        countries,
        provinces,
        thai_family_names,
        thai_female_names,
        thai_male_names,
        thai_stopwords,
        thai_words,
    )

    return {
        "given": frozenset(thai_female_names()) | frozenset(thai_male_names()),
        "family": frozenset(thai_family_names()),
        "country": frozenset(str(c) for c in countries()),
        "province": frozenset(str(p) for p in provinces()),
        "dict": frozenset(thai_words()),
        "stop": frozenset(thai_stopwords()),
    }


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from pythainlp.corpus.tnc import unigram_word_freqs

    return unigram_word_freqs()


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    from pythainlp.corpus import thai_wikipedia_titles

    return frozenset(t for t in thai_wikipedia_titles() if t.strip())


def _char_class(char: str) -> str:
    if _THAI.match(char):
        return "t"
    if _LATIN.match(char):
        return "X" if char.isupper() else "x"
    if _DIGIT.match(char):
        return "d"
    return "s" if char.isspace() else char


def shape(word: str) -> str:
    """Collapsed character classes plus a length band: "tdt|3", "Xx|5", "d.d|4"."""
    classes: list[str] = []
    for char in word:
        kind = _char_class(char)
        if not classes or classes[-1] != kind:
            classes.append(kind)
    return "".join(classes[:6]) + f"|{min(len(word), 12) // 3}"


def lexicon(word: str) -> str:
    """Which bundled lists hold the word, and its frequency band in the Thai National Corpus."""
    found = [name for name, words in lexicons().items() if word in words]
    count = _frequencies().get(word, 0)
    band = min(int(math.log10(count)) + 1, 6) if count else 0
    return "+".join(found) + f"|f{band}"


# One string per token and feature; TITLE is filled per Doc (it looks across tokens).
TOKEN_FEATURES: dict[str, Callable[[str], str]] = {
    "NORM": str.lower,
    "PREFIX2": lambda word: "p2:" + word[:2],
    "PREFIX3": lambda word: "p3:" + word[:3],
    "SUFFIX2": lambda word: "s2:" + word[-2:],
    "SUFFIX3": lambda word: "s3:" + word[-3:],
    "SHAPE": lambda word: "sh:" + shape(word),
    "LEXICON": lambda word: "lx:" + lexicon(word),
}
COLUMNS = (*TOKEN_FEATURES, "TITLE")


@lru_cache(maxsize=500_000)
def _token_hashes(word: str, features: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(hash_string(TOKEN_FEATURES[name](word)) for name in features)


def title_tags(words: Sequence[str]) -> list[str]:
    """Longest-match tags of token runs that spell a Wikipedia title.

    B/I for a run of two or more tokens, S for a single token that is a title but no
    dictionary word, O elsewhere (single dictionary words are titles too often to tell).
    """
    titles, dictionary = _titles(), lexicons()["dict"]
    tags = ["O"] * len(words)
    index = 0
    while index < len(words):
        if words[index].isspace():
            index += 1
            continue
        end = None
        text = ""
        for stop in range(index, min(index + _MAX_TITLE_TOKENS, len(words))):
            text += words[stop]
            if text in titles:
                end = stop + 1
        if end is None or (end == index + 1 and words[index] in dictionary):
            index += 1
            continue
        if end == index + 1:
            tags[index] = "S"
        else:
            tags[index:end] = ["B"] + ["I"] * (end - index - 1)
        index = end
    return tags


_TITLE_HASHES = {tag: hash_string("ti:" + tag) for tag in ("B", "I", "S", "O")}


def doc_features(words: Sequence[str], features: Sequence[str] = COLUMNS) -> list[list[int]]:
    """Hashed feature ids, one row per token and one column per feature name."""
    token_features = tuple(name for name in features if name != "TITLE")
    rows = [list(_token_hashes(word, token_features)) for word in words]
    if "TITLE" in features:
        column = list(features).index("TITLE")
        for row, tag in zip(rows, title_tags(words), strict=True):
            row.insert(column, _TITLE_HASHES[tag])
    return rows


def thai_feature_extractor(features: Sequence[str]) -> Model[list[Doc], list[Ints2d]]:
    """thinc layer: Docs → one uint64 array of feature hashes per Doc."""
    return Model("thai_features", _extract_forward, attrs={"features": tuple(features)})


def _extract_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    """Module-level (not a closure) so the model pickles for ``nlp.pipe(n_process=2)``."""
    features = model.attrs["features"]
    arrays = []
    for doc in docs:
        rows = doc_features([t.text for t in doc], features)
        array = model.ops.asarray2i(rows, dtype="uint64") if rows else model.ops.alloc2i(0, len(features))
        arrays.append(array.reshape((len(rows), len(features))))
    return arrays, _no_gradient  # type: ignore[return-value]


def _embed_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    """Training runs the chain as built. Inference embeds each distinct feature row of a
    batch once and copies it to its tokens (a batch of news holds about 3.5 tokens per
    distinct row): every layer of the embedding works row by row, so the vectors come out
    bit for bit the same (tests/unit/test_features.py) for a fraction of the matrix work."""
    if is_train:
        return _chain_forward(model, docs, is_train)
    extractor, _, embed, mix, _ = model.layers
    features = extractor.predict(docs)
    lengths = [len(array) for array in features]
    if sum(lengths) == 0:
        return [model.ops.alloc2f(0, model.get_dim("nO")) for _ in docs], _no_gradient
    # An empty doc's array may be int32: joined with uint64 ones it would turn the rows to floats.
    rows = numpy.ascontiguousarray(numpy.concatenate([f for f in features if len(f)]), dtype=numpy.uint64)
    keys = rows.view(numpy.dtype((numpy.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = numpy.unique(keys, return_index=True, return_inverse=True)
    vectors = mix.predict(embed.predict(rows[first]))[inverse.ravel()]
    return list(numpy.split(vectors, numpy.cumsum(lengths)[:-1])), _no_gradient  # type: ignore[arg-type]


def _no_gradient(d_features: list) -> list:
    return []


@registry.architectures("thaievents.ThaiFeatureEmbed.v1")
def thai_feature_embed(
    width: int, rows: list[int], features: list[str] | None = None
) -> Model[list[Doc], list[Floats2d]]:
    """Hash-embed each named feature (see :data:`COLUMNS`) and mix them with one Maxout layer.

    The same shape as spaCy's MultiHashEmbed, with Thai features in place of
    NORM/PREFIX/SUFFIX/SHAPE; ``rows`` gives the table size of each feature, and
    ``features`` (default: all of :data:`COLUMNS`) picks and orders them.
    """
    features = list(COLUMNS) if features is None else features
    unknown = sorted(set(features) - set(COLUMNS))
    if unknown:
        raise ValueError(f"ThaiFeatureEmbed: unknown features {unknown}; known: {', '.join(COLUMNS)}")
    if len(rows) != len(features):
        raise ValueError(f"ThaiFeatureEmbed needs one row count per feature: {len(features)} features")
    embeddings: list[Model] = [
        HashEmbed(width, n, column=i, seed=8 + i, dropout=0.0) for i, n in enumerate(rows)
    ]
    model: Model[list[Doc], list[Floats2d]] = chain(
        thai_feature_extractor(features),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
    # Same layers as the plain chain, so every saved model loads; inference deduplicates rows.
    model.replace_callbacks(_embed_forward, init=model.init)
    return model
