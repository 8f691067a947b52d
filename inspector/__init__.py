"""WebSocket Inspector: RFC 6455 / RFC 7692 traffic, decoded down to the bit."""

from . import _compiled

__version__ = "0.1.0"
BUILD = _compiled.MODE  # "compiled", or why the Python sources run instead
