"""`mine --out DIR` with the local engine: the Parquet-parts layout, its incremental reruns,
clone URLs, kills mid-run, and `export`, `stats`, `pairs`, `forget` and `datasets` reading it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.gitrepo import CLI, GitRepo
from tests.scenario import agent, person, py
from tests.test_mine_cli import build_history


def parts_of(folder: Path) -> dict[str, set[str]]:
    """Part folder name → the files in it."""
    return {
        part.name: {entry.name for entry in part.iterdir()}
        for part in sorted(folder.glob("repo=*"))
    }


def part_ids(folder: Path, kind: str = "*", part: str = "repo=*") -> set[str]:
    """Ids in the parts of `folder` (those matching `part`), of one kind or both."""
    return {
        meta["id"]
        for path in folder.glob(f"{part}/{kind}.parquet")
        for meta in pq.read_table(path, columns=["metadata"]).column("metadata").to_pylist()
    }


def jsonl_ids(store: Path) -> set[str]:
    paths = (store, store.with_name(f"{store.stem}.unpaired.jsonl"))
    return {
        json.loads(line)["metadata"]["id"]
        for path in paths
        if path.exists()
        for line in path.read_text().splitlines()
    }


def mine_parts_json(repo: GitRepo, out: Path, *args: str) -> dict:
    return json.loads(repo.cli("mine", "--out", str(out), "--json", *args).stdout)


def test_layout_ids_and_permissions_match_the_jsonl_store(
    tmp_path: Path, env: dict, demo_store: Path
) -> None:
    history = GitRepo.init(tmp_path / "history", env)
    build_history(history, 4, hooks=False)
    demo = demo_store.parent / "demo-repo"
    out = tmp_path / "parts"
    report = mine_parts_json(history, out, str(demo), str(history.path))
    assert [r["status"] for r in report["repositories"]] == ["mined", "mined"]
    assert report["added_pairs"] == 10 and report["added_unpaired"] == 1
    parts = parts_of(out)
    assert len(parts) == 2
    demo_part = next(name for name in parts if name.startswith("repo=demo-repo-"))
    history_part = next(name for name in parts if name.startswith("repo=history-"))
    assert parts[demo_part] == {"pairs.parquet", "unpaired.parquet", ".fingerprint.json"}
    assert parts[history_part] == {"pairs.parquet", ".fingerprint.json"}  # no empty files
    jsonl = tmp_path / "p.jsonl"
    history.cli("mine", "--store", str(jsonl), "--quiet", str(demo), str(history.path))
    assert part_ids(out) == jsonl_ids(jsonl) and len(part_ids(out)) == 11
    assert part_ids(out, "unpaired") == {
        json.loads(line)["metadata"]["id"]
        for line in demo_store.with_name("preferences.unpaired.jsonl").read_text().splitlines()
    }
    for path in out.rglob("*"):
        assert (path.stat().st_mode & 0o777) == (0o700 if path.is_dir() else 0o600), path


def test_datasets_loads_the_pairs_alone_and_the_unpaired_by_name(
    tmp_path: Path, env: dict, demo_store: Path
) -> None:
    import datasets

    out = tmp_path / "parts"
    repo = GitRepo(demo_store.parent / "demo-repo", env)
    mine_parts_json(repo, out)
    pairs = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))["train"]
    assert pairs.num_rows == 6 and all(chosen is not None for chosen in pairs["chosen"])
    assert set(pairs.column_names) == {
        "prompt",
        "chosen",
        "rejected",
        "task",
        "timestamp",
        "metadata",
    }
    assert pairs[0]["metadata"]["repo"] == "demo-repo"
    unpaired = datasets.load_dataset(str(out), "unpaired", cache_dir=str(tmp_path / "cache"))
    assert unpaired["train"]["chosen"] == [None]


def test_rerun_adds_nothing_and_new_history_rewrites_only_its_part(
    tmp_path: Path, env: dict
) -> None:
    one, two = GitRepo.init(tmp_path / "one", env), GitRepo.init(tmp_path / "two", env)
    build_history(one, 3)
    build_history(two, 2, hooks=False)
    out = tmp_path / "parts"
    mine_parts_json(one, out, str(one.path), str(two.path))
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    again = mine_parts_json(one, out, str(one.path), str(two.path))
    assert [r["status"] for r in again["repositories"]] == ["up_to_date", "up_to_date"]
    assert again["added_pairs"] == again["added_unpaired"] == 0
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    agent(one, {"late.py": py("late", "return 0")}, task="late")
    person(one, {"late.py": py("late", "return 1")})
    grown = mine_parts_json(one, out, str(one.path), str(two.path), "--jobs", "2")
    assert [r["status"] for r in grown["repositories"]] == ["mined", "up_to_date"]
    assert grown["added_pairs"] == 1
    changed = {path for path, data in before.items() if path.read_bytes() != data}
    assert changed and all(path.parent.name.startswith("repo=one-") for path in changed)
    rebuilt = json.loads(
        one.cli("mine", str(one.path), "--out", str(out), "--rebuild", "--json").stdout
    )
    assert rebuilt["repositories"][0]["rebuilt"] is True and rebuilt["added_pairs"] == 0


def test_export_stats_pairs_and_forget_read_the_folder(
    tmp_path: Path, env: dict, demo_store: Path
) -> None:
    out = tmp_path / "parts"
    copies = []
    for name in ("a", "b"):  # the same repository twice: the same rows in two parts
        shutil.copytree(demo_store.parent / "demo-repo", tmp_path / name / "demo-repo")
        copies.append(str(tmp_path / name / "demo-repo"))
    repo = GitRepo(tmp_path, env)
    report = mine_parts_json(repo, out, *copies)
    assert len(parts_of(out)) == 2 and report["added_pairs"] == 2 * 6
    stats = json.loads(repo.cli("stats", "--store", str(out), "--json").stdout)
    assert stats["pairs"] == 6 and stats["store"] == str(out)  # each id once
    exported = json.loads(
        repo.cli("export", "--store", str(out), "--out", str(tmp_path / "ds"), "--json").stdout
    )
    assert sum(exported["counts"].values()) == 6
    listed = repo.cli("pairs", "--store", str(out), "--json").stdout.splitlines()
    assert len(listed) == 7  # six pairs, then the unpaired rejection
    victim = json.loads(listed[0])["metadata"]["id"]
    shown = json.loads(repo.cli("pairs", "show", victim[:8], "--store", str(out), "--json").stdout)
    assert shown["metadata"]["id"] == victim
    forgot = json.loads(
        repo.cli(
            "forget",
            "--id",
            victim,
            "--store",
            str(out),
            "--export",
            str(tmp_path / "ds"),
            "--json",
        ).stdout
    )
    assert sum(forgot["rows"].values()) == 3  # both parts and the export
    assert victim not in part_ids(out)
    again = mine_parts_json(repo, out, *copies)
    assert again["added_pairs"] == 0 and victim not in part_ids(out)  # forgotten stays so
    unpaired = next(iter(part_ids(out, "unpaired")))
    repo.cli("forget", "--id", unpaired, "--store", str(out))
    assert not list(out.glob("repo=*/unpaired.parquet"))  # no empty Parquet file is left
    assert json.loads(repo.cli("stats", "--store", str(out), "--json").stdout)["unpaired"] == 0


def test_a_clone_url_is_cloned_into_scratch_and_named_by_its_url(tmp_path: Path, env: dict) -> None:
    origin = GitRepo.init(tmp_path / "origin", env)
    build_history(origin, 3, hooks=False)
    origin.git("branch", "side")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    url = f"file://{origin.path}"
    out = tmp_path / "parts"
    run_env = {"TMPDIR": str(scratch)}
    report = json.loads(origin.cli("mine", url, "--out", str(out), "--json", env=run_env).stdout)
    mined = report["repositories"][0]
    assert mined["status"] == "mined" and mined["path"] == url and mined["repo"] == "origin"
    assert report["added_pairs"] == 3
    assert not list(scratch.iterdir())  # the clone is gone
    again = json.loads(origin.cli("mine", url, "--out", str(out), "--json", env=run_env).stdout)
    assert again["repositories"][0]["status"] == "up_to_date"
    missing = origin.cli("mine", f"file://{tmp_path}/nothing", "--out", str(out), check=False)
    assert missing.returncode == 1 and "cannot clone file://" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_refusals_are_one_line_and_write_nothing(tmp_path: Path, env: dict) -> None:
    repo = GitRepo.init(tmp_path / "repo", env)
    build_history(repo, 1)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    cases = [
        (["--out", str(foreign)], "not a selfware-git parts store"),
        (["--engine", "ray"], "pass --out DIR"),
        (["--address", "auto", "--out", str(tmp_path / "p")], "add --engine ray"),
        (["file:///somewhere/x.git"], "pass --out DIR"),
    ]
    for args, message in cases:
        proc = repo.cli("mine", *args, check=False)
        assert proc.returncode == 1 and message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert [entry.name for entry in foreign.iterdir()] == ["cat.jpg"]
    assert not (tmp_path / "p").exists()
    proc = repo.cli("stats", "--store", str(foreign), check=False)
    assert proc.returncode == 1 and "no store of pairs" in proc.stderr
    first_run_killed = tmp_path / "half"
    (first_run_killed / "repo=other-0123456789ab").mkdir(parents=True)  # no card, no fingerprint
    assert (
        json.loads(repo.cli("mine", "--out", str(first_run_killed), "--json").stdout)["added_pairs"]
        == 1
    )


def test_killed_runs_leave_whole_parts_and_the_rerun_completes(tmp_path: Path, env: dict) -> None:
    repos = []
    for name in ("big", "small"):
        repo = GitRepo.init(tmp_path / name, env)
        build_history(repo, 40 if name == "big" else 3)
        repos.append(str(repo.path))
    clean = tmp_path / "clean"
    GitRepo(tmp_path, env).cli("mine", "--quiet", "--out", str(clean), *repos)
    out = tmp_path / "killed"
    for delay in (0.4, 0.8, 1.2, 1.6, 2.0):
        proc = subprocess.Popen(
            [*CLI, "mine", "--quiet", "--jobs", "2", "--out", str(out), *repos],
            env=env,
            start_new_session=True,  # its worker processes die with it
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for path in out.glob("repo=*/*.parquet"):
            pq.read_table(path)  # never half a file
    GitRepo(tmp_path, env).cli("mine", "--quiet", "--out", str(out), *repos)
    assert part_ids(out) == part_ids(clean)
    assert not list(out.rglob("*.tmp"))


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_parts_mine_and_export_run_with_networking_denied(tmp_path: Path, env: dict) -> None:
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("this kernel does not allow network namespaces here")
    repo = GitRepo.init(tmp_path / "repo", env)
    build_history(repo, 2, hooks=False)  # agents by trailers, which a clone keeps
    out = tmp_path / "parts"
    for args in (
        ["mine", "--out", str(out), "--jobs", "2", str(repo.path), f"file://{repo.path}"],
        ["export", "--store", str(out), "--out", str(tmp_path / "ds")],
    ):
        proc = subprocess.run(
            ["unshare", "-rn", *CLI, *args], cwd=repo.path, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
    assert [len(part_ids(out, part=name)) for name in parts_of(out)] == [2, 2]
    assert len(part_ids(out)) == 2


def test_engine_ray_without_ray_installed_says_how_to_install_it(tmp_path: Path, env: dict) -> None:
    hide = tmp_path / "no-ray"
    hide.mkdir()
    (hide / "ray.py").write_text('raise ModuleNotFoundError("No module named ray", name="ray")\n')
    repo = GitRepo.init(tmp_path / "repo", env)
    build_history(repo, 1)
    out = tmp_path / "parts"
    proc = repo.cli(
        "mine", "--engine", "ray", "--out", str(out), check=False, env={"PYTHONPATH": str(hide)}
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "needs Ray, which is not installed" in proc.stderr
    assert "pip install 'selfware-git[ray]'" in proc.stderr
    assert not out.exists()
