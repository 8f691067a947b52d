"""Benchmark display filters: the compiled filter over decoded frames, `dump --filter` against tshark -Y,
and our hand-written parser against lark on the same grammar.

    python tests/perf/bench_filter.py [--frames 200000] [--repeat 3] [--keep DIR]

A script, not a test: run it by hand. It writes a capture with bench_dump's generator, then:

1. decodes it once and times each expression of the issue over every decoded frame (the window's
   case: the frames are in memory, the filter bar is applied), printing the time per 1,000,000
   frames against the target of 1 s;
2. times `inspector dump --json --no-payload --filter EXPR` and `tshark -Y EXPR` on the file, end to
   end (both decode the capture), printing the ratio;
3. times parsing the expressions with our parser and with lark (LALR, the same grammar, building the
   same tree), if lark is installed. The compiled function is the same whichever parser built the
   tree, so evaluation speed does not depend on the choice; this step measures only the parse.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dump import write_capture

from inspector import BUILD
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.filter import compile_filter
from inspector.filter.syntax import Both, Either, FilterError, Not, Test, Value, parse
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import FrameSeen, MessageSeen

TARGET_SECONDS_PER_MILLION = 1.0
# (ours, tshark's) for the generated capture: the clients' ports count up from 50001.
EXPRESSIONS = [
    ("websocket.opcode == 9", "websocket.opcode == 9"),
    ("websocket.mask == 0 && direction == client", "websocket.mask == 0 && tcp.srcport >= 50001"),
    ("websocket.payload_length > 125", "websocket.payload_length > 125"),
    ("violation", None),
    ('violation == "invalid-utf8"', None),
    ('text contains "mask"', 'websocket.payload.text contains "mask"'),
    ("!(websocket.opcode in {9 10})", "!(websocket.opcode in {9, 10})"),
    ("payload contains 6d:61:73:6b", None),  # tshark 4.0's websocket.payload is a label, not bytes
]


def decode_all(capture: Path) -> list[tuple[Frame, int, Message | None]]:
    """(frame, connection id, the message it completes) for every frame, as the window would hold them."""
    events = list(CaptureDecoder().run(read_packets(capture)))
    rows = []
    for position, event in enumerate(events):
        if type(event) is FrameSeen:
            item = event.frame
            after = events[position + 1] if position + 1 < len(events) else None
            following = after.message if type(after) is MessageSeen else None
            completes = following is not None and following.frame_indices[-1:] == [item.index]
            rows.append((item, event.connection.id, following if completes else None))
    for frame, _, _ in rows:
        frame.payload  # noqa: B018  (unmask now: the window unmasks once, not per filter)
    return rows


def time_filters(rows: list[tuple[Frame, int, Message | None]], repeat: int) -> None:
    print(f"\n1. compiled filter over {len(rows):,} decoded frames (best of {repeat}); target < "
          f"{TARGET_SECONDS_PER_MILLION:.1f} s per 1,000,000 frames")
    for expression, _ in EXPRESSIONS:
        matches = compile_filter(expression).matches
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            found = sum(1 for frame, connection, message in rows if matches(frame, connection, message))
            times.append(time.perf_counter() - start)
        per_million = min(times) / len(rows) * 1_000_000
        verdict = "met" if per_million < TARGET_SECONDS_PER_MILLION else "NOT met"
        print(f"   {expression:<46} {found:>8,} frames  {per_million:6.3f} s per 1M frames ({verdict})")


def time_dump_against_tshark(capture: Path, tshark: str, ports: list[int], workdir: Path) -> None:
    print("\n2. end to end on the file: inspector dump --json --no-payload --filter EXPR vs tshark -Y EXPR")
    decode_as = [arg for port in ports for arg in ("-d", f"tcp.port=={port},http")]
    for ours, theirs in EXPRESSIONS:
        if theirs is None:
            continue
        ours_seconds = run([sys.executable, "-m", "inspector", "dump", str(capture), "--json", "--no-payload",
                            "--filter", ours], workdir / "ours.jsonl")
        tshark_seconds = run([tshark, "-r", str(capture), *decode_as, "-Y", theirs, "-T", "fields",
                              "-e", "frame.number"], workdir / "tshark.txt")
        print(f"   {ours:<46} ours {ours_seconds:6.2f} s  tshark {tshark_seconds:6.2f} s  "
              f"ratio {tshark_seconds / ours_seconds:4.2f}x")


def run(command: list[str], output: Path) -> float:
    with open(output, "wb") as sink:
        start = time.perf_counter()
        subprocess.run(command, stdout=sink, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start


# The same language for lark, building the same nodes, so the two parsers can be timed side by side.
LARK_GRAMMAR = r"""
?start: or_
?or_: and_ (("||" | "or") and_)*
?and_: unary (("&&" | "and") unary)*
?unary: ("!" | "not") unary -> negation
      | "(" or_ ")"
      | test
