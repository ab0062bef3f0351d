"""hooks for dagwright services."""
