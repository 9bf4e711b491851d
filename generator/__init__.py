"""digest: turn saved news articles and feeds into a published, subscribable static site."""

__version__ = "0.1.0"
