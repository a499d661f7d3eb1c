"""thaievents: Thai NER and scam-centre event classification, trained with spaCy."""

__version__ = "0.1.0"
