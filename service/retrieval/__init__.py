"""Finding evidence in the archive."""
