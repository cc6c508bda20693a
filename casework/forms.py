"""Forms of the intervention log."""
