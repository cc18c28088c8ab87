"""`selfware-git fine-tune`: export if needed, write the config if none is given, and run
`axolotl train` on it with its progress on the terminal; then say where the adapter is."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from selfware_git.hooks.errors import UserError

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")
INSTALL_HINT = (
    "install the training extra: pip install torch (CPU: pip install torch==2.13.0), then "
    "pip install 'selfware-git[train]'"
)


def installed(name: str) -> bool:
    """Is the library importable? A broken or blocked install is no install."""
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def require_axolotl() -> None:
    if not installed("axolotl"):
        raise UserError("Axolotl is not installed, so there is nothing to train with", INSTALL_HINT)


def axolotl_command(config: Path, launcher: str) -> list[str]:
    """`axolotl train`, from the same environment as this Python."""
    script = Path(sys.executable).parent / "axolotl"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "axolotl.cli.main"]
    return [*base, "train", str(config), "--launcher", launcher]


def run_training(config: Path, launcher: str) -> Path:
    """Train; returns the folder holding the adapter. Axolotl's output goes to the terminal."""
    require_axolotl()
    settings = YAML(typ="safe").load(config.read_text())
    output_dir = Path(str(settings.get("output_dir", "./outputs"))).expanduser()
    env = {
        **os.environ,
        "AXOLOTL_DO_NOT_TRACK": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    status = subprocess.run(axolotl_command(config, launcher), env=env).returncode
    if status != 0:
        raise UserError(
            f"axolotl train failed (exit status {status})", "its own messages above say why"
        )
    missing = [name for name in ADAPTER_FILES if not (output_dir / name).exists()]
    if missing:
        raise UserError(f"training finished but {', '.join(missing)} is missing in {output_dir}")
    return output_dir
