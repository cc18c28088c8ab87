"""`selfware-git merge-adapter`: the base model with the adapter folded into its weights (peft's
merge_and_unload), saved as a standard Hugging Face model folder with the tokenizer training
used, which any runtime that loads Hugging Face models serves without peft. Written to a
temp folder and renamed, so a killed run leaves no half-written model."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from selfware_git.hooks.errors import UserError

from ..store import make_folder
from .axolotl_config import third_party_quiet
from .scoring import load_model, load_tokenizer, require_libraries
from .training_run import TrainingRun


def merge_adapter(run: TrainingRun, out: Path, force: bool = False, verbose: bool = False) -> Path:
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise UserError(f"{out} already exists", "pass --out with a new folder, or --force")
    require_libraries()
    make_folder(out.parent)
    with third_party_quiet(verbose):
        tokenizer = load_tokenizer(run.adapter, run.base_model)
        model = load_model(run.adapter, run.base_model, "cpu", "auto")  # the base's own dtype
        merged = model.merge_and_unload()
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            merged.save_pretrained(staging)
            tokenizer.save_pretrained(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)
    return out
