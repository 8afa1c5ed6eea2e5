"""Measuring answers against datasets with known answers."""
