"""`selfware-git mine`: the captured trail and the plain history of each repository, turned
into preference rows. One repository per worker; the store is written by the parent alone."""

from __future__ import annotations

import calendar
import hashlib
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

import pygit2
from tqdm import tqdm

from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import locate

from .extract import Extractor
from .fix_workers import FixRows, RepoHandle
from .fixes import LaterFixes
from .history import LaterFix, history_corrections
from .repository import config_flag, open_repository
from .snapshot_sessions import sessions
from .snapshots import SnapshotEdits, is_expired, max_age_seconds, prune_sessions, session_events
from .store import Drop, Store
from .trail import Correction, Trail

# The pair rules' version: rows mined under other rules are rebuilt by the next `mine`.
MINER_VERSION = "14"
# Commits along ancestry from an agent commit within which a person's edit of its lines is a
# fix: chosen from the distances of hand-labelled real corrections (README, pair rules).
DEFAULT_WINDOW = 500


@dataclass(frozen=True)
class MineOptions:
    window: int = DEFAULT_WINDOW
    since: int | None = None  # epoch seconds: corrections made before it are left out
    progress: bool = False
    rebuild: bool = False  # replace each repository's rows even where its rules are current
    remotes: bool = False  # walk remote-tracking branches too
    workers: int = 1  # processes building one repository's rows while its history is walked


@dataclass
class RepoReport:
    repo: str
    path: str
    status: str = "mined"  # mined | up_to_date | disabled | error
    message: str | None = None
    rebuilt: bool = False  # its earlier rows were replaced (rules changed, or --rebuild)
    commits: int = 0
    agent_commits: int = 0
    agents: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    pairs: int = 0
    unpaired: int = 0
    skips: dict[str, int] = field(default_factory=dict)
    fingerprint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("fingerprint")
        return data


@dataclass
class RepoResult:
    report: RepoReport
    pairs: list[dict[str, Any]] = field(default_factory=list)
    unpaired: list[dict[str, Any]] = field(default_factory=list)
    agent_commits: dict[str, str] = field(default_factory=dict)  # sha → agent
    expired_sessions: list[tuple[str, str]] = field(default_factory=list)  # (ref, tip) to prune


def repo_name(path: Path) -> str:
    name = path.name
    return name[:-4] if name.endswith(".git") and len(name) > 4 else name


def fingerprint(repo: pygit2.Repository, journal: Path, options: MineOptions) -> str:
    """Changes whenever anything mining reads could have changed: refs, journal, options."""
    digest = hashlib.sha256(
        f"{MINER_VERSION}|{options.window}|{options.since}|{options.remotes}".encode()
    )
    head = "unborn" if repo.head_is_unborn else str(repo.head.target)
    digest.update(head.encode())
    for name in sorted(repo.references):
        ref = repo.references.get(name)
        digest.update(f"{name}={ref.target if ref else ''}".encode())
    size = journal.stat().st_size if journal.exists() else 0
    digest.update(str(size).encode())
    return digest.hexdigest()


def mine_repository(path: Path, options: MineOptions, previous: str | None) -> RepoResult:
    """Mine one repository. User-level problems become an error report, never an exception."""
    # libgit2's object cache grows with the history walked (up to 256 MiB); every object is
    # read about once here, so memory stays flat without it for ~10% more time.
    pygit2.settings.enable_caching(False)
    report = RepoReport(repo=repo_name(path.resolve()), path=str(path))
    try:
        paths = locate(path)
        repo = open_repository(paths.common_dir)
    except UserError as exc:
        report.status, report.message = "error", str(exc)
        return RepoResult(report)
    root = paths.worktree or paths.common_dir
    report.repo, report.path = repo_name(root), str(root)
    if not config_flag(repo, "selfware.enabled", default=True):
        report.status, report.message = "disabled", "selfware.enabled is false in git config"
        return RepoResult(report)
    report.fingerprint = fingerprint(repo, paths.journal, options)
    if previous == report.fingerprint and not options.rebuild:
        report.status = "up_to_date"
        return RepoResult(report)
    handle = RepoHandle(str(paths.common_dir), str(paths.selfware_dir), report.repo)
    try:
        return _mine(repo, Trail(repo, paths.selfware_dir), report, options, handle)
    except UserError as exc:  # git could not read the history: this repository's report
        report.status, report.message = "error", str(exc)
        return RepoResult(report)


