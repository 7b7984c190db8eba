"""Runtimes: where VectorDB servers run. `base` holds the port; one module per driver."""
