"""asynclint: a static-analysis linter for async Python."""

__version__ = "0.1.0"
