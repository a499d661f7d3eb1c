"""Load a trained pipeline for inference, with the array backend that is fastest on CPU here.

thinc's NumpyOps multiplies matrices with BLIS on one thread by default; with
``use_blis=False`` it hands them to numpy, whose OpenBLAS uses every core. On the
2-core machines of this project that makes the tok2vec 19% faster, and the entities of
all 2,743 gold paragraphs come out the same (README, "Speed"). Worker processes get one
BLAS thread each (:func:`worker_threads`), so two workers do not fight over two cores:
OpenBLAS re-creates its threads in a forked worker, so the limit is set inside each
worker, by a component that runs first there. A worker sends every Doc back to the
parent serialised; a last component there drops the tok2vec tensor (128 floats a token,
most of those bytes), which nothing after the NER reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import use_ops

ONE_BLAS_THREAD = "thaievents_one_blas_thread"
DROP_TENSOR = "thaievents_drop_tensor"
_limited_in: list[int] = []  # the process ids that have set their limit


def load_for_inference(path: str | Path, **kwargs: Any) -> Language:
    """spacy.load with numpy-backed matrix products (the loaded model keeps them)."""
    with use_ops("numpy", use_blis=False):
        return spacy.load(path, **kwargs)


@Language.component(ONE_BLAS_THREAD)
def one_blas_thread(doc: Doc) -> Doc:
    """First component of a worker's pipeline: one BLAS thread for this process, set once."""
    one_blas_thread_per_process()
    return doc


def one_blas_thread_per_process() -> None:
    """One BLAS (and OpenMP) thread for this process, from now on; set once per process."""
    if os.getpid() not in _limited_in:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        _limited_in.append(os.getpid())


@Language.component(DROP_TENSOR)
def drop_tensor(doc: Doc) -> Doc:
    """Last component of a worker's pipeline: no tensor to pickle back to the parent."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


@contextmanager
def worker_threads(nlp: Language, n_process: int) -> Iterator[None]:
    """While ``nlp.pipe(n_process=...)`` runs with several workers: one BLAS thread in each,
    and Docs come back without their tensor."""
    if n_process == 1:
        yield
        return
    nlp.add_pipe(ONE_BLAS_THREAD, first=True)
    nlp.add_pipe(DROP_TENSOR, last=True)
    try:
        yield
    finally:
        nlp.remove_pipe(DROP_TENSOR)
        nlp.remove_pipe(ONE_BLAS_THREAD)
