"""Thai text normalisation and the project's spaCy tokenizer (newmm + domain words).

Normalisation runs once, before annotation: it changes offsets, so it is never
applied to annotated text. The tokenizer is registered with spaCy as
``thaievents.ThaiTokenizer.v1``; its domain dictionary is read at
``initialize`` time and saved inside the model, so a saved pipeline loads
anywhere this package is installed, without the ``configs/`` folder.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import srsly
from pythainlp import (
    thai_above_vowels,
    thai_below_vowels,
    thai_follow_vowels,
    thai_lead_vowels,
    thai_tonemarks,
)
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie
from pythainlp.util import normalize as thai_normalize
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WHITESPACE_RUN = re.compile(r"\s+")

# Characters always split off a token: brackets and quotes are never inside an entity.
_ALWAYS_SPLIT = set("()[]{}<>\"'‘’“”«»;!?…")
# Characters split off only where they sit at the edge of a Latin/digit run
# ("FBI-", "2568.", "AIS,"), kept inside "13.47", "5,000" and Thai abbreviations ("ต.ค.").
_EDGE_SPLIT = set(".,:-/–—")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9\u0e50-\u0e59]")
# Where pythainlp's normalize can change a text, one alternative per rule (each a superset
# of the rule's own pattern): a leading or trailing space, zero-width characters, double
# spaces or a line break; a space or the start before a combining mark (dangling marks);
# Sara E twice; a tone mark or Thanthakhat before an above/below vowel; Nikhahit ... Sara
# Aa; a following vowel before a tone mark; Lakkhangyao; a vowel or sign repeated across
# spaces; two tone marks in a row. A text that matches none comes back unchanged.
_SIGNS = "\u0e3a\u0e4c\u0e4d\u0e4e"  # Phinthu, Thanthakhat, Nikhahit, Yamakkan
_MARKS = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}{_SIGNS}"
_NO_REPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}{_SIGNS}"
_THAI_RULE_MAY_APPLY = re.compile(
    "|".join(
        [
            r"^\s",
            r"\s$",
            "[\u200b\u200c]",
            "  ",
            "\n",
            f"^[{_MARKS}]",
            f" [{_MARKS}]",
            "\u0e40\u0e40",
            f"[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]",
            f"\u0e4d[{thai_tonemarks}]*\u0e32",
            f"[{thai_follow_vowels}][{thai_tonemarks}]",
            "\u0e45",
            f"([{_NO_REPEAT}]) *\\1",
            f"[{thai_tonemarks}][{thai_tonemarks}]",
        ]
    )
)
_NEEDS_SPLIT = re.compile("[" + re.escape("".join(sorted(_ALWAYS_SPLIT | _EDGE_SPLIT))) + r"\s]")


def normalize_text(text: str) -> str:
    """Normalise one paragraph: NFC, no zero-width characters or BOM, Thai fixes.

    Runs of spaces collapse to one and the paragraph is stripped; line breaks
    inside a paragraph become spaces (a paragraph is one line by definition).
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _WHITESPACE_RUN.sub(" ", text)
    text = thai_normalize_quickly(text)
    return text.strip()


def thai_normalize_quickly(text: str) -> str:
    """pythainlp's ``normalize``, skipped where none of its rules can apply (most news paragraphs).

    Its rules are some 35 regular-expression passes over the text: 0.39 s of a pass over
    the 2,743 gold paragraphs, where the one search here takes 0.02 s. The result is
    the same string (tests/unit/test_text.py compares the two on generated text).
    """
    if _THAI_RULE_MAY_APPLY.search(text) is None:
        return text
    return thai_normalize(text)


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """:func:`normalize_text`, plus where each normalised character came from.

    Returns ``(normalised, starts, ends)``: the normalised character ``j`` comes from
    ``text[starts[j]:ends[j]]``. A span ``[s, e)`` of the normalised text is therefore
    ``text[starts[s]:ends[e - 1]]`` in the caller's string. There is one normalisation
    (the one the annotations went through); this walks it back onto the original:
    normalising only drops characters (zero-width ones, extra spaces, repeated marks),
    turns space-like ones into a space, and reorders a few Thai marks, so a greedy walk
    keeps every offset inside the original and in order.
    """
    normalised = normalize_text(text)
    starts: list[int] = []
    position = 0
    last = max(len(text) - 1, 0)
    for char in normalised:
        found = _next_match(text, position, char)
        if found is None:  # a mark normalisation moved or merged: it belongs to the character before
            starts.append(starts[-1] if starts else min(position, last))
            continue
        starts.append(found)
        position = found + 1
    ends = [start + 1 for start in starts]
    return normalised, starts, ends


_LOOKAHEAD = 8


def _matches(original: str, char: str) -> bool:
    return original == char or (char == " " and original.isspace())


def _next_match(text: str, position: int, char: str) -> int | None:
    """Where ``char`` continues in ``text``, skipping only what normalisation drops:
    invisible characters, whitespace and Thai vowels and marks (repeated or reordered)."""
    for index in range(position, min(position + _LOOKAHEAD, len(text))):
        if _matches(text[index], char):
            return index
        skipped = text[index]
        if not (_INVISIBLE.match(skipped) or skipped.isspace() or "\u0e30" <= skipped <= "\u0e4e"):
            return None
    return None


