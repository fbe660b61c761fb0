"""An answer that cannot be used, with the Dutch sentence that says why."""


class Refused(ValueError):
    """The message is for the user: what was wrong, and an example of what works."""
