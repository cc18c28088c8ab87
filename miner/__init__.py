"""Everything after capture: history, correction events, functions, pairs, datasets, the CLI."""
