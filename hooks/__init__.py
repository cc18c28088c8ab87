"""Capture: the git hooks that record agent commits and the person's corrections of them."""
