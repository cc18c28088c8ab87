"""Workers inside one repository: the rows and skip counts equal the serial run's, row for
row, through a real process pool on a real history."""

from __future__ import annotations

import pytest

from selfware_git.miner import fix_workers
from selfware_git.miner.mine import MineOptions, mine_all
from selfware_git.miner.store import Store, read_rows
from tests.gitrepo import GitRepo
from tests.scenario import py

CLAUDE = "\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"


def _history(repo: GitRepo) -> None:
    """Agent commits each answered by a person's fix, plus look-alikes the rules skip."""
    for i in range(7):
        path = f"m{i}.py"
        repo.commit("person base", {path: py("f", "return 0")})
        repo.commit(
            "agent" + CLAUDE, {path: py("f", f"return int(x) + {i}") + "\n\n" + py("g", "return x")}
        )
        repo.commit(
            "person fix", {path: py("f", f"return float(x) + {i}") + "\n\n" + py("g", "return x")}
        )
        repo.commit(
            "rename g", {path: py("f", f"return float(x) + {i}") + "\n\n" + py("h", "return x")}
        )
        repo.commit("drop h", {path: py("f", f"return float(x) + {i}")})


def _mine(repo: GitRepo, tmp_path, name: str, jobs: int) -> tuple[list[dict], dict]:
    store = Store(tmp_path / name / "preferences.jsonl")
    summary = mine_all([repo.path], store, MineOptions(window=50), jobs=jobs)
    return [*read_rows(store.pairs), *read_rows(store.unpaired)], summary.reports[0].as_dict()


@pytest.fixture(autouse=True)
def _isolated(env, monkeypatch: pytest.MonkeyPatch) -> None:
    """mine_all runs in this process: the test's home, git config and store, not the real ones."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_workers_give_the_serial_rows_row_for_row(
    repo: GitRepo, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(repo)
    serial_rows, serial_report = _mine(repo, tmp_path, "serial", jobs=1)
    monkeypatch.setattr(fix_workers, "CHUNK", 2)  # several chunks, so the pool really runs
    started = []
    real_submit = fix_workers.FixRows._submit

    def counting_submit(self, batch):
        started.append(len(batch))
        return real_submit(self, batch)

    monkeypatch.setattr(fix_workers.FixRows, "_submit", counting_submit)
    parallel_rows, parallel_report = _mine(repo, tmp_path, "parallel", jobs=2)
    assert len(started) >= 3  # chunks went to worker processes
    assert parallel_rows == serial_rows
    assert parallel_report == serial_report
    assert serial_report["pairs"] == 7
    assert serial_report["skips"] == {"deleted_person_function": 7, "pure_rename": 7}


def test_a_history_shorter_than_one_chunk_starts_no_pool(
    repo: GitRepo, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(repo)

    def no_pool(self, batch):
        raise AssertionError("a pool was started for a short history")

    monkeypatch.setattr(fix_workers.FixRows, "_submit", no_pool)
    rows, report = _mine(repo, tmp_path, "short", jobs=4)
    assert report["pairs"] == 7 and len(rows) == 7
