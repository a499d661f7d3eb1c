"""Load a trained pipeline for inference, with the array backend that is fastest on CPU here.

thinc's NumpyOps multiplies matrices with BLIS on one thread by default; with
``use_blis=False`` it hands them to numpy, whose OpenBLAS uses every core. On the
2-core machines of this project that makes the tok2vec 19% faster, and the entities of
all 2,743 gold paragraphs come out the same (README, "Speed"). Worker processes get one
BLAS thread each (:func:`worker_threads`), so two workers do not fight over two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from thinc.api import use_ops


def load_for_inference(path: str | Path, **kwargs: Any) -> Language:
    """spacy.load with numpy-backed matrix products (the loaded model keeps them)."""
    with use_ops("numpy", use_blis=False):
        return spacy.load(path, **kwargs)


@contextmanager
def worker_threads(n_process: int) -> Iterator[None]:
    """With several worker processes, one BLAS thread each; the workers inherit the limit."""
    if n_process == 1:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
