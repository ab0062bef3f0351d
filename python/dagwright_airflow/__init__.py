"""Airflow operators, sensors and triggers for dagwright pipelines and services."""

__version__ = "0.1.0"
