"""CLI commands, one module each; see belie.cli."""
