"""Models beside the spaCy pipeline: the TF-IDF baseline, the CRF peer, ensembles."""
