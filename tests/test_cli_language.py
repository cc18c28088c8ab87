"""One CLI language: REPO arguments, `--store` for the pairs file, `--repo-name` for the
filter, `error:` everywhere, help for every option; the previous spellings still work, hidden,
with a note, for one release."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.gitrepo import CLI, GitRepo
from tests.scenario import agent, person, py


def run_cli(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, cwd=cwd)


def test_bare_command_prints_help_and_succeeds(env: dict) -> None:
    proc = run_cli(env)
    assert proc.returncode == 0
    assert "Commands:" in proc.stdout and "pairs" in proc.stdout


def test_every_option_has_help(env: dict) -> None:
    from selfware_git.miner.cli import cli

    def walk(command, path):
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                assert param.help, f"{path} {param.opts} has no help"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(cli, "selfware-git")
    export_help = " ".join(run_cli(env, "export", "--help").stdout.split())
    assert "--since" in export_help and "on or after this day" in export_help
    assert "--repo-name" in export_help
    assert "--repo " not in export_help  # the old spelling is hidden


def test_errors_are_lowercase_error_everywhere(env: dict, tmp_path: Path) -> None:
    for args in (
        ["export", "--no-such-option"],
        ["stats", "--store", str(tmp_path / "missing.jsonl")],
        ["nonsense-command"],
        ["export", "--format", "xml"],
    ):
        proc = run_cli(env, *args)
        assert proc.returncode in (1, 2), args
        assert "error: " in proc.stderr and "Error:" not in proc.stderr, (args, proc.stderr)


def test_repositories_are_arguments_everywhere(repo: GitRepo, tmp_path: Path, env: dict) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "Installed" in run_cli(env, "install-hooks", str(repo.path), cwd=elsewhere).stdout
    status = json.loads(run_cli(env, "status", str(repo.path), "--json", cwd=elsewhere).stdout)
    assert status["hooks"]["reference-transaction"]["installed"]
    person(repo, {"README.md": "x\n"}, "base")
    agent(repo, {"a.py": py("f", "return 1")})
    person(repo, {"a.py": py("f", "return 2")})
    store = tmp_path / "s" / "preferences.jsonl"
    report = json.loads(
        run_cli(env, "mine", str(repo.path), "--store", str(store), "--json", cwd=elsewhere).stdout
    )
    assert report["added_pairs"] == 1
    out = run_cli(env, "forget", str(repo.path), "--all", "--store", str(store), cwd=elsewhere)
    assert "Removed" in out.stdout
    assert "Removed" in run_cli(env, "uninstall-hooks", str(repo.path), cwd=elsewhere).stdout


def test_old_spellings_still_work_with_a_note(repo: GitRepo, tmp_path: Path, env: dict) -> None:
    proc = repo.cli("install-hooks", "--repo", str(repo.path))
    assert "Installed" in proc.stdout and "note: --repo PATH is now a REPO argument" in proc.stderr
    person(repo, {"README.md": "x\n"}, "base")
    agent(repo, {"a.py": py("f", "return 1")})
    person(repo, {"a.py": py("f", "return 2")})
    store = tmp_path / "s" / "preferences.jsonl"
    proc = repo.cli("mine", "--out", str(store), "--json")
    assert json.loads(proc.stdout)["added_pairs"] == 1 and "--store FILE" in proc.stderr
    proc = repo.cli("export", "--store", str(store), "--repo", repo.path.name, "--json")
    assert json.loads(proc.stdout)["counts"] and "--repo-name" in proc.stderr
    proc = repo.cli("forget", "--repo", str(repo.path), "--all", "--store", str(store))
    assert "Removed" in proc.stdout


def test_export_goes_beside_the_store_it_reads(demo_store: Path, tmp_path: Path, env) -> None:
    store = tmp_path / "elsewhere" / "preferences.jsonl"
    store.parent.mkdir()
    store.write_bytes(demo_store.read_bytes())
    proc = run_cli(env, "export", "--store", str(store), "--json")
    assert json.loads(proc.stdout)["out"] == str(store.parent / "dataset-standard")
    assert not (Path(env["SELFWARE_HOME"]) / "feedback").exists()
    victim = json.loads(store.read_text().splitlines()[0])["metadata"]["id"]
    forgot = json.loads(
        run_cli(env, "forget", "--id", victim, "--store", str(store), "--json").stdout
    )
    assert any("dataset-standard" in file for file in forgot["rows"])  # forget finds it


@pytest.mark.parametrize("command", ["install-hooks", "status", "disable", "enable"])
def test_two_repositories_for_one_is_an_error(repo: GitRepo, tmp_path: Path, command) -> None:
    other = GitRepo.init(tmp_path / "other", repo.env)
    proc = repo.cli(command, str(repo.path), "--repo", str(other.path), check=False)
    assert proc.returncode == 1 and "two repositories given" in proc.stderr
