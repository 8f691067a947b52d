"""Standalone teaching widgets: each shows one decoded frame (or a session's violations) one way."""
