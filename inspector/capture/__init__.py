"""Capture files and live traffic: packets, TCP reassembly, WebSocket connections."""
