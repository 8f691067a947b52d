"""The pure RFC 6455 / RFC 7692 core: bytes in; frames, messages, handshake facts and violations out."""
