"""Wakes the engine up for time-bound work; the database stays the source of truth."""
