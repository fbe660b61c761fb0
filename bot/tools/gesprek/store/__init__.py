"""The only code that reads and writes this tool's tables."""
