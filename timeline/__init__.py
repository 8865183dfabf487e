"""timeline: build a cited, accessible static timeline site from YAML event files."""

__version__ = "0.1.0"
