"""The session model: typed events (a connection opened, a handshake, a frame, a message, a note, a
connection closed) in one global order, the store that keeps them, and a cursor that walks them.

Pure: it builds on the protocol core only. Capture files, live capture and the built-in client all
produce these events (through `recorder.Recorder`); the window, `dump` and `capture` consume them.
"""
