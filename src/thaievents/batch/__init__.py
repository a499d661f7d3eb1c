"""Batch extraction over archives (Spark)."""
