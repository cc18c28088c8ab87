"""The layout shows the pipeline: stages as sub-packages whose imports point down it only, a
CLI that only assembles its commands and loads no heavy library, and every command's help."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest

from selfware_git.miner.cli import cli

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "axolotl", "ray", "matplotlib", "pandas", "trl", "peft")
# Each package's rank along the pipeline: a module imports its own package or lower ranks only.
RANKS = {
    "hooks": 0,
    "miner": 1,
    "miner.dataset": 2,
    "miner.engines": 2,
    "miner.training": 3,
    "miner.report": 4,
    "miner.commands": 5,
    "miner.cli": 6,
    "miner.__main__": 7,
}


def _package(module: str) -> str:
    """The entry of RANKS a dotted module name (below selfware_git) belongs to."""
    parts = module.split(".")
    for size in (2, 1):
        if ".".join(parts[:size]) in RANKS:
            return ".".join(parts[:size])
    raise AssertionError(f"{module} is in no package of the layout")


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """The modules below selfware_git that `path` imports, top level or inside functions."""
    module = _module_of(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            found.append(".".join([*base, *([node.module] if node.module else [])]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("selfware_git."):
            found.append(node.module.removeprefix("selfware_git."))
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found += [
                n.removeprefix("selfware_git.") for n in names if n.startswith("selfware_git.")
            ]
    return found


def test_imports_point_down_the_pipeline() -> None:
    sources = sorted([*(ROOT / "hooks").rglob("*.py"), *(ROOT / "miner").rglob("*.py")])
    assert len(sources) > 60
    upward = []
    for path in sources:
        own = _package(_module_of(path))
        for target in _imports(path):
            other = _package(target)
            if other != own and RANKS[other] >= RANKS[own]:
                upward.append(f"{path.relative_to(ROOT)} imports {target}")
    assert upward == []


def test_every_package_is_installed_and_says_what_it_takes_and_gives() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    for init in sorted([ROOT / "hooks" / "__init__.py", *(ROOT / "miner").rglob("__init__.py")]):
        package = "selfware_git." + _module_of(init)
        assert f'"{package}"' in pyproject, f"{package} missing from [tool.setuptools] packages"
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "Takes:" in doc and "Gives:" in doc, init


def test_the_readme_layout_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    for init in sorted((ROOT / "miner").glob("*/__init__.py")):
        assert f"`miner/{init.parent.name}/`" in layout, init.parent.name


def test_importing_the_cli_loads_no_heavy_library() -> None:
    script = (
        "import sys, selfware_git.miner.cli\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_cli_only_assembles_the_commands() -> None:
    assert len((ROOT / "miner" / "cli.py").read_text().splitlines()) <= 150


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
    return paths


COMMANDS = _command_paths(cli)


def test_the_commands_are_found_subcommands_too() -> None:
    assert {("mine",), ("pairs",), ("pairs", "show"), ("fine-tune",)} <= set(COMMANDS)


@pytest.mark.parametrize("words", [(), *COMMANDS], ids=lambda words: " ".join(words) or "bare")
def test_every_help_through_the_console_script(words: tuple[str, ...]) -> None:
    script = Path(sys.executable).parent / "selfware-git"
    assert script.exists(), "the console script is missing: pip install -e ."
    proc = subprocess.run([str(script), *words, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Usage: selfware-git {' '.join(words)}".rstrip())
