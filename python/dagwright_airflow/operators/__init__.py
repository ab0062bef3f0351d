"""operators for dagwright services."""
