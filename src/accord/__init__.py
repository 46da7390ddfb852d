"""Accord: one shared database, funnel, metric layer and rhythm for sales and marketing."""

__version__ = "0.1.0"
