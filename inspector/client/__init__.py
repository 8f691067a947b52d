"""The built-in client: sends exactly the bytes it is given and records both directions (engine.py),
with named test cases and their verdicts (templates.py, verdict.py, user_templates.py). No Qt, no capture."""
