"""Writes of the intervention log; each atomic and documented."""
