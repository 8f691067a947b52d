"""A raw WebSocket client that sends exactly the bytes it is given."""
