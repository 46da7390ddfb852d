"""The demo company: a deterministic, seeded synthetic business.

It feeds the demo, the tests (as factories) and the benchmarks.
"""
