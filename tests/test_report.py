"""`selfware-git report`: exact figures on a repository with known outcomes, and the page in a
real headless Chromium: no console errors, no network, charts drawn, filters working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from selfware_git.miner.report.report_html import render
from tests.gitrepo import GitRepo
from tests.scenario import agent, person, py

ARTIFACTS = Path(__file__).resolve().parent.parent / ".pytest_artifacts"


def known_history(repo: GitRepo) -> None:
    """Five functions by the agent: two kept, one amended, one fixed later, one reverted."""
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    agent(repo, {"a.py": py("f1", "return 1") + "\n\n" + py("f2", "return 2")}, task="add f1 f2")
    repo.commit(
        "f1, fixed", {"a.py": py("f1", "return 10") + "\n\n" + py("f2", "return 2")}, amend=True
    )
    agent(repo, {"b.py": py("g", "return 1")}, task="add g")
    person(repo, {"b.py": py("g", "return 100")}, "fix g")
    reverted = agent(repo, {"c.py": py("h", "return 1")}, task="add h")
    repo.git("revert", "--no-edit", reverted)
    agent(repo, {"d.py": py("k", "return 1")}, task="add k")


def test_figures_match_the_known_outcomes(repo: GitRepo, tmp_path: Path) -> None:
    known_history(repo)
    out = tmp_path / "report.html"
    data = json.loads(repo.cli("report", "--json", "--out", str(out)).stdout)
    survival = data["survival"]
    assert survival["agent_functions"] == 5
    assert survival["outcomes"] == {
        "kept": 2,
        "amend": 1,
        "rebase": 0,
        "fix": 1,
        "revert": 1,
        "reset": 0,
        "cherry-pick": 0,
    }
    assert survival["share_kept"] == 0.4
    assert survival["period"] == "week" and len(survival["by_period"]) == 1
    assert data["pairs"] == 2 and data["unpaired"] == 1
    corrections = data["corrections"]
    assert corrections["by_event"] == {"amend": 1, "fix": 1, "revert": 1}
    assert corrections["by_agent"] == {"claude": 3}
    assert corrections["top_files"] == {"a.py": 1, "b.py": 1, "c.py": 1}
    assert data["time_to_correction"]["buckets"]["under 1 hour"] == 3
    assert data["time_to_correction"]["count"] == 3
    assert out.exists() and out.stat().st_mode & 0o777 == 0o600
    assert (
        "5 agent-written functions, 40% kept untouched"
        in repo.cli("report", "--out", str(out)).stdout
    )


def test_report_outside_a_repository(tmp_path: Path, env: dict) -> None:
    plain = GitRepo(tmp_path, env)
    proc = plain.cli("report", str(tmp_path / "nope"), check=False)
    assert proc.returncode == 1 and "no repository could be read" in proc.stderr


def _browser():
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is needed for the page tests (.ci/run installs it)")
    return playwright, chromium


def _open(page_file: Path):
    playwright, chromium = _browser()
    manager = playwright.sync_playwright().start()
    browser = manager.chromium.launch(
        executable_path=chromium,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    )
    page = browser.new_page(viewport={"width": 1300, "height": 1800})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.resolve().as_uri())
    page.wait_for_load_state("load")
    return manager, browser, page, errors, requests


def test_page_in_headless_chromium(demo_store: Path, env: dict, tmp_path: Path) -> None:
    repo = GitRepo(demo_store.parent / "demo-repo", env)
    out = tmp_path / "report.html"
    repo.cli("report", "--out", str(out))
    manager, browser, page, errors, requests = _open(out)
    try:
        assert errors == []
        assert requests == [out.resolve().as_uri()]  # the page itself, nothing else
        assert page.locator("figure.chart svg").count() == 8
        assert page.locator("#pairs tr.pair").count() == 7
        page.select_option("#f-language", "python")
        assert page.locator("#pairs tr.pair").count() == 4
        assert page.inner_text("#count") == "4 of 7 rows"
        page.select_option("#f-language", "")
        page.fill("#f-text", "greet.go")
        assert page.locator("#pairs tr.pair").count() == 1
        page.locator("#pairs tr.pair").first.click()
        assert '+\tif name == "" {' in page.inner_text("pre.diff")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "report.png"
        page.fill("#f-text", "")
        page.screenshot(path=str(shot), full_page=True)
    finally:
        browser.close()
        manager.stop()
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    colors = image.getcolors(maxcolors=1_000_000)
    assert colors is not None and len(colors) > 50  # charts, text, cards: not a blank page
    assert image.size[0] >= 1000 and image.size[1] >= 1500


def test_page_stays_paginated_with_50000_pairs(tmp_path: Path) -> None:
    rows = [
        {
            "prompt": "p",
            "chosen": f"def f{i}():\n    return {i + 1}",
            "rejected": f"def f{i}():\n    return {i}",
            "task": ("bugfix", "naming")[i % 2],
            "timestamp": "2026-11-01T00:00:00Z",
            "metadata": {
                "agent": "claude",
                "language": "python",
                "event": "fix",
                "repo": "big",
                "path": f"pkg/m{i % 97}.py",
                "function": f"f{i}",
            },
        }
        for i in range(50_000)
    ]
    data = {
        "repositories": ["big"],
        "pairs": 50_000,
        "unpaired": 0,
        "survival": {
            "agent_functions": 0,
            "outcomes": {},
            "share_kept": None,
            "period": "month",
            "by_period": {},
        },
        "corrections": {
            k: {}
            for k in (
                "by_task",
                "by_agent",
                "by_language",
                "by_event",
                "top_files",
                "top_directories",
            )
        },
        "time_to_correction": {"count": 0, "median_hours": None, "buckets": {}},
    }
    page_file = tmp_path / "big.html"
    page_file.write_text(render(data, rows))
    manager, browser, page, errors, _requests = _open(page_file)
    try:
        assert errors == []
        assert page.locator("#pairs tr.pair").count() == 50
        assert page.inner_text("#page") == "page 1 of 1000"
        page.select_option("#f-task", "naming")
        assert page.inner_text("#count") == "25000 of 50000 rows"
        page.click("#next")
        assert page.inner_text("#page") == "page 2 of 500"
    finally:
        browser.close()
        manager.stop()
