"""The window's distance equals `git rev-list --count --ancestry-path A..H` on a real history
with branches and merges, within the limit, and is None past it or off ancestry."""

from __future__ import annotations

import random

from selfware_git.miner.ancestry import Ancestry
from tests.gitrepo import GitRepo


def _random_history(repo: GitRepo, rng: random.Random, commits: int) -> tuple[list[str], Ancestry]:
    """Commits made with `git commit-tree`: runs, forks from recent commits, and merges."""
    repo.commit("root", {"a.txt": "0\n"})
    tree = repo.git("rev-parse", "HEAD^{tree}").stdout.strip()
    shas = [repo.head()]
    ancestry = Ancestry()
    ancestry.add(shas[0], [])
    for i in range(commits):
        parents = [shas[rng.randrange(max(0, len(shas) - 4), len(shas))]]
        if len(shas) > 3 and rng.random() < 0.2:
            parents.append(shas[rng.randrange(0, len(shas) - 1)])
        parents = list(dict.fromkeys(parents))
        args = [a for p in parents for a in ("-p", p)]
        sha = repo.git("commit-tree", tree, *args, "-m", f"c{i}").stdout.strip()
        shas.append(sha)
        ancestry.add(sha, parents)
    return shas, ancestry


def _check_against_git(
    repo: GitRepo, rng: random.Random, shas: list[str], ancestry: Ancestry, tries: int
) -> int:
    checked = 0
    for _ in range(tries):
        ancestor, head = rng.sample(shas, 2)
        limit = rng.randint(1, 20)
        descends = repo.git("merge-base", "--is-ancestor", ancestor, head, check=False)
        expected = None
        if descends.returncode == 0:
            count = int(
                repo.git("rev-list", "--count", "--ancestry-path", f"{ancestor}..{head}").stdout
            )
            expected = count if count <= limit else None
            checked += expected is not None
        found = ancestry.distances([ancestor], head, limit)[ancestor]
        assert found == expected, (ancestor, head, limit)
    return checked


def test_distance_matches_git_rev_list_ancestry_path(repo: GitRepo) -> None:
    rng = random.Random(5)
    shas, ancestry = _random_history(repo, rng, 45)
    assert _check_against_git(repo, rng, shas, ancestry, 120) > 10  # real distances seen


def test_distance_after_forgetting_old_commits_still_matches_git(repo: GitRepo) -> None:
    """Forgetting commits below a generation keeps every distance from a younger commit
    exact: an ancestry path holds only descendants of its start."""
    rng = random.Random(11)
    shas, ancestry = _random_history(repo, rng, 70)
    floor = ancestry.generation(shas[30])
    ancestry.forget_below(floor)
    young = [sha for sha in shas if ancestry.generation(sha) >= floor]
    assert len(young) > 20
    assert _check_against_git(repo, rng, young, ancestry, 120) > 10


def test_distances_from_several_ancestors_match_git_one_by_one(repo: GitRepo) -> None:
    """One search back from a head answers every ancestor asked, each as git counts it."""
    rng = random.Random(23)
    shas, ancestry = _random_history(repo, rng, 60)
    checked = 0
    for _ in range(25):
        head = rng.choice(shas[20:])
        ancestors = rng.sample(shas, 6)
        limit = rng.randint(2, 25)
        found = ancestry.distances(ancestors, head, limit)
        for ancestor in ancestors:
            expected = None
            if ancestor != head and (
                repo.git("merge-base", "--is-ancestor", ancestor, head, check=False).returncode == 0
            ):
                path = repo.git("rev-list", "--count", "--ancestry-path", f"{ancestor}..{head}")
                count = int(path.stdout)
                expected = count if count <= limit else None
            assert found[ancestor] == expected, (ancestor, head, limit)
            checked += expected is not None
    assert checked > 15


def test_distances_on_long_first_parent_lines_with_merged_side_branches(repo: GitRepo) -> None:
    """Long runs of single commits with short side branches merged in now and then: ancestors
    far back on the first-parent line are past the limit without a search, near ones are
    counted with the side commits that descend from them, as git counts them."""
    rng = random.Random(31)
    repo.commit("root", {"a.txt": "0\n"})
    tree = repo.git("rev-parse", "HEAD^{tree}").stdout.strip()
    shas, ancestry = [repo.head()], Ancestry()
    ancestry.add(shas[0], [])
    main = shas[0]
    side: str | None = None
    for i in range(90):
        if side is None and rng.random() < 0.15:
            side = main  # a branch forks here
        if side is not None and rng.random() < 0.5:
            parents = [side]
            side = repo.git("commit-tree", tree, "-p", side, "-m", f"s{i}").stdout.strip()
            shas.append(side)
            ancestry.add(side, parents)
            continue
        parents = [main] + ([side] if side is not None and rng.random() < 0.3 else [])
        args = [a for p in parents for a in ("-p", p)]
        main = repo.git("commit-tree", tree, *args, "-m", f"m{i}").stdout.strip()
        if len(parents) > 1:
            side = None
        shas.append(main)
        ancestry.add(main, parents)
    assert _check_against_git(repo, rng, shas, ancestry, 150) > 10
