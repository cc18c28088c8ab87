"""Pair quality on hand-labelled real history: precision and recall of `mine` per repository
and language, with every miss and every false positive listed.

The labels (labels/*.jsonl) were made by reading diffs of public repositories, not by the
miner's rules: each row names a person's commit, a path and a function, and says whether the
person's change there is a real correction of code an agent wrote (`correction`) or a
look-alike (formatter, comment, rename, ripple, sweep, move, other_lines, bot, agent) or the
function's later growth (`growth`). Only shas, paths, names and labels are stored;
repos.json names each repository and the snapshot HEAD that was labelled.

Fetch each repository as a bare clone into one folder (DIR/<owner>+<name>/repo or
DIR/<owner>+<name>, as `git clone --mirror` would make it), then:

    python benchmarks/pair_quality/score.py --mirrors DIR [--window N] [--only NAME] [--json]

A mined row matches a label when its chosen commit, path and function agree (the function's
last name segment, so `Type.method` and `method` match). Precision counts a look-alike the
miner paired as a false positive; `growth` is reported beside it, strictly (as a false
positive) and leniently (left out). Rows that match no label are counted, not judged.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from selfware_git.miner.languages import language_for
from selfware_git.miner.mine import MineOptions, mine_repository

HERE = Path(__file__).parent
NEUTRAL = "growth"


def segments(name: str) -> list[str]:
    return [part for part in re.split(r"[.:#]+", name or "") if part]


def key(commit: str, path: str, function: str) -> tuple[str, str, str]:
    parts = segments(function)
    return commit, path, parts[-1] if parts else function


def find_mined(label: dict, mined: dict, by_place: dict) -> dict | None:
    """The mined row for a label: same commit, path and function name; else a row of a
    function nested in the labelled one (a labeller may name the enclosing function)."""
    exact = mined.get(key(label["commit"], label["path"], label["function"]))
    if exact is not None:
        return exact
    name = segments(label["function"])[-1:] or [label["function"]]
    for row in by_place.get((label["commit"], label["path"]), []):
        if name[0] in segments(row["metadata"]["function"])[:-1]:
            return row
    return None


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def load_labels(name: str) -> list[dict]:
    return read_jsonl(HERE / "labels" / f"{name}.jsonl")


def index_rows(rows: list[dict]) -> tuple[dict, dict]:
    """Mined rows by (commit, path, function name), and by (commit, path), for find_mined."""
    mined, by_place = {}, defaultdict(list)
    for row in rows:
        meta = row["metadata"]
        mined.setdefault(key(meta["chosen_commit"] or "", meta["path"], meta["function"]), row)
        by_place[(meta["chosen_commit"] or "", meta["path"])].append(row)
    return mined, by_place


def locate_mirror(mirrors: Path, repo: str) -> Path | None:
    folder = mirrors / repo.replace("/", "+")
    for candidate in (folder / "repo", folder):
        if (candidate / "HEAD").exists() or (candidate / ".git").exists():
            return candidate
    return None


def mined_rows(mirror: Path, window: int | None, keep: Path | None, name: str):
    """The rows `mine` gives for one snapshot, and its report; with `keep`, also written there
    (DIR/NAME.jsonl, on this machine only: they hold the repository's code)."""
    options = MineOptions(**({"window": window} if window else {}))
    result = mine_repository(mirror, options, None)
    rows = result.pairs + result.unpaired
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        with (keep / f"{name}.jsonl").open("w") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
    return rows, result.report.as_dict()


def score_repo(
    name: str, info: dict, mirror: Path, window: int | None, keep: Path | None = None
) -> dict:
    rows, report = mined_rows(mirror, window, keep, name)
    mined, by_place = index_rows(rows)
    labels = load_labels(name)
    by_key = {key(r["commit"], r["path"], r["function"]): r for r in labels}
    tally: dict[str, Counter] = defaultdict(Counter)
    misses, false_positives = [], []
    matched = set()
    for label in by_key.values():
        spec = language_for(label["path"])
        language = spec.name if spec else "other"
        row = find_mined(label, mined, by_place)
        found = row is not None
        if found:
            matched.add(row["metadata"]["id"])
        kind = label["label"]
        for group in ("all", language):
            counter = tally[group]
            if kind == "correction":
                counter["tp" if found else "fn"] += 1
            elif kind == NEUTRAL:
                counter["growth_mined" if found else "growth_left"] += 1
            else:
                counter["fp" if found else "tn"] += 1
        if kind == "correction" and not found:
            misses.append(label)
        elif kind != "correction" and kind != NEUTRAL and found:
            false_positives.append(label)
    unlabelled = [r for r in mined.values() if r["metadata"]["id"] not in matched]
    return {
        "repo": info["repo"],
        "head": str(info.get("head")),
        "mined_rows": len(mined),
        "unlabelled_rows": len(unlabelled),
        "report": report,
        "tally": {group: dict(counter) for group, counter in tally.items()},
        "misses": misses,
        "false_positives": false_positives,
    }


def figures(counter: Counter | dict) -> dict:
    tp, fp, fn = counter.get("tp", 0), counter.get("fp", 0), counter.get("fn", 0)
    growth = counter.get("growth_mined", 0)
    return {
        "corrections": tp + fn,
        "look_alikes": fp + counter.get("tn", 0),
        "precision": tp / (tp + fp) if tp + fp else None,
        "precision_growth_as_fp": tp / (tp + fp + growth) if tp + fp + growth else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }


def fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of bare clones")
    parser.add_argument("--window", type=int, default=None, help="mine's --window")
    parser.add_argument("--only", action="append", default=[], help="label set name")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep-rows", type=Path, default=None, help="write mined rows here")
    args = parser.parse_args()
    repos = json.loads((HERE / "repos.json").read_text())
    results, total, by_language = {}, Counter(), defaultdict(Counter)
    for name, info in sorted(repos.items()):
        if args.only and name not in args.only:
            continue
        if not (HERE / "labels" / f"{name}.jsonl").exists():
            print(f"{name}: no labels yet (labels/{name}.jsonl)", file=sys.stderr)
            continue
        mirror = locate_mirror(args.mirrors, info["repo"])
        if mirror is None:
            print(f"{name}: no clone of {info['repo']} under {args.mirrors}", file=sys.stderr)
            continue
        result = score_repo(name, info, mirror, args.window, args.keep_rows)
        results[name] = result
        for group, counter in result["tally"].items():
            (total if group == "all" else by_language[group]).update(counter)
    if args.json:
        print(json.dumps({"repositories": results, "total": figures(total)}, indent=2))
        return 0
    header = f"{'set':<14}{'corr':>6}{'look':>6}{'prec':>8}{'prec*':>8}{'recall':>8}"
    print(header + "  mined/unlabelled")
    for name, result in results.items():
        f = figures(result["tally"].get("all", {}))
        print(
            f"{name:<14}{f['corrections']:>6}{f['look_alikes']:>6}{fmt(f['precision']):>8}"
            f"{fmt(f['precision_growth_as_fp']):>8}{fmt(f['recall']):>8}"
            f"  {result['mined_rows']}/{result['unlabelled_rows']}"
        )
    for language, counter in sorted(by_language.items()):
        f = figures(counter)
        print(
            f"{'  ' + language:<14}{f['corrections']:>6}{f['look_alikes']:>6}"
            f"{fmt(f['precision']):>8}{fmt(f['precision_growth_as_fp']):>8}{fmt(f['recall']):>8}"
        )
    f = figures(total)
    print(
        f"{'total':<14}{f['corrections']:>6}{f['look_alikes']:>6}{fmt(f['precision']):>8}"
        f"{fmt(f['precision_growth_as_fp']):>8}{fmt(f['recall']):>8}"
    )
    print("(prec*: growth counted as a false positive)")
    for name, result in results.items():
        for label in result["misses"]:
            print(
                f"miss {name} {label['commit'][:10]} {label['path']} {label['function']}"
                f" d={label.get('distance')}: {label['note']}"
            )
        for label in result["false_positives"]:
            print(
                f"false positive {name} {label['commit'][:10]} {label['path']}"
                f" {label['function']} [{label['label']}]: {label['note']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
