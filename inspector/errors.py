"""The one error type the headless entry points turn into a one-line message and exit code 2."""


class InspectorError(Exception):
    """A problem the user can fix (bad input, unreadable file, missing privilege); never a bug."""
