"""Server-rendered pages for people: the ask page (``/``) and the citation page (``/c/{id}``).

Both work without JavaScript; a small script adds scrolling to the quote and a copy button.
"""
