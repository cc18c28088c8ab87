"""The dataset stage. Takes: the rows mining stored (the JSONL store or its Parquet parts).
Gives: them filtered, split and shaped as a dataset (Parquet or JSONL, card), counted, listed."""
