"""Callables used by the example pipelines' python tasks."""
