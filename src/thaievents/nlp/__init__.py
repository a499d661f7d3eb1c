"""What a saved pipeline needs at inference: normalisation, the tokenizer, the Thai features."""
