"""The one error type the headless entry points turn into a one-line message and exit code 2."""


class InspectorError(Exception):
    """A problem the user can fix (bad input, unreadable file, missing privilege); never a bug."""


# Messages the command line and the window both show, so they read the same in both.


def truncated_capture(path: str, complete_packets: int) -> str:
    return f"{path} is truncated; decoded the {complete_packets} complete packets"
