"""Data: the gold schema, JSONL I/O, validation, markup, DocBins, splits, counts, ThaiNER."""
