"""Digest formats: typed models, one parser per format, and the sources they come from."""
