"""`selfware-git mine --out DIR`: each repository mined by its own task, on this machine or as
a Ray task, the task writing its rows into the repository's part and returning its report.
The driver only schedules, shows progress and sums up, so no rows travel back to it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from selfware_git.hooks.errors import UserError

from ..mine import MINER_VERSION, MineOptions, MineSummary, RepoReport, mine_repository
from ..parts import KINDS, PartsStore, read_fingerprint, row_ids, write_part
from ..snapshots import prune_sessions
from ..store import remove_temp_files, unique_by_id
from .clones import Source, parse_source
from .local import LocalEngine


@dataclass
class PartResult:
    report: RepoReport
    added_pairs: int = 0
    added_unpaired: int = 0


def mine_part(source: Source, folder: Path, options: MineOptions) -> PartResult:
    """Mine one repository into its part of the store in `folder`; a repository whose
    fingerprint matches its part's is skipped. User-level problems (not a repository, a URL
    that does not clone) become an error report, never an exception."""
    part = PartsStore(folder).part(source.part_id)
    remove_temp_files(part)  # what a task killed mid-write left
    previous = read_fingerprint(part)
    try:
        with source.local_copy() as path:
            result = mine_repository(path, options, previous.get("fingerprint"))
    except UserError as exc:
        report = RepoReport(repo=source.name, path=source.key, status="error", message=str(exc))
        return PartResult(report)
    report = result.report
    if source.is_url:
        report.path = source.key
    if report.status != "mined":
        return PartResult(report)
    report.rebuilt = bool(previous) and (options.rebuild or previous.get("rules") != MINER_VERSION)
    known = row_ids(part)
    pairs, unpaired = list(unique_by_id(result.pairs)), list(unique_by_id(result.unpaired))
    write_part(
        part,
        pairs,
        unpaired,
        {
            "fingerprint": report.fingerprint,
            "rules": MINER_VERSION,
            "repo": report.repo,
            "source": source.key,
        },
    )
    if result.expired_sessions and not source.is_url:
        prune_sessions(Path(report.path), result.expired_sessions)  # their rows are stored
    return PartResult(
        report,
        added_pairs=sum(row["metadata"]["id"] not in known for row in pairs),
        added_unpaired=sum(row["metadata"]["id"] not in known for row in unpaired),
    )


def mine_parts(
    sources: list[Source], store: PartsStore, options: MineOptions, engine: Any
) -> MineSummary:
    """Mine every source with `engine` (one task per repository) into the store's parts; the
    report order is the order given. A source named twice is mined once. The engine starts
    (Ray: joins its cluster) before anything is written."""
    unique = list({source.key: source for source in sources}.values())
    store.check()
    summary = MineSummary(
        [],
        store=str(store.folder / "repo=*" / f"{KINDS[0]}.parquet"),
        unpaired_store=str(store.folder / "repo=*" / f"{KINDS[1]}.parquet"),
    )
    # One repository's own progress (commits) where it is alone; else the repositories done.
    task_options = replace(options, progress=options.progress and len(unique) == 1)
    if len(unique) == 1 and isinstance(engine, LocalEngine):
        task_options = replace(task_options, workers=engine.jobs)  # workers inside it
    bar = tqdm(
        total=len(unique),
        desc="mining",
        unit=" repos",
        disable=not options.progress or len(unique) == 1,
        file=sys.stderr,
    )
    with engine, store.locked(), bar:
        calls = [(source, store.folder, task_options) for source in unique]
        results = engine.map(mine_part, calls, on_done=bar.update)
        for source, result in zip(unique, results, strict=True):
            if isinstance(result, BaseException):
                result = PartResult(_failed(source, result))
            summary.reports.append(result.report)
            summary.added_pairs += result.added_pairs
            summary.added_unpaired += result.added_unpaired
        store.write_card()
    return summary


def _failed(source: Source, exc: BaseException) -> RepoReport:
    """A task that raised (a bug) or whose worker died past its retries: reported for that
    repository alone, the others carry on."""
    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return RepoReport(
        repo=source.name, path=source.key, status="error", message=f"the task failed: {reason}"
    )


def local_paths(repos: list[str]) -> list[Path]:
    """The repositories for the JSONL store, which mines paths only."""
    urls = [text for text in repos if parse_source(text).is_url]
    if urls:
        raise UserError(
            f"{urls[0]} is a clone URL; URLs are mined into a folder of Parquet parts",
            "pass --out DIR",
        )
    return [Path(text) for text in repos]
