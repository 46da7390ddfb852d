"""Metric definitions, one module per family; importing a module registers its metrics."""
