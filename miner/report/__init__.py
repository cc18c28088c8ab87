"""The report stage. Takes: repositories (mined afresh) and the latest evaluation of an adapter.
Gives: how the agents' code fares, as figures, a self-contained HTML page and a terminal summary."""
