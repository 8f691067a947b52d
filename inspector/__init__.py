"""WebSocket Inspector: RFC 6455 / RFC 7692 traffic, decoded down to the bit."""

__version__ = "0.1.0"
