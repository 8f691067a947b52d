"""The display-filter language (Wireshark's syntax, our field names) and payload search.

Pure like the protocol core: no Qt, no scapy, no sockets. The window's filter bar and
`inspector dump --filter` both compile expressions here.
"""

from .compiler import DisplayFilter, compile_filter
from .fields import FIELDS, complete, complete_value
from .syntax import FilterError

__all__ = ["FIELDS", "DisplayFilter", "FilterError", "compile_filter", "complete", "complete_value"]
