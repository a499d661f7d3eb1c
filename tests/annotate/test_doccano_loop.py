"""The annotation loop against a real doccano 1.8.4 server (started here, on loopback)."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thaievents.annotate.client import Doccano
from thaievents.cli import app
from thaievents.data.io import read_jsonl, write_jsonl
from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS

from ..conftest import ROOT, free_port

pytestmark = pytest.mark.server
runner = CliRunner()
ADMIN, ADMIN_PASSWORD = "admin", "admin-pass-7x"
ANNOTATORS = {"ann1": "ann1-pass-7x", "ann2": "ann2-pass-7x"}
PROJECT = "loop-test"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """A fresh doccano (database in a temp folder) with an admin and two annotators."""
    home = tmp_path_factory.mktemp("doccano")
    port = free_port()
    env = {
        **os.environ,
        "DOCCANO_HOME": str(home),
        "DOCCANO_PORT": str(port),
        "DOCCANO_ADMIN_USERNAME": ADMIN,
        "DOCCANO_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    script = str(ROOT / "tools" / "doccano.sh")
    if not (ROOT / ".doccano" / "venv" / "bin" / "doccano").exists():
        pytest.fail("doccano is not installed: run `make doccano-install` (make test does)")
    subprocess.run([script, "start"], env=env, check=True, timeout=300)
    for user, password in ANNOTATORS.items():
        subprocess.run([script, "adduser", user], env={**env, "DOCCANO_NEW_PASSWORD": password}, check=True)
    url = f"http://127.0.0.1:{port}"
    try:
        yield {"url": url, "env": env, "script": script}
    finally:
        subprocess.run([script, "stop"], env=env, timeout=120)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, tiny_articles) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    write_jsonl(path, (a.to_json() for a in tiny_articles))
    return path


def cli(server: dict, *args: str, user: str = ADMIN, password: str = ADMIN_PASSWORD):
    env = {"DOCCANO_URL": server["url"], "DOCCANO_USERNAME": user, "DOCCANO_PASSWORD": password}
    return runner.invoke(app, ["annotate", *args], env=env)


def push(server: dict, corpus: Path, *extra: str):
    """`annotate push` of the first 20 fixture paragraphs into the test project."""
    labels = str(ROOT / "configs" / "labels.yaml")
    arguments = ["--project", PROJECT, "--corpus", str(corpus), "--limit", "20", "--labels", labels, *extra]
    return cli(server, "push", *arguments)


def test_push_creates_project_labels_examples_and_suggestions(server, corpus, trained_pipeline: Path) -> None:
    model = trained_pipeline / "model" / "model-best"
    result = push(
        server,
        corpus,
        "--pre-annotate",
        str(model),
    )
    assert result.exit_code == 0, result.output
    assert "20 new" in result.output
    doccano = Doccano(server["url"], ADMIN, ADMIN_PASSWORD)
    project = doccano.project(PROJECT)
    types = doccano.label_types(project["id"])
    assert set(types["spans"]) == set(ENTITY_LABELS) and set(types["categories"]) == set(EVENT_LABELS)
    examples = doccano.examples(project["id"])
    assert len(examples) == 20
    pushed = sorted(e["meta"]["example_id"] for e in examples)
    assert pushed[:3] == ["t001-p00", "t001-p01", "t001-p02"] and len(set(pushed)) == 20
    suggested = [doccano.spans(project["id"], e["id"]) for e in examples]
    categories = [doccano.categories(project["id"], e["id"]) for e in examples]
    assert any(suggested), "pre-annotated entities are on the server"
    assert any(categories), "pre-annotated categories are on the server"
    for example in examples:
        assert example["meta"]["article_id"] == example["meta"]["example_id"].rsplit("-p", 1)[0]
    for user in ANNOTATORS:
        doccano.add_member(project["id"], user)


def test_second_push_adds_nothing(server, corpus) -> None:
    result = push(server, corpus)
    assert result.exit_code == 0, result.output
    assert "0 new, 20 already there" in result.output
    doccano = Doccano(server["url"], ADMIN, ADMIN_PASSWORD)
    assert len(doccano.examples(doccano.project(PROJECT)["id"])) == 20


def gold_by_id(tiny_articles) -> dict:
    return {p.id: p for a in tiny_articles for p in a.paragraphs}


ANNOTATED = ["t001-p01", "t002-p01", "t002-p02", "t003-p01", "t004-p02", "t005-p01"]


def annotate_as(server, user: str, paragraphs: dict, changes: dict) -> None:
    """Label examples through the REST API as `user`; `changes` alters some of them."""
    doccano = Doccano(server["url"], user, ANNOTATORS[user])
    project = doccano.project(PROJECT)["id"]
    types = doccano.label_types(project)
    by_id = {e["meta"]["example_id"]: e["id"] for e in doccano.examples(project)}
    for paragraph_id in ANNOTATED:
        paragraph = paragraphs[paragraph_id]
        spans, cats = changes.get(
            paragraph_id, ([(s.start, s.end, s.label) for s in paragraph.entities], paragraph.cats)
        )
        for start, end, label in spans:
            doccano.add_span(project, by_id[paragraph_id], start, end, types["spans"][label])
        for cat in cats:
            doccano.add_category(project, by_id[paragraph_id], types["categories"][cat])
        doccano.mark_done(project, by_id[paragraph_id])


def test_pull_returns_exactly_what_was_sent(server, tiny_articles, tmp_path: Path) -> None:
    paragraphs = gold_by_id(tiny_articles)
    annotate_as(server, "ann1", paragraphs, {})
    gold_dir = tmp_path / "annotations"
    dictionary = str(ROOT / "configs" / "domain_words.txt")

    def pull_ann1():
        options = [
            "--annotator",
            "ann1",
            "--only-done",
            "--output-dir",
            str(gold_dir),
            "--dictionary",
            dictionary,
        ]
        return cli(server, "pull", "--project", PROJECT, *options)

    result = pull_ann1()
    assert result.exit_code == 0, result.output
    (written,) = gold_dir.glob("doccano-*-ann1.jsonl")
    pulled = {r["id"]: r for r in read_jsonl(written)}
    assert sorted(pulled) == sorted(ANNOTATED)
    for paragraph_id, record in pulled.items():
        sent = paragraphs[paragraph_id].to_json()
        assert record["text"] == sent["text"]
        assert sorted(map(tuple, record["entities"])) == sorted(map(tuple, sent["entities"]))
        assert record["cats"] == sorted(sent["cats"])
        assert (record["article_id"], record["paragraph"]) == (sent["article_id"], sent["paragraph"])
    again = pull_ann1()
    assert again.exit_code == 0
    assert len(list(gold_dir.glob("doccano-*.jsonl"))) == 2, (
        "a second pull writes a new file, never over gold"
    )


def test_agreement_matches_hand_computed_values(server, tiny_articles, tmp_path: Path) -> None:
    paragraphs = gold_by_id(tiny_articles)
    first = paragraphs["t001-p01"]  # ann2 drops its last LOCATION and labels no category
    dropped = [(s.start, s.end, s.label) for s in first.entities][:-1]
    fifth = paragraphs["t005-p01"]  # ann2 adds VICTIM_ASSISTANCE
    annotate_as(
        server,
        "ann2",
        paragraphs,
        {
            "t001-p01": (dropped, []),
            "t005-p01": (
                [(s.start, s.end, s.label) for s in fifth.entities],
                [*fifth.cats, "VICTIM_ASSISTANCE"],
            ),
        },
    )
    result = cli(
        server,
        "agreement",
        "--project",
        PROJECT,
        "--only-done",
        "--disagreements-out",
        str(tmp_path / "d.jsonl"),
    )
    assert result.exit_code == 0, result.output
    (report,) = [
        r for r in json.loads(result.output.strip().splitlines()[-1]) if r["annotators"] == ["ann1", "ann2"]
    ]
    assert report["examples"] == 6
    locations = sum(1 for p in ANNOTATED for s in paragraphs[p].entities if s.label == "LOCATION")
    # ann1 has every LOCATION, ann2 one fewer: tp = n-1, fn = 1, fp = 0 → F1 = 2(n-1) / (2(n-1) + 1)
    assert report["entity_f1"]["LOCATION"] == round(2 * (locations - 1) / (2 * (locations - 1) + 1), 4)
    assert report["entity_f1"]["DATE"] == 1.0

    def kappa(a: list[int], b: list[int]) -> float:
        n = len(a)
        observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
        expected = (sum(a) / n) * (sum(b) / n) + (1 - sum(a) / n) * (1 - sum(b) / n)
        return round((observed - expected) / (1 - expected), 4)

    for category in ("DIPLOMATIC_FORUM", "VICTIM_ASSISTANCE", "CRACKDOWN"):
        a = [int(category in paragraphs[p].cats) for p in sorted(ANNOTATED)]
        b = list(a)
        if category in paragraphs["t001-p01"].cats:
            b[sorted(ANNOTATED).index("t001-p01")] = 0
        if category == "VICTIM_ASSISTANCE":
            b[sorted(ANNOTATED).index("t005-p01")] = 1
        assert report["kappa"][category] == pytest.approx(kappa(a, b), abs=1e-4)
    assert len(read_jsonl(tmp_path / "d.jsonl")) == 2


def test_labels_that_differ_from_configs_are_refused(server, corpus, tmp_path: Path) -> None:
    labels = (ROOT / "configs" / "labels.yaml").read_text().replace("LAW:", "LAWS:")
    (tmp_path / "labels.yaml").write_text(labels)
    result = cli(
        server,
        "push",
        "--project",
        PROJECT,
        "--corpus",
        str(corpus),
        "--labels",
        str(tmp_path / "labels.yaml"),
    )
    assert result.exit_code == 1 and "labels differ" in result.output


def test_wrong_credentials_and_missing_project_are_clear(server) -> None:
    result = cli(server, "pull", "--project", PROJECT, password="not-the-password")
    assert result.exit_code == 1 and "refused the login" in result.output
    assert "not-the-password" not in result.output
    result = cli(server, "pull", "--project", "no-such-project")
    assert result.exit_code == 1 and "no doccano project named 'no-such-project'" in result.output


def test_next_pushes_the_least_certain_unannotated(
    server, corpus, tiny_articles, trained_pipeline, tmp_path
) -> None:
    from thaievents.annotate.select import rank_uncertain
    from thaievents.nlp.events import event_thresholds
    from thaievents.serve.load import load_pipeline

    paragraphs = [p for a in tiny_articles for p in a.paragraphs]
    write_jsonl(tmp_path / "gold" / "gold.jsonl", (p.to_json() for p in paragraphs[:30]))
    model = trained_pipeline / "model" / "model-best"
    result = cli(
        server,
        "next",
        "--model",
        str(model),
        "-k",
        "3",
        "--project",
        "next-test",
        "--corpus",
        str(corpus),
        "--annotations",
        str(tmp_path / "gold"),
        "--labels",
        str(ROOT / "configs" / "labels.yaml"),
    )
    assert result.exit_code == 0, result.output
    doccano = Doccano(server["url"], ADMIN, ADMIN_PASSWORD)
    pushed = {e["meta"]["example_id"] for e in doccano.examples(doccano.project("next-test")["id"])}
    candidates = paragraphs[30:]
    nlp = load_pipeline(model)
    ranked = rank_uncertain(nlp, [p.text for p in candidates], event_thresholds(nlp), 3)
    assert pushed == {candidates[i].id for i, _ in ranked}
    assert not pushed & {p.id for p in paragraphs[:30]}


def test_no_command_line_carries_a_password(server) -> None:
    """bash -x prints every command the script runs, arguments expanded: no password among them."""
    secret = "never-on-a-command-line-9q"
    traced = subprocess.run(
        ["bash", "-x", server["script"], "adduser", "ann3"],
        env={**server["env"], "DOCCANO_NEW_PASSWORD": secret},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "user ann3 ready" in traced.stdout
    assert secret not in traced.stderr and "+ " in traced.stderr
    Doccano(server["url"], "ann3", secret)  # the user was created with that password: login works
    help_text = runner.invoke(app, ["annotate", "--help"]).output
    assert "--password-stdin" in help_text and "--password " not in help_text


def test_password_from_standard_input(server) -> None:
    env = {"DOCCANO_URL": server["url"], "DOCCANO_USERNAME": ADMIN, "DOCCANO_PASSWORD": ""}
    result = runner.invoke(
        app,
        ["annotate", "--password-stdin", "pull", "--project", "no-such-project"],
        input=ADMIN_PASSWORD + "\n",
        env=env,
    )
    assert result.exit_code == 1 and "no doccano project named 'no-such-project'" in result.output


def test_pull_of_an_annotator_without_annotations_writes_nothing(server, tmp_path: Path) -> None:
    result = cli(
        server, "pull", "--project", PROJECT, "--annotator", "nobody-here", "--output-dir", str(tmp_path)
    )
    assert result.exit_code == 1 and "has no annotations" in result.output
    assert not list(tmp_path.iterdir())


def test_push_never_sends_gold_paragraphs(server, corpus, tiny_articles, tmp_path: Path) -> None:
    """Half of the corpus is gold already: only the other half reaches doccano."""
    paragraphs = [p for a in tiny_articles for p in a.paragraphs]
    gold = paragraphs[: len(paragraphs) // 2]
    write_jsonl(tmp_path / "gold" / "gold.jsonl", (p.to_json() for p in gold))
    labels = str(ROOT / "configs" / "labels.yaml")
    result = cli(
        server,
        "push",
        "--project",
        "gold-skip",
        "--corpus",
        str(corpus),
        "--labels",
        labels,
        "--annotations",
        str(tmp_path / "gold"),
    )
    assert result.exit_code == 0, result.output
    doccano = Doccano(server["url"], ADMIN, ADMIN_PASSWORD)
    pushed = {e["meta"]["example_id"] for e in doccano.examples(doccano.project("gold-skip")["id"])}
    assert pushed == {p.id for p in paragraphs} - {p.id for p in gold}


def test_the_whole_loop_from_a_raw_page_to_prepare(
    server, trained_pipeline: Path, tiny_articles, tmp_path: Path
) -> None:
    """corpus add → push (pre-annotated) → two annotators → pull → merge → prepare trains on the agreed."""
    from thaievents.data.io import read_jsonl as read

    from ..conftest import DICTIONARY, run_prepare

    imported, gold, pulls = tmp_path / "imported.jsonl", tmp_path / "annotations", tmp_path / "pulls"
    page = ROOT / "tests" / "fixtures" / "raw" / "page.html"
    added = runner.invoke(
        app,
        ["corpus", "add", str(page), "--imported", str(imported), "--articles", str(tmp_path / "none.jsonl")],
    )
    assert added.exit_code == 0, added.output
    (article,) = read(imported)
    write_jsonl(gold / "gold.jsonl", (p.to_json() for a in tiny_articles for p in a.paragraphs))
    labels = str(ROOT / "configs" / "labels.yaml")
    model = str(trained_pipeline / "model" / "model-best")
    pushed = cli(
        server,
        "push",
        "--project",
        "whole-loop",
        "--corpus",
        str(imported),
        "--annotations",
        str(gold),
        "--labels",
        labels,
        "--pre-annotate",
        model,
    )
    assert pushed.exit_code == 0 and f"{len(article['paragraphs'])} new" in pushed.output, pushed.output

    doccano = Doccano(server["url"], ADMIN, ADMIN_PASSWORD)
    project = doccano.project("whole-loop")["id"]
    for user in ANNOTATORS:
        doccano.add_member(project, user)
    texts = {e["meta"]["example_id"]: e for e in doccano.examples(project)}
    headline, lead, second = (f"{article['id']}-p{i:02d}" for i in range(3))
    for user, forum in (("ann1", False), ("ann2", True)):  # they agree on two paragraphs, not on the third
        session = Doccano(server["url"], user, ANNOTATORS[user])
        types = session.label_types(project)
        for paragraph_id, cats in (
            (headline, ["CRACKDOWN"]),
            (lead, ["CRACKDOWN"]),
            (second, ["INTEL_SHARING"]),
        ):
            example = texts[paragraph_id]
            start = example["text"].index("ปอยเปต") if "ปอยเปต" in example["text"] else None
            if start is not None:
                session.add_span(
                    project, example["id"], start, start + len("ปอยเปต"), types["spans"]["LOCATION"]
                )
            for cat in [*cats, *(["DIPLOMATIC_FORUM"] if forum and paragraph_id == second else [])]:
                session.add_category(project, example["id"], types["categories"][cat])
            session.mark_done(project, example["id"])
    for user in ANNOTATORS:
        pulled = cli(
            server,
            "pull",
            "--project",
            "whole-loop",
            "--annotator",
            user,
            "--only-done",
            "--output-dir",
            str(pulls),
            "--dictionary",
            str(DICTIONARY),
        )
        assert pulled.exit_code == 0, pulled.output

    merged = runner.invoke(
        app,
        [
            "annotate",
            "merge",
            "--pulls",
            str(pulls),
            "--annotations",
            str(gold),
            "--dictionary",
            str(DICTIONARY),
        ],
    )
    assert merged.exit_code == 0, merged.output
    (gold_file,) = gold.glob("gold-*-merge.jsonl")
    assert sorted(r["id"] for r in read(gold_file)) == sorted([headline, lead])
    (adjudication,) = pulls.glob("list-*-adjudication.jsonl")
    (disputed,) = read(adjudication)
    assert disputed["id"] == second and set(disputed["annotations"]) == {"ann1", "ann2"}

    prepared = run_prepare(gold, tmp_path / "training")
    assert prepared.exit_code == 0, prepared.output
    import spacy

    from thaievents.data.docbin import read_docs

    trained_on = {
        d.user_data["id"]
        for split in ("train", "dev", "test")
        for d in read_docs(tmp_path / "training" / "corpus" / f"{split}.spacy", spacy.blank("th").vocab)
    }
    assert {headline, lead} <= trained_on and second not in trained_on


def test_stopped_server_gives_a_clear_error(server) -> None:
    subprocess.run([server["script"], "stop"], env=server["env"], check=True, timeout=120)
    result = cli(server, "pull", "--project", PROJECT)
    assert result.exit_code == 1
    assert "cannot reach doccano" in result.output and "make doccano" in result.output
