"""Reading and writing Dutch: dates, numbers, what people type, markdown and source lines."""
