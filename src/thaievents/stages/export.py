"""export: trained pipeline + thresholds → MLflow registered pyfunc model (alias) + spaCy wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import typer

from thaievents.io import atomic_path, write_json
from thaievents.tracking import mlflow_run

# Self-contained modules (they import only spaCy, thinc and PyThaiNLP) that a saved
# pipeline's config refers to: the tokenizer and the tok2vec embedding.
BUNDLED_MODULES = ("text.py", "features.py")
EXAMPLE = "เมื่อวันที่ 3 มี.ค. 2568 ตำรวจไทยและกัมพูชาประชุมร่วมกันที่ปอยเปต และส่งมอบรายชื่อเป้าหมาย 40 แห่ง"


def requirements() -> list[str]:
    """Pins for the served model's environment: our package and what it loads."""
    return [
        f"{name}=={metadata.version(name)}"
        for name in ("thaievents", "spacy", "pythainlp", "mlflow", "pandas")
    ]


def log_pyfunc(model: Path, thresholds: dict[str, float], name: str, alias: str) -> dict:
    """Log the pyfunc model, register a new version under ``name`` and point ``alias`` at it."""
    import mlflow
    import pandas as pd
    from mlflow.models import infer_signature

    from thaievents.serve.pyfunc import ThaiEventsModel

    with tempfile.TemporaryDirectory() as folder:
        thresholds_path = Path(folder) / "thresholds.json"
        thresholds_path.write_text(json.dumps(thresholds), encoding="utf-8")
        example = pd.DataFrame({"text": [EXAMPLE]})
        wrapper = ThaiEventsModel()
        signature = infer_signature(example, params=None)
        info = mlflow.pyfunc.log_model(
            name="thaievents",
            python_model=wrapper,
            artifacts={"spacy_model": str(model), "thresholds": str(thresholds_path)},
            code_paths=[str(Path(__file__).resolve().parents[1])],
            pip_requirements=requirements(),
            signature=signature,
            input_example=example,
            registered_model_name=name,
        )
    client = mlflow.MlflowClient()
    version = str(info.registered_model_version)
    client.set_registered_model_alias(name, alias, version)
    return {
        "name": name,
        "alias": alias,
        "version": version,
        "uri": f"models:/{name}@{alias}",
        "model_uri": info.model_uri,
    }


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
    meta["requirements"] = [f"pythainlp>={metadata.version('pythainlp')}"]
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
    """Run a build command; raise with its output on failure."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def export(
    model: Path = typer.Option(Path("training/model/model-best"), help="Trained spaCy pipeline."),
    thresholds: Path = typer.Option(Path("evaluate/thresholds.json"), help="Dev-tuned thresholds."),
    registered_name: str = typer.Option("thaievents", help="MLflow Model Registry name."),
    alias: str = typer.Option("champion", help="Alias set on the new version."),
    wheel_dir: Path = typer.Option(Path("training/package"), help="Where the spaCy wheel goes."),
    package_name: str = typer.Option("thaievents", help="spaCy package name (installed as th_<name>)."),
    receipt: Path = typer.Option(Path("training/export.json"), help="What was registered and built (JSON)."),
) -> None:
    """Register the pipeline as an MLflow pyfunc model and build a pip-installable spaCy wheel."""
    from thaievents.serve.load import load_thresholds

    tuned = load_thresholds(thresholds)
    with mlflow_run(
        "export", {"registered_name": registered_name, "alias": alias}, [model / "meta.json", thresholds]
    ):
        registered = log_pyfunc(model, tuned, registered_name, alias)
    wheel = build_wheel(model, wheel_dir, package_name, metadata.version("thaievents"))
    write_json(receipt, {**registered, "wheel": str(wheel)})
    typer.echo(f"registered {registered['uri']} (version {registered['version']}); wheel {wheel}")
