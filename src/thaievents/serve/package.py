"""Package the trained pipeline for other services: an MLflow pyfunc model and a spaCy wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from thaievents.data.io import atomic_path

# Self-contained modules (they import only spaCy, thinc and PyThaiNLP) that a saved
# pipeline's config refers to: the tokenizer and the tok2vec embedding.
BUNDLED_MODULES = ("nlp/text.py", "nlp/features.py", "nlp/events.py", "nlp/ner.py")
# What changes a saved model's inputs or how its files load: pinned exactly in the wheel.
EXACT_PINS = ("pythainlp", "scikit-learn")
# Zip timestamps of the wheel: fixed, so two builds of the same model are the same bytes.
SOURCE_DATE_EPOCH = "315532800"
EXAMPLE = "เมื่อวันที่ 3 มี.ค. 2568 ตำรวจไทยและกัมพูชาประชุมร่วมกันที่ปอยเปต และส่งมอบรายชื่อเป้าหมาย 40 แห่ง"


# The served model's environment: what thaievents needs at inference, pinned as installed
# here. thaievents itself travels as code (``code_paths``), so no private package has to
# resolve: `mlflow models serve --env-manager virtualenv` (or uv) installs these from PyPI.
SERVED_PACKAGES = (
    "spacy",
    "thinc",
    "pythainlp",
    "scikit-learn",
    "numpy",
    "pandas",
    "mlflow",
    "pyyaml",
    "jsonschema",
    "spacy-thai",  # the UD parse of the hybrid role linker
    "ufal.udpipe",
)


def requirements() -> list[str]:
    """Exact pins for the served model's environment."""
    return [f"{name}=={metadata.version(name)}" for name in SERVED_PACKAGES]


def log_pyfunc(model: Path, name: str, alias: str, pipeline_run: str | None = None) -> dict:
    """Log the pyfunc model, register a new version under ``name`` and point ``alias`` at it."""
    import mlflow
    import pandas as pd
    from mlflow.models import ModelSignature
    from mlflow.types.schema import ColSpec, Schema

    from thaievents.serve.pyfunc import ThaiEventsModel

    example = pd.DataFrame({"text": [EXAMPLE], "date": ["2025-03-03"]})
    inputs = Schema([ColSpec("string", "text"), ColSpec("string", "date", required=False)])
    info = mlflow.pyfunc.log_model(
        name="thaievents",
        python_model=ThaiEventsModel(),
        artifacts={"spacy_model": str(model)},
        code_paths=[str(Path(__file__).resolve().parents[1])],
        pip_requirements=requirements(),
        signature=ModelSignature(inputs=inputs),
        input_example=example,
        registered_model_name=name,
    )
    client = mlflow.MlflowClient()
    version = str(info.registered_model_version)
    client.set_registered_model_alias(name, alias, version)
    if pipeline_run is not None:  # the registered version points at its pipeline's parent run
        client.set_model_version_tag(name, version, "pipeline_run_id", pipeline_run)
    return {"name": name, "alias": alias, "version": version, "uri": f"models:/{name}@{alias}"}


def build_wheel(model: Path, output: Path, package_name: str, version: str) -> Path:
    """`spacy package` with the tokenizer and embedding code inside, so the wheel needs no `thaievents`.

    spaCy adds every package that provides a registered function to the requirements,
    `thaievents` included; the wheel bundles text.py and features.py instead, so that
    requirement is removed from the generated package before the wheel is built.
    """
    package_dir = Path(__file__).resolve().parents[1]
    code = ",".join(str(package_dir / name) for name in BUNDLED_MODULES)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta.update(name=package_name, version=version)
    meta["requirements"] = [f"{name}=={metadata.version(name)}" for name in EXACT_PINS]
    with tempfile.TemporaryDirectory() as folder, atomic_path(output, directory=True) as temp:
        meta_path = Path(folder) / "meta.json"
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
        run(
            [
                sys.executable,
                "-m",
                "spacy",
                "package",
                str(model),
                folder,
                "--code",
                code,
                "--meta-path",
                str(meta_path),
                "--build",
                "none",
                "--force",
            ]
        )
        (package,) = (p for p in Path(folder).iterdir() if p.is_dir())
        for generated in [package / "meta.json", *package.glob("*/*/meta.json")]:
            data = json.loads(generated.read_text(encoding="utf-8"))
            data["requirements"] = [r for r in data.get("requirements", []) if not r.startswith("thaievents")]
            generated.write_text(json.dumps(data, indent=2), encoding="utf-8")
        run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(temp), str(package)])
        (wheel,) = temp.glob("*.whl")
    return output / wheel.name


def run(command: list[str]) -> None:
    """Run a build command (fixed zip timestamps); raise with its output on failure."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
