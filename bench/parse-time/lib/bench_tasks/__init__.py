"""Callables for the parse-time benchmark's pipelines (all three variants import these)."""
