"""Kletspot: the platform-neutral engine and the practice tools."""
