"""Privacy: planted secrets never reach a store or an export; scoping, disable, forget,
permissions, hostile file names, and no network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.gitrepo import CLI, GitRepo
from tests.planted_secrets import SECRETS
from tests.scenario import agent, person, py

LANGUAGES = ("py", "js", "ts", "go", "rb")


def function_source(ext: str, index: int, line: str, result: int) -> str:
    name, literal = line.split(" = ", 1)
    if ext == "py":
        return f"def fn_{index}():\n    {name} = {literal}\n    return {result}\n"
    if ext in ("js", "ts"):
        return f"function fn_{index}() {{\n  const {name} = {literal};\n  return {result};\n}}\n"
    if ext == "go":
        return (
            f"func Fn{index}() int {{\n\t{name} := {literal}\n\t_ = {name}\n\treturn {result}\n}}\n"
        )
    return f"def fn_{index}\n  {name} = {literal}\n  {result}\nend\n"


def planted_files(result: int) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    for index, (_kind, (_value, line)) in enumerate(SECRETS.items()):
        ext = LANGUAGES[index % len(LANGUAGES)]
        header = "package main\n\n" if ext == "go" else ""
        files.setdefault(f"src/module.{ext}", [header]).append(
            function_source(ext, index, line, result)
        )
    return {path: "\n".join(parts) for path, parts in files.items()}


def output_texts(folder: Path) -> dict[Path, str]:
    """Every file under `folder` as text; Parquet decoded first (it is compressed)."""
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file():
            if path.suffix == ".parquet":
                texts[path] = json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False)
            else:
                texts[path] = path.read_text(errors="replace")
    return texts


def test_planted_secrets_never_reach_any_output(repo: GitRepo, tmp_path: Path) -> None:
    assert len(SECRETS) >= 30
    repo.cli("install-hooks")
    person(repo, {"README.md": "service\n"}, "base")
    task = f"Wire the clients; the GitHub token is {SECRETS['github-pat'][0]}"
    rotate_old = 'def rotate():\n    key = "sk_live_51OldOldOldOldOldOld0"\n    return key\n'
    rotate_new = 'def rotate():\n    key = "sk_live_51NewNewNewNewNewNew1"\n    return key\n'
    env_file = "OPENAI_API_KEY=sk-proj-EnvFileOnlyEnvFileOnly000\n"
    agent(repo, {**planted_files(1), "rotate.py": rotate_old, ".env": env_file}, task=task)
    person(repo, {**planted_files(2), "rotate.py": rotate_new}, "return 2, new key")

    home = tmp_path / "out"
    store = home / "preferences.jsonl"
    report = json.loads(repo.cli("mine", "--out", str(store), "--json").stdout)
    assert report["added_pairs"] == len(SECRETS)  # every planted function paired...
    assert report["repositories"][0]["skips"]["secret_only_change"] == 1  # ...but `rotate`
    for style in ("standard", "conversational", "kto"):
        for fmt in ("parquet", "jsonl"):
            repo.cli(
                "export",
                "--store",
                str(store),
                "--style",
                style,
                "--format",
                fmt,
                "--out",
                str(home / f"{style}-{fmt}"),
            )

    texts = output_texts(home)
    assert len(texts) >= 6 * 2 + 3
    everything = "\n".join(texts.values())
    assert everything.count("<REDACTED:") >= 2 * len(SECRETS)
    planted = [value for value, _line in SECRETS.values()]
    planted += [
        "sk_live_51OldOldOldOldOldOld0",
        "sk_live_51NewNewNewNewNewNew1",
        "sk-proj-EnvFileOnlyEnvFileOnly000",
    ]
    leaks = {value: [str(p) for p, t in texts.items() if value in t] for value in planted}
    assert {value: where for value, where in leaks.items() if where} == {}


def test_include_and_exclude_globs(repo: GitRepo, mine) -> None:
    repo.cli("install-hooks")
    repo.git("config", "--add", "selfware.include", "src/*")
    repo.git("config", "--add", "selfware.exclude", "src/private/*")
    person(repo, {"README.md": "x\n"}, "base")
    files = {p: py("f", "return 1") for p in ("src/a.py", "src/private/b.py", "tools/c.py")}
    agent(repo, files)
    person(repo, {p: py("f", "return 2") for p in files})
    rows, report = mine(repo)
    assert [r["metadata"]["path"] for r in rows] == ["src/a.py"]
    assert report["skips"]["excluded"] >= 2


def test_disable_and_enable(repo: GitRepo, tmp_path: Path) -> None:
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    repo.cli("disable")
    before = repo.journal_lines()
    agent(repo, {"a.py": py("f", "return 1")})
    person(repo, {"a.py": py("f", "return 2")})
    assert repo.journal_lines() == before
    assert "Capture: OFF" in repo.cli("status").stdout
    report = json.loads(repo.cli("mine", "--json", "--out", str(tmp_path / "p.jsonl")).stdout)
    assert report["repositories"][0]["status"] == "disabled"
    assert report["added_pairs"] == 0
    repo.cli("enable")
    agent(repo, {"a.py": py("f", "return 3")})
    person(repo, {"a.py": py("f", "return 4")})
    assert len(repo.journal_lines()) > len(before)
    report = json.loads(repo.cli("mine", "--json", "--out", str(tmp_path / "p.jsonl")).stdout)
    assert report["added_pairs"] == 1  # only what was captured while on


def _mined_repo(repo: GitRepo, store: Path) -> tuple[str, str]:
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    first = agent(repo, {"a.py": py("f", "return 1"), "b.py": py("g", "return 1")})
    person(repo, {"a.py": py("f", "return 2"), "b.py": py("g", "return 2")})
    second = agent(repo, {"c.py": py("h", "return 1")})
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.cli("mine", "--quiet", "--out", str(store))
    repo.cli("export", "--store", str(store), "--out", str(store.parent / "dataset-standard"))
    return first, second


def _rows(store: Path) -> list[dict]:
    return [json.loads(line) for line in store.read_text().splitlines()] if store.exists() else []


def test_forget_a_commit_with_dry_run_first(repo: GitRepo, tmp_path: Path) -> None:
    store = tmp_path / "feedback" / "preferences.jsonl"
    first, _second = _mined_repo(repo, store)
    assert len(_rows(store)) == 2
    refs_before = repo.git("for-each-ref", "refs/selfware").stdout
    dry = json.loads(
        repo.cli("forget", "--commit", first, "--store", str(store), "--dry-run", "--json").stdout
    )
    assert sum(dry["rows"].values()) == 2 + 2  # store and export
    assert dry["journal_lines"] >= 1 and dry["refs"]
    assert len(_rows(store)) == 2
    assert repo.git("for-each-ref", "refs/selfware").stdout == refs_before
    repo.cli("forget", "--commit", first, "--store", str(store))
    assert _rows(store) == []
    assert first not in repo.journal.read_text()
    assert first not in repo.git("for-each-ref", "refs/selfware").stdout
    exported = store.parent / "dataset-standard"
    assert all(pq.read_table(p).num_rows == 0 for p in exported.glob("*.parquet"))


def test_forget_by_path_repo_and_all(repo: GitRepo, tmp_path: Path) -> None:
    store = tmp_path / "feedback" / "preferences.jsonl"
    _mined_repo(repo, store)
    unpaired = store.with_name("preferences.unpaired.jsonl")
    assert len(_rows(unpaired)) == 1
    repo.cli("forget", "--path", "a.py", "--store", str(store))
    assert [r["metadata"]["path"] for r in _rows(store)] == ["b.py"]
    out = repo.cli("forget", "--repo", str(repo.path), "--all", "--store", str(store)).stdout
    assert "Removed" in out
    assert _rows(store) == [] and _rows(unpaired) == []
    assert repo.journal.read_text() == ""
    assert repo.git("for-each-ref", "refs/selfware").stdout == ""
    assert "Nothing matched" in repo.cli("forget", "--all", "--store", str(store)).stdout


def test_forget_needs_a_scope(repo: GitRepo) -> None:
    proc = repo.cli("forget", check=False)
    assert (
        proc.returncode == 1
        and "name a REPO, or pass --path, --commit, --id or --all" in proc.stderr
    )


def test_store_and_exports_are_private(repo: GitRepo, tmp_path: Path) -> None:
    store = tmp_path / "feedback" / "preferences.jsonl"
    _mined_repo(repo, store)
    assert store.parent.stat().st_mode & 0o777 == 0o700
    for path in store.parent.rglob("*"):
        if path.is_file() and not path.name.startswith(".") or path.suffix == ".lock":
            assert path.stat().st_mode & 0o777 == 0o600, path
        elif path.is_dir():
            assert path.stat().st_mode & 0o777 == 0o700, path
    assert repo.journal.stat().st_mode & 0o777 == 0o600


def test_hostile_file_names(repo: GitRepo, tmp_path: Path) -> None:
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    names = ["dir/new\nline.py", "x" * 200 + ".py", "..dotdot/..py", "-rf.py"]
    agent(repo, {name: py("f", "return 1") for name in names})
    raw = os.fsencode(str(repo.path)) + b"/latin-\xe9.py"
    with open(raw, "wb") as handle:
        handle.write(py("f", "return 1").encode())
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "latin-1 name", env={"SELFWARE_AGENT": "claude"})
    person(repo, {name: py("f", "return 2") for name in names})
    with open(raw, "wb") as handle:
        handle.write(py("f", "return 2").encode())
    person(repo, {}, "fix latin")
    out = tmp_path / "safe" / "preferences.jsonl"
    report = json.loads(repo.cli("mine", "--json", "--store", str(out)).stdout)
    assert report["added_pairs"] == len(names) + 1
    written = sorted(p.name for p in out.parent.iterdir())
    assert written == ["preferences.jsonl", "preferences.state.json"]  # no lock file left
    paths = {r["metadata"]["path"] for r in _rows(out)}
    assert "dir/new\nline.py" in paths and any(p.startswith("latin-") for p in paths)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_mine_and_export_run_with_networking_denied(repo: GitRepo, tmp_path: Path) -> None:
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("this kernel does not allow network namespaces here")
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    agent(repo, {"a.py": py("f", "return 1")})
    person(repo, {"a.py": py("f", "return 2")})
    store = tmp_path / "p.jsonl"
    offline = ["unshare", "-rn", *CLI]
    for args in (
        ["mine", "--out", str(store)],
        ["export", "--store", str(store), "--out", str(tmp_path / "ds")],
    ):
        proc = subprocess.run(
            [*offline, *args], cwd=repo.path, env=repo.env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
    probe = subprocess.run(
        [
            "unshare",
            "-rn",
            "python3",
            "-c",
            "import socket; socket.create_connection(('127.0.0.1', 9), 1)",
        ],
        capture_output=True,
    )
    assert probe.returncode != 0  # the namespace really has no network
    assert len(_rows(store)) == 1
