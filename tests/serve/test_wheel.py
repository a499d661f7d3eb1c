"""The spaCy wheel installs into a fresh virtualenv (no `thaievents`) and runs on Thai text."""

import subprocess
import sys
from pathlib import Path

import pytest

import thaievents
from thaievents.serve.package import BUNDLED_MODULES, build_wheel

pytestmark = pytest.mark.server

CHECK = """
import importlib.util, json, spacy
assert importlib.util.find_spec("thaievents") is None, "thaievents must not be installed here"
nlp = spacy.load("th_thaievents")
# The NER embedding is the project's own architecture: its code travels inside the wheel.
embed = nlp.config["components"]["tok2vec"]["model"]["embed"]["@architectures"]
assert embed == "thaievents.ThaiFeatureEmbed.v1", embed
assert type(nlp.get_pipe("ner")).__name__ == "FastEntityRecognizer"  # nlp/ner.py travels too
doc = nlp("แก๊งคอลเซ็นเตอร์หลอกเหยื่อ ตำรวจไทยจับสแกมเมอร์ที่ปอยเปต")
print(json.dumps({"tokens": [t.text for t in doc], "cats": sorted(doc.cats)}, ensure_ascii=False))
"""


def test_wheel_runs_in_a_fresh_virtualenv(trained_pipeline: Path, tmp_path: Path) -> None:
    wheel = build_wheel(trained_pipeline / "model" / "model-best", tmp_path / "dist", "thaievents", "0.0.1")
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-c", CHECK], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = __import__("json").loads(run.stdout.strip().splitlines()[-1])
    assert "แก๊งคอลเซ็นเตอร์" in result["tokens"] and "สแกมเมอร์" in result["tokens"]
    assert result["cats"] == ["CRACKDOWN", "DIPLOMATIC_FORUM", "INTEL_SHARING", "VICTIM_ASSISTANCE"]


@pytest.mark.parametrize("module", BUNDLED_MODULES)
def test_bundled_module_imports_the_way_spacy_package_loads_it(module: str) -> None:
    """`spacy package --code` runs each file with spacy.util.import_file: not in sys.modules,
    no thaievents package around it (dataclasses, for one, fail there). In a child process,
    so that the copies' factories stay out of this one's registry."""
    path = Path(thaievents.__file__).parent / module
    code = f"from spacy.util import import_file; import_file('bundled_{path.stem}', {str(path)!r})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
