"""The registered pyfunc model, served by `mlflow models serve`, answers over REST."""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from thaievents.data.docbin import read_docs
from thaievents.serve.extract import extract
from thaievents.serve.load import load_pipeline
from thaievents.serve.schema import validate_extraction

from ..conftest import free_port, invoke

pytestmark = pytest.mark.server


def post(url: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(scope="module")
def served(trained_pipeline: Path, tmp_path_factory: pytest.TempPathFactory, venv_env: dict[str, str]):
    """Export (register + alias) into a fresh store, then serve the alias on a loopback port."""
    work = tmp_path_factory.mktemp("registry")
    env = {**venv_env, "MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlflow.db'}"}
    patch = pytest.MonkeyPatch()
    patch.chdir(work)
    patch.setenv("MLFLOW_TRACKING_URI", env["MLFLOW_TRACKING_URI"])
    try:
        invoke(
            "export",
            "--model",
            str(trained_pipeline / "model" / "model-best"),
            "--wheel-dir",
            str(work / "package"),
            "--receipt",
            str(work / "export.json"),
        )
    finally:
        patch.undo()
    port = free_port()
    log = open(work / "serve.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            "mlflow",
            "models",
            "serve",
            "-m",
            "models:/thaievents@champion",
            "--env-manager",
            "local",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/ping", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (work / "serve.log").read_text()
                time.sleep(1)
        else:
            pytest.fail("mlflow models serve did not answer /ping in 120 s")
        yield url, work
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


def test_receipt_names_the_alias_and_the_version_links_to_its_pipeline_run(served) -> None:
    import mlflow

    _, work = served
    receipt = json.loads((work / "export.json").read_text())
    assert receipt == {
        "alias": "champion",
        "name": "thaievents",
        "uri": "models:/thaievents@champion",
        "wheel": receipt["wheel"],
    }, "the receipt holds only what is the same every run (no registry version, no run id)"
    assert Path(receipt["wheel"]).name.startswith("th_thaievents-")
    mlflow.set_tracking_uri(f"sqlite:///{work / 'mlflow.db'}")
    client = mlflow.MlflowClient()
    version = client.get_model_version_by_alias("thaievents", "champion")
    assert str(version.version) == "1"
    parent = client.get_run(version.tags["pipeline_run_id"])
    assert parent.data.tags["pipeline_role"] == "pipeline"


def test_invocations_return_entities_and_events(served, trained_pipeline: Path) -> None:
    """The served answer equals in-process extraction, and finds the entities of a training paragraph."""
    url, _ = served
    nlp = load_pipeline(trained_pipeline / "model" / "model-best")
    gold = max(read_docs(trained_pipeline / "corpus" / "train.spacy", nlp.vocab), key=lambda d: len(d.ents))
    text = gold.text + "\nสถานเอกอัครราชทูตญี่ปุ่นรับตัวพลเมือง 29 คนกลับประเทศ"
    rows = [{"text": text, "date": "2025-10-16"}, {"text": "", "date": None}]
    body = json.dumps({"dataframe_records": rows}, ensure_ascii=False).encode()
    status, answer = post(f"{url}/invocations", body)
    assert status == 200, answer
    first, empty = answer["predictions"]
    for record in (first, empty):
        validate_extraction(record)
    assert answer["predictions"] == extract(nlp, [text, ""], schema="v2", dates=["2025-10-16", None])
    assert len(first["paragraphs"]) == 2
    entities = [e for p in first["paragraphs"] for e in p["entities"]]
    assert entities, "the model finds entities in a paragraph it was trained on"
    for entity in entities:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert empty == {"schema_version": "2.0", "paragraphs": [], "events": []}
    records = [e for p in first["paragraphs"] for e in p["events"]]
    assert records and all("plover" in e and "cameo" in e for e in records), (
        "the served model returns v2 records"
    )


def test_an_oversized_text_is_a_400_and_the_server_stays_up(served) -> None:
    url, _ = served
    body = json.dumps({"dataframe_records": [{"text": "ก" * 150_000}]}).encode()
    status, answer = post(f"{url}/invocations", body)
    assert status == 400 and "split the input" in json.dumps(answer)
    status, _ = post(
        f"{url}/invocations", json.dumps({"dataframe_records": [{"text": "ตำรวจจับกุม"}]}).encode()
    )
    assert status == 200


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"dataframe_records": [{"txt": "x"}]}', b'{"inputs": 5}', b"[]"],
)
def test_malformed_payload_is_a_4xx_with_a_message(served, body: bytes) -> None:
    url, _ = served
    status, answer = post(f"{url}/invocations", body)
    assert 400 <= status < 500
    assert answer.get("message")
