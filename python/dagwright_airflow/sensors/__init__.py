"""sensors for dagwright services."""
