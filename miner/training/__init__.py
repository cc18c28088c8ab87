"""The training stage. Takes: an exported dataset and a base model.
Gives: a checked Axolotl config, a trained LoRA adapter, its evaluation, a merged model."""