test: WORD (COMPARE value | RELATION value | "in" "{" (value ","?)+ "}")?
value: WORD | STRING
COMPARE.2: "==" | "!=" | "<=" | ">=" | "<" | ">" | /(eq|ne|lt|le|gt|ge)\b/
RELATION.2: /(contains|matches)\b/ | "~"
WORD: /[A-Za-z0-9_.:\-]+/
STRING: /"(\\.|[^"\\])*"/
%ignore /\s+/
"""


def lark_parser():  # type: ignore[no-untyped-def]
    import lark  # not a dependency of the project: only this comparison uses it

    class Build(lark.Transformer):  # type: ignore[misc]
        def or_(self, items):  # type: ignore[no-untyped-def]
            node = items[0]
            for item in items[1:]:
                node = Either(node, item)
            return node

        def and_(self, items):  # type: ignore[no-untyped-def]
            node = items[0]
            for item in items[1:]:
                node = Both(node, item)
            return node

        def negation(self, items):  # type: ignore[no-untyped-def]
            return Not(items[0])

        def value(self, items):  # type: ignore[no-untyped-def]
            token = items[0]
            quoted = token.type == "STRING"
            return Value(token[1:-1] if quoted else str(token), quoted, token.column - 1)

        def test(self, items):  # type: ignore[no-untyped-def]
            field = items[0]
            if len(items) == 1:
                return Test(str(field), field.column - 1)
            operator = str(items[1]) if isinstance(items[1], lark.Token) else "in"
            values = tuple(items[2:]) if operator != "in" else tuple(items[1:])
            return Test(str(field), field.column - 1, operator, values)

    return lark.Lark(LARK_GRAMMAR, parser="lalr", transformer=Build()), lark


def time_parsers(repeat: int) -> None:
    print("\n3. parsing (no evaluation): our recursive-descent parser vs lark (LALR, the same grammar)")
    expressions = [ours for ours, _ in EXPRESSIONS]
    rounds = 2000
    ours = best_of(repeat, lambda: [parse(text) for text in expressions for _ in range(rounds)])
    ours_each = ours / (rounds * len(expressions)) * 1e6
    print(f"   ours: {ours_each:6.1f} us per expression")
    try:
        start = time.perf_counter()
        parser, lark = lark_parser()
        built = time.perf_counter() - start
    except ImportError:
        print("   lark: NOT MEASURED, lark is not installed (pip install lark)")
        return
    theirs = best_of(repeat, lambda: [parser.parse(text) for text in expressions for _ in range(rounds)])
    theirs_each = theirs / (rounds * len(expressions)) * 1e6
    print(f"   lark {lark.__version__}: {theirs_each:6.1f} us per expression, plus {built * 1000:.0f} ms to import "
          f"and build the parser; ours is {theirs_each / ours_each:.1f}x faster")
    for bad in ("websocket.opcode ==", "(websocket.fin", "websocket.opcode = 9"):
        try:
            parser.parse(bad)
        except lark.exceptions.UnexpectedInput as error:
            first_line = str(error).strip().splitlines()[0]
            try:
                parse(bad)
            except FilterError as ours_error:
                print(f"   {bad!r}: ours says {str(ours_error)!r}; lark says {first_line!r}")


def best_of(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=200_000, help="frames in the generated capture")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="time each step N times, keep the best")
    parser.add_argument("--keep", type=Path, help="write the capture and outputs here and keep them")
    args = parser.parse_args()
    tshark = shutil.which("tshark")
    print(f"inspector build: {BUILD}")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-filter-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        capture = workdir / "bench.pcapng"
        frames, ports, packets = write_capture(capture, args.frames, 8, 6455)
        print(f"capture: {frames:,} frames in {packets:,} packets, {capture.stat().st_size / 1e6:.1f} MB")
        rows = decode_all(capture)
        time_filters(rows, args.repeat)
        del rows
        if tshark is None:
            print("\n2. NOT MEASURED: tshark is not installed")
        else:
            time_dump_against_tshark(capture, tshark, ports, workdir)
        time_parsers(args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
