"""Help → Tour: the guided tour's steps (steps.py, no Qt) and the panel that walks through them (panel.py)."""
