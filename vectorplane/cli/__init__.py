"""Command-line entry points: `vectorplane serve` and the operator's admin commands."""
