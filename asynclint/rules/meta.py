"""ASL0xx: the linter's own findings about files it could not lint fully.

These are produced by the engine, not by the walk; they live here so that
`asynclint rules` and `asynclint explain` know them like every other rule.
"""

from asynclint.rules.base import Rule, register


@register
class SyntaxErrorRule(Rule):
    code = "ASL001"
    name = "syntax-error"
    walks = False
    summary = "The file does not parse as Python."
    explanation = """
        The file (or a notebook cell) is not valid Python: the message and the
        position are CPython's own, as `python -m py_compile` would report them.
        No other rule can run on a file that does not parse, so every file is
        checked, async or not.

        Also reported when the running CPython accepts a file that asynclint's
        parser (libcst) cannot read yet, for example syntax newer than libcst.

        Bad:
            async def main(:
                ...

        Good:
            async def main():
                ...
    """


@register
class UnreadableFileRule(Rule):
    code = "ASL002"
    name = "unreadable-file"
    walks = False
    summary = "The file cannot be read or decoded as Python source."
    explanation = """
        The file could not be read (an I/O error, a permission problem), holds
        NUL bytes (a binary file with a .py name), declares an encoding Python
        does not know, or has bytes that do not decode in its encoding. Python
        itself refuses to import such a file. Reported at line 1, column 1.

        Bad:
            # -*- coding: no-such-codec -*-

        Good:
            # -*- coding: utf-8 -*-
    """


@register
class InvalidNotebookRule(Rule):
    code = "ASL003"
    name = "invalid-notebook"
    walks = False
    summary = "The .ipynb file is not a valid nbformat-4 notebook."
    explanation = """
        A file named .ipynb that is not JSON, or not an nbformat-4 notebook
        (a top-level object with a "cells" list and "nbformat": 4), cannot be
        linted cell by cell. Reported at line 1, column 1.

        Bad:
            {"cells": "not a list"}

        Good:
            {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    """


@register
class InternalErrorRule(Rule):
    code = "ASL009"
    name = "internal-error"
    walks = False
    summary = "A rule failed on this file (a bug in asynclint)."
    explanation = """
        One of asynclint's rules raised an error on this file. This is a bug in
        asynclint, not in your code: please report it with the file (or a
        reduced version of it). The message names the rule. The other rules
        still ran and their findings on the file stand.

        Bad:
            (no code of yours causes this on purpose)

        Good:
            (upgrade asynclint, or report the file that triggers it)
    """
