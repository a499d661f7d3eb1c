"""evaluate/report.html as a person sees it: rendered by headless Chromium, no console errors."""

import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: run `make browser-install` (make test does)")
    return found


def test_report_holds_figures_plots_and_every_error(trained_pipeline: Path) -> None:
    from thaievents.data.io import read_jsonl

    page = (trained_pipeline / "evaluate" / "report.html").read_text(encoding="utf-8")
    assert "95% bootstrap intervals" in page and page.count("<svg") == 4
    errors = read_jsonl(trained_pipeline / "evaluate" / "errors.jsonl")
    for error in errors:  # every paragraph with an error has its block
        assert f"· {error['id']}" in page
    assert 'class="entities"' in page, "displaCy renders the entities"


def test_report_renders_in_a_headless_browser_without_console_errors(
    trained_pipeline: Path, tmp_path: Path
) -> None:
    report = trained_pipeline / "evaluate" / "report.html"
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, "a real, non-blank screenshot"
