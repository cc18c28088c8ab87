"""The dataset styles and file formats `export` writes, named in one light module so that the
CLI can offer them without importing pyarrow."""

STYLES = ("standard", "conversational", "kto")
FORMATS = ("parquet", "jsonl")
