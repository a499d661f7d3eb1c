"""The event component and its cross-validated model: saves with the pipeline, decides by its own
thresholds, never scores an article with a model that saw it, trains to the same bytes."""

import subprocess
import sys

import numpy as np
import pytest
import spacy

from thaievents.data.schema import EVENT_LABELS
from thaievents.models.events import Candidate, build_model, fit_model, out_of_fold_scores, select_model
from thaievents.nlp import events as component_module
from thaievents.nlp.events import FACTORY, EventClassifier, event_thresholds

TEXTS = [
    "ตำรวจ จับกุม ผู้ต้องหา แก๊ง คอลเซ็นเตอร์",
    "ทลาย ศูนย์สแกม ยึด ของกลาง",
    "ส่งกลับ เหยื่อ คนไทย ถึง บ้าน",
    "ช่วยเหลือ เหยื่อ ค้ามนุษย์ ที่พักพิง",
    "ประชุม ทวิภาคี ลงนาม mou",
    "หารือ รัฐมนตรี อาเซียน แถลงการณ์",
    "แลกเปลี่ยนข้อมูล ข่าวกรอง เป้าหมาย",
    "ส่งมอบ ข้อมูลลับ รายชื่อ เป้าหมาย",
] * 3
GOLD = np.array(
    [
        [1, 0, 0, 0],
        [1, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 1, 0, 0],
    ]
    * 3
)
GROUPS = [f"a{i}" for i in range(len(TEXTS))]


def test_labels_match_the_schema() -> None:
    """nlp/events.py repeats the labels so a wheel can bundle it alone; they must not drift."""
    assert component_module.EVENT_LABELS == EVENT_LABELS


def test_component_saves_loads_and_decides_by_its_thresholds(tmp_path) -> None:
    model = fit_model(build_model(Candidate(4.0, False), [], 0), TEXTS, GOLD)
    nlp = spacy.blank("th")
    component = nlp.add_pipe(FACTORY)
    assert isinstance(component, EventClassifier)
    thresholds = {"CRACKDOWN": 0.3, "INTEL_SHARING": 0.4, "VICTIM_ASSISTANCE": 0.5, "DIPLOMATIC_FORUM": 0.6}
    component.set_model(model, thresholds, 0.0)
    before = nlp("ตำรวจ จับกุม ผู้ต้องหา").cats
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert event_thresholds(loaded) == thresholds
    doc = loaded("ตำรวจ จับกุม ผู้ต้องหา")
    assert doc.cats == before and max(doc.cats, key=doc.cats.get) == "CRACKDOWN"
    decided = loaded.get_pipe(FACTORY).decide(doc)
    assert decided == [label for label in EVENT_LABELS if doc.cats[label] >= thresholds[label]]


def test_the_textcat_weight_mixes_scores() -> None:
    model = fit_model(build_model(Candidate(4.0, False), [], 0), TEXTS, GOLD)
    component = EventClassifier()
    component.set_model(model, dict.fromkeys(EVENT_LABELS, 0.5), 0.5)
    doc = spacy.blank("th")("ประชุม ทวิภาคี")
    doc.cats = dict.fromkeys(EVENT_LABELS, 1.0)  # what a textcat before it wrote
    alone = model.predict_proba(["ประชุม ทวิภาคี"])[0]
    mixed = component(doc).cats
    assert [round(mixed[label], 6) for label in EVENT_LABELS] == [round(0.5 + 0.5 * p, 6) for p in alone]


def test_an_unfitted_component_says_so() -> None:
    with pytest.raises(ValueError, match="no fitted model"):
        EventClassifier()(spacy.blank("th")("ข่าว"))


def test_out_of_fold_scores_come_from_models_that_never_saw_the_article() -> None:
    """An article whose text appears nowhere else gets no more than chance from its fold."""
    texts = [*TEXTS, "คำเฉพาะ ไม่ซ้ำ ที่อื่น"]
    gold = np.vstack([GOLD, [[1, 1, 1, 1]]])
    groups = [*GROUPS, "only-here"]
    scores = out_of_fold_scores(Candidate(4.0, False), texts, gold, groups, [], folds=5, seed=0)
    assert scores.shape == gold.shape
    trained_on_it = fit_model(build_model(Candidate(4.0, False), [], 0), texts, gold).predict_proba(
        texts[-1:]
    )
    assert scores[-1].mean() < trained_on_it[0].mean()


def test_selection_reports_every_candidate_and_picks_the_best() -> None:
    candidates = [Candidate(0.01, False), Candidate(8.0, False)]
    chosen = select_model(TEXTS, GOLD, GROUPS, candidates, [], folds=3, seed=0)
    assert [t["candidate"] for t in chosen.tries] == ["tfidf_c0.01", "tfidf_c8"]
    best = max(chosen.tries, key=lambda t: t["cv_macro_f1"])
    assert chosen.best.name == best["candidate"]
    assert set(chosen.thresholds) == set(EVENT_LABELS)


FIT_AND_PICKLE = """
import hashlib, pickle, sys
sys.path.insert(0, {tests!r})
from unit.test_events import TEXTS, GOLD
from thaievents.models.events import Candidate, build_model, fit_model
model = fit_model(build_model(Candidate(4.0, True), ["จับกุม", "เหยื่อ"], 0), TEXTS, GOLD)
print(hashlib.sha256(pickle.dumps(model, protocol=4)).hexdigest())
"""


def test_two_trainings_in_fresh_processes_pickle_to_the_same_bytes() -> None:
    """Hash seed and memory addresses (sklearn caches an id()) must not reach the saved model."""
    from pathlib import Path

    code = FIT_AND_PICKLE.format(tests=str(Path(__file__).resolve().parents[1]))
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1
