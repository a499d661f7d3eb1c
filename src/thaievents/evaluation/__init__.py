"""Scores: NER and event metrics, bootstrap intervals, inter-annotator agreement."""
