"""triggers for dagwright services."""
