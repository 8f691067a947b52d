"""The lab server (`inspector serve`): a conformant WebSocket server to practise against offline."""