def _mine(
    repo: pygit2.Repository,
    trail: Trail,
    report: RepoReport,
    options: MineOptions,
    handle: RepoHandle,
) -> RepoResult:
    result = RepoResult(report)
    skips: Counter = Counter()
    events: Counter = Counter()
    agents: Counter = Counter()
    if repo.is_shallow:
        skips["shallow_history"] += 1
    extractor = Extractor(repo, trail, report.repo, skips)
    later_fixes = LaterFixes(repo, trail, extractor.reader, report.repo, skips)
    bar = tqdm(
        desc=f"mining {report.repo}",
        unit=" commits",
        disable=not options.progress,
        file=sys.stderr,
        leave=False,
    )

    agent_shas: dict[str, str] = trail.agent_commits()

    def on_commit(commit: pygit2.Commit, agent: str | None) -> None:
        report.commits += 1
        if agent:
            agent_shas[str(commit.id)] = agent
        bar.update()

    seen: set[tuple[str, str, str | None]] = set()

    def rows_of(correction: Correction | LaterFix) -> list[dict[str, Any]]:
        if isinstance(correction, LaterFix):
            return list(later_fixes.rows(correction))
        key = (correction.kind, correction.agent_commit, correction.person_commit)
        if key in seen:
            return []
        seen.add(key)
        return list(extractor.rows(correction))

    history = history_corrections(
        repo, trail, extractor.reader, options.window, skips, on_commit, options.remotes
    )
    with bar, FixRows(handle, options.workers, skips) as fix_rows:
        corrections = chain(trail.corrections(), history)
        for correction, found in fix_rows.ordered(corrections, rows_of):
            kind = "fix" if isinstance(correction, LaterFix) else correction.kind
            _keep(found, kind, options, events, result)
    _mine_snapshots(repo, later_fixes, options, events, result)
    agents.update(agent_shas.values())
    result.agent_commits = agent_shas
    report.agent_commits = sum(agents.values())
    report.agents = dict(sorted(agents.items()))
    report.events = dict(sorted(events.items()))
    report.skips = dict(sorted(skips.items()))
    report.pairs, report.unpaired = len(result.pairs), len(result.unpaired)
    return result


def _mine_snapshots(
    repo: pygit2.Repository,
    later_fixes: LaterFixes,
    options: MineOptions,
    events: Counter,
    result: RepoResult,
) -> None:
    """`edit` rows from the agent edit snapshots; sessions past `selfware.snapshotMaxAge` are
    listed for pruning once their rows are stored."""
    edits = SnapshotEdits(later_fixes, options.window)
    max_age = max_age_seconds(repo)
    for session in sessions(repo):
        snapshots = session_events(repo, session)
        for found in edits.corrections(session, snapshots):
            _keep(found, "edit", options, events, result)
        if is_expired(snapshots, max_age):
            result.expired_sessions.append((session.ref, session.tip))


def _keep(
    found: list[dict[str, Any]],
    kind: str,
    options: MineOptions,
    events: Counter,
    result: RepoResult,
) -> None:
    """One correction's rows into the result (pairs or unpaired), those made before
    `--since` left out; the correction counted under its event where any row is kept."""
    rows = [r for r in found if not options.since or _epoch(r["timestamp"]) >= options.since]
    if rows:
        events[kind] += 1
    for row in rows:
        (result.pairs if row["chosen"] is not None else result.unpaired).append(row)


def _epoch(timestamp: str) -> int:
    return calendar.timegm(time.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ"))


@dataclass
class MineSummary:
    reports: list[RepoReport]
    added_pairs: int = 0
    added_unpaired: int = 0
    store: str = ""
    unpaired_store: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "unpaired_store": self.unpaired_store,
            "added_pairs": self.added_pairs,
            "added_unpaired": self.added_unpaired,
            "repositories": [r.as_dict() for r in self.reports],
        }


def mine_all(repos: list[Path], store: Store, options: MineOptions, jobs: int) -> MineSummary:
    """Mine every repository and add new rows to the store: `jobs` processes mine several
    repositories side by side, or build the rows of a single one while its history is walked.
    State is saved only after the rows of a repository are safely in the store. A repository
    mined before under other rules (or with `rebuild`) has its earlier rows replaced."""
    summary = MineSummary([], store=str(store.pairs), unpaired_store=str(store.unpaired))
    with store.locked():
        state = store.load_state()
        previous = state.setdefault("fingerprints", {})
        rules = state.setdefault("rules", {})
        row_ids = state.setdefault("rows", {})
        keys = [str(p.resolve()) for p in repos]
        if len(repos) == 1:
            options = replace(options, workers=jobs)
        if jobs > 1 and len(repos) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(
                    pool.map(
                        mine_repository,
                        repos,
                        [options] * len(repos),
                        [previous.get(k) for k in keys],
                    )
                )
        else:
            results = (
                mine_repository(p, options, previous.get(k))
                for p, k in zip(repos, keys, strict=True)
            )
        for key, result in zip(keys, results, strict=True):
            report = result.report
            if report.status == "mined":
                stale = key in previous and (options.rebuild or rules.get(key) != MINER_VERSION)
                if stale:
                    drop = Drop(set(row_ids.get(key, ())), None if key in row_ids else report.repo)
                    store.remove(store.pairs, drop)
                    store.remove(store.unpaired, drop)
                    report.rebuilt = True
                summary.added_pairs += store.add(store.pairs, result.pairs)
                summary.added_unpaired += store.add(store.unpaired, result.unpaired)
                prune_sessions(Path(report.path), result.expired_sessions)
                rules[key] = MINER_VERSION
                row_ids[key] = sorted(
                    row["metadata"]["id"] for row in chain(result.pairs, result.unpaired)
                )
            if report.fingerprint and report.status != "error":
                previous[key] = report.fingerprint
                store.save_state(state)
            summary.reports.append(report)
    return summary
