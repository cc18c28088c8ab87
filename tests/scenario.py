"""Small code snippets and helpers for the pair-quality scenarios."""

from __future__ import annotations

from tests.gitrepo import GitRepo


def py(name: str, body: str, params: str = "x") -> str:
    return f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body.splitlines())


def pair_set(rows: list[dict]) -> set[tuple[str, str, str, str | None]]:
    """(event, function, rejected, chosen) of every row; chosen None for unpaired rows."""
    return {
        (r["metadata"]["event"], r["metadata"]["function"], r["rejected"], r["chosen"])
        for r in rows
    }


def strip(text: str) -> str:
    """Function text as the miner extracts it: the source span, no trailing newline."""
    return text.rstrip("\n")


def agent(
    repo: GitRepo, files: dict[str, str | bytes], task: str = "agent task", name: str = "claude"
) -> str:
    return repo.commit(f"agent: {task}", files, agent=name, task=task)


def person(repo: GitRepo, files: dict[str, str | bytes], message: str = "person edit") -> str:
    return repo.commit(message, files)
