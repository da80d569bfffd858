"""envoy: news articles in, CAMEO-coded diplomatic events out."""

__version__ = "0.1.0"
