"""The files shipped with WebSocket Inspector, installed as the package `inspector._resources`.

Read them through `inspector.resources`, never by a path relative to the sources.
"""
