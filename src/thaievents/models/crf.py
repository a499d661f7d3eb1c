"""CRF peer for the ThaiNER benchmark: PyThaiNLP-style token features + CRFsuite.

Features: the word and its neighbours (±2), prefixes and suffixes, Thai/Latin/digit
character classes, and membership in PyThaiNLP's bundled lists of given names,
family names, countries and provinces. BIO tags, entity-level exact-match scoring.
"""

from __future__ import annotations

from collections.abc import Sequence

from thaievents.data.thainer import Sentence, entity_spans

# One definition of the character classes and the lists, shared with the NER's features.
from thaievents.nlp.features import _DIGIT, _LATIN, _THAI, lexicons

GAZETTEERS = ("given", "family", "country", "province")


def _word_features(word: str, prefix: str) -> dict[str, object]:
    features: dict[str, object] = {
        f"{prefix}w": word.lower(),
        f"{prefix}space": word.isspace(),
    }
    if prefix == "":
        features.update(
            {
                "p1": word[:1],
                "p2": word[:2],
                "p3": word[:3],
                "s1": word[-1:],
                "s2": word[-2:],
                "s3": word[-3:],
                "thai": bool(_THAI.search(word)),
                "latin": bool(_LATIN.search(word)),
                "digit": bool(_DIGIT.search(word)),
                "upper": word[:1].isupper(),
                "len": min(len(word), 10),
                "dot": "." in word,
            }
        )
        lists = lexicons()
        for name in GAZETTEERS:
            if word in lists[name]:
                features[f"dict_{name}"] = True
    return features


def sentence_features(tokens: Sequence[str]) -> list[dict[str, object]]:
    """One feature dict per token, with a window of two tokens on each side."""
    rows = []
    for index, word in enumerate(tokens):
        features = {"bias": 1.0, **_word_features(word, "")}
        for offset in (-2, -1, 1, 2):
            position = index + offset
            if 0 <= position < len(tokens):
                features.update(_word_features(tokens[position], f"{offset:+d}:"))
            else:
                features[f"{offset:+d}:edge"] = True
        rows.append(features)
    return rows


def mapped_tags(sentence: Sentence) -> list[str]:
    """BIO tags with only the project's labels (others become O)."""
    tags = ["O"] * len(sentence.tokens)
    for start, end, label in entity_spans(sentence.tokens, sentence.tags):
        tags[start] = f"B-{label}"
        for index in range(start + 1, end):
            tags[index] = f"I-{label}"
    return tags


def train_crf(sentences: Sequence[Sentence], c1: float = 0.1, c2: float = 0.1, max_iterations: int = 200):
    """Fit a CRF (L-BFGS, elastic net) on ThaiNER sentences."""
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations, all_possible_transitions=True
    )
    crf.fit([sentence_features(s.tokens) for s in sentences], [mapped_tags(s) for s in sentences])
    return crf


def predict_spans(crf, sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]]]:
    """Predicted (start token, end token, label) spans per sentence."""
    predicted = crf.predict([sentence_features(s.tokens) for s in sentences])
    return [list(entity_spans(s.tokens, tags)) for s, tags in zip(sentences, predicted, strict=True)]
