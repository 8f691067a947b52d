"""The crafter: build a frame bit by bit, preview what it breaks, send it and judge the answer (issue 12)."""