def read_word_list(path: Path) -> list[str]:
    """Read a dictionary file: one entry per line, ``#`` starts a comment.

    A plain entry adds a word to newmm's dictionary; an entry ``-word`` removes a
    word from it (compounds such as ตลอดปี that glue a function word to a name).
    """
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(normalize_text(word))
    return words


def build_trie(domain_words: Iterable[str]) -> Trie:
    """newmm's dictionary with the domain entries applied (cached per distinct word list)."""
    return _build_trie(tuple(sorted(set(domain_words))))


@lru_cache(maxsize=8)
def _build_trie(entries: tuple[str, ...]) -> Trie:
    added = {e for e in entries if not e.startswith("-")}
    removed = {e[1:] for e in entries if e.startswith("-")}
    return Trie((set(thai_words()) | added) - removed)


def _split_punctuation(token: str) -> Iterator[str]:
    """Split ASCII punctuation and quotes off a newmm token ("(ACSC)" → "(", "ACSC", ")")."""
    pieces: list[str] = []
    current = ""
    for char in token:
        if char in _ALWAYS_SPLIT:
            if current:
                pieces.append(current)
            pieces.append(char)
            current = ""
        else:
            current += char
    if current:
        pieces.append(current)
    for piece in pieces:
        yield from _split_edges(piece)


def _split_edges(piece: str) -> Iterator[str]:
    """Split edge punctuation off a piece when its neighbour is Latin or a digit."""
    start, end = 0, len(piece)
    while start < end - 1 and piece[start] in _EDGE_SPLIT and _LATIN_OR_DIGIT.match(piece[start + 1]):
        start += 1
    trailing: list[str] = []
    while end - 1 > start and piece[end - 1] in _EDGE_SPLIT and _LATIN_OR_DIGIT.match(piece[end - 2]):
        trailing.append(piece[end - 1])
        end -= 1
    yield from piece[:start]
    if start < end:
        yield piece[start:end]
    yield from reversed(trailing)


def tokenize_words(text: str, domain_words: Iterable[str] = (), trie: Trie | None = None) -> list[str]:
    """Tokenize Thai text into words; whitespace runs are tokens of their own.

    The concatenation of the returned words is exactly ``text``. Pass a prebuilt
    ``trie`` (see :func:`build_trie`) on hot paths.
    """
    if trie is None:
        trie = build_trie(domain_words)
    words: list[str] = []
    for token in word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True):
        if not token:
            continue
        if token.isspace():
            words.append(token)
            continue
        if not _NEEDS_SPLIT.search(token):  # fast path: most Thai tokens
            words.append(token)
            continue
        # newmm may glue a space inside a non-Thai run; keep whitespace separate.
        for part in re.split(r"(\s+)", token):
            if not part:
                continue
            if part.isspace():
                words.append(part)
            else:
                words.extend(_split_punctuation(part))
    return words


class ThaiTokenizer:
    """spaCy tokenizer: PyThaiNLP newmm with the project's domain dictionary."""

    def __init__(self, vocab: Vocab, domain_words: Iterable[str] = ()) -> None:
        self.vocab = vocab
        self.domain_words = domain_words

    @property
    def domain_words(self) -> tuple[str, ...]:
        return self._domain_words

    @domain_words.setter
    def domain_words(self, words: Iterable[str]) -> None:
        self._domain_words = tuple(sorted(set(words)))
        self._trie = build_trie(self._domain_words)

    def __call__(self, text: str) -> Doc:
        words = tokenize_words(text, trie=self._trie)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # Annotations here are evaluated at runtime: spaCy validates initialize()
    # arguments with pydantic, which needs real types rather than strings.
    def initialize(
        self,
        get_examples: Callable | None = None,
        *,
        nlp: Any | None = None,
        dictionary_path: str | None = None,
    ) -> None:
        """Load the domain dictionary (``[initialize.tokenizer] dictionary_path``)."""
        if dictionary_path is not None:
            self.domain_words = tuple(sorted(set(read_word_list(Path(dictionary_path)))))

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"domain_words": list(self.domain_words)})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "ThaiTokenizer":
        self.domain_words = tuple(srsly.msgpack_loads(data)["domain_words"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "domain_words.json", list(self.domain_words))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ThaiTokenizer":
        self.domain_words = tuple(srsly.read_json(Path(path) / "domain_words.json"))
        return self


@registry.tokenizers("thaievents.ThaiTokenizer.v1")
def create_thai_tokenizer() -> Callable[[Language], ThaiTokenizer]:
    """Registered factory; the dictionary arrives through ``initialize``."""

    def make_tokenizer(nlp: Language) -> "ThaiTokenizer":
        return ThaiTokenizer(nlp.vocab)

    return make_tokenizer


def blank_thai(domain_words: Iterable[str] = ()) -> Language:
    """A blank Thai pipeline with the project tokenizer and the given dictionary."""
    import spacy

    nlp = spacy.blank("th", config={"nlp": {"tokenizer": {"@tokenizers": "thaievents.ThaiTokenizer.v1"}}})
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, ThaiTokenizer)
    tokenizer.domain_words = tuple(sorted(set(domain_words)))
    return nlp
