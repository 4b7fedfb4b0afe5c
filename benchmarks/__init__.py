"""Runnable benchmarks, each comparing against baselines measured in the same run.

``python -m benchmarks [fake|client|all] [--check]`` (or ``./run bench``); see benchmarks/README.md.
"""
