"""Metadata and text normalisation shared by every reader: dates, bylines, outlets, datelines, text."""
