"""The window's panes, one widget per module, each following the SessionModel's selection."""
