"""The annotation loop with a doccano server (never run inside `dvc repro`)."""
