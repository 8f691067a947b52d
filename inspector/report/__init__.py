"""Text and JSON renderings of decoded traffic, shared by the CLI and the GUI."""
