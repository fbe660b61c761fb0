"""The one path for timed work: what is due is claimed, rendered and stored once, then sent."""
