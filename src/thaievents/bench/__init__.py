"""Benchmarks (`make bench`): accuracy against peers, speed, the README tables. Never in tests."""
