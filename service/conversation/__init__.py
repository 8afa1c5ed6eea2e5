"""Conversations: follow-up questions read against the earlier turns of a thread.

``models`` (a conversation and its turns), ``store`` (the SQLite file every process on the machine
shares), ``followup`` (the heuristic rewrite), ``condense`` (the LLM rewrite), ``resolve`` (which
of the two the settings choose), ``chat`` (resolve, ask, remember).
"""
