"""Answering: answerers draft an answer from passages; the citation check makes it trustworthy."""
