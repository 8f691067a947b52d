"""Keep the window's Chinese translation in step with the sources: extract, list what is missing, fill, build.

    .venv/bin/python -m tests.tools.translations update            # re-extract, keep translations, build .qm
    .venv/bin/python -m tests.tools.translations missing OUT.json  # the untranslated messages, to fill in
    .venv/bin/python -m tests.tools.translations fill IN.json      # take translations from that file, build .qm
    .venv/bin/python -m tests.tools.translations release           # rebuild the .qm from the .ts alone

The .ts (resources/translations/inspector_zh_CN.ts) is the source of the translation; Qt Linguist
(pyside6-linguist) edits it as well as the JSON round trip does. It holds two kinds of messages:

- every tr() / QCoreApplication.translate / QT_TRANSLATE_NOOP text of inspector/ui, found by the
  lupdate that ships with PySide6 (without line numbers, so a moved line changes nothing);
- the teaching catalogue of the protocol core (protocol/teaching.py) in the context "teaching":
  the English text is the source and the catalogue key its disambiguation. lupdate cannot see these
  (they are data, not tr() calls), so this script writes them; ui/i18n.py reads them back with
  QCoreApplication.translate("teaching", english, key).

`update` extracts afresh and carries every translation over whose context, source and
disambiguation are unchanged; a message whose English changed comes back untranslated, and one the
sources no longer have is dropped. The .qm is then compiled by PySide6's lrelease and committed.
tests/ui/test_translation_zh.py fails, naming the messages, while any is untranslated or the .qm is stale.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import PySide6

from inspector.protocol import teaching

ROOT = Path(__file__).resolve().parents[2]
UI_SOURCES = ROOT / "inspector" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGE = "zh_CN"
TS_FILE = TRANSLATIONS / f"inspector_{LANGUAGE}.ts"
QM_FILE = TS_FILE.with_suffix(".qm")
QT_TOOLS = Path(PySide6.__file__).parent
LUPDATE, LRELEASE = QT_TOOLS / "lupdate", QT_TOOLS / "lrelease"
TEACHING_CONTEXT = "teaching"
UNFINISHED = "unfinished"

MessageId = tuple[str, str, str]  # context, source, disambiguation ("" for none)


def ui_sources() -> list[Path]:
    return sorted(UI_SOURCES.rglob("*.py"))


def extract(out: Path) -> ET.ElementTree:
    """A fresh .ts of everything to translate, every message unfinished: lupdate's finds plus the catalogue."""
    result = subprocess.run(
        [str(LUPDATE), *map(str, ui_sources()), "-locations", "none", "-no-obsolete", "-target-language", LANGUAGE,
         "-source-language", "en", "-ts", str(out)],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"lupdate failed: {result.stderr.strip() or result.stdout.strip()}")
    tree = ET.parse(out)
    context = ET.SubElement(tree.getroot(), "context")
    ET.SubElement(context, "name").text = TEACHING_CONTEXT
    for key in teaching.all_keys():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = teaching.english_text(key)
        ET.SubElement(message, "comment").text = key
        ET.SubElement(message, "translation", type=UNFINISHED)
    return tree


def messages(tree: ET.ElementTree) -> Iterable[tuple[MessageId, ET.Element]]:
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield (name, message.findtext("source") or "", message.findtext("comment") or ""), message


def translation_of(message: ET.Element) -> str | None:
    """The finished translation of a message, or None while it is unfinished or empty."""
    element = message.find("translation")
    if element is None or element.get("type") in (UNFINISHED, "vanished", "obsolete") or not element.text:
        return None
    return element.text


def set_translation(message: ET.Element, text: str) -> None:
    element = message.find("translation")
    if element is None:
        element = ET.SubElement(message, "translation")
    element.attrib.pop("type", None)
    element.text = text


def translations(tree: ET.ElementTree) -> dict[MessageId, str]:
    return {key: text for key, message in messages(tree) if (text := translation_of(message)) is not None}


def write_ts(tree: ET.ElementTree, path: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def release(ts: Path = TS_FILE, qm: Path = QM_FILE) -> None:
    result = subprocess.run([str(LRELEASE), "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0 or not qm.exists():
        raise SystemExit(f"lrelease failed: {result.stderr.strip() or result.stdout.strip()}")


def fresh_with_translations(known: dict[MessageId, str]) -> ET.ElementTree:
    with tempfile.TemporaryDirectory() as folder:
        tree = extract(Path(folder) / "fresh.ts")
    for key, message in messages(tree):
        if key in known:
            set_translation(message, known[key])
    return tree


def missing(tree: ET.ElementTree) -> list[MessageId]:
    return [key for key, message in messages(tree) if translation_of(message) is None]


def update() -> list[MessageId]:
    known = translations(ET.parse(TS_FILE)) if TS_FILE.exists() else {}
    tree = fresh_with_translations(known)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    write_ts(tree, TS_FILE)
    release()
    return missing(tree)


def fill(entries: list[dict[str, str]]) -> list[MessageId]:
    """Write the translations of `entries` (context, source, comment, translation) into the .ts."""
    tree = ET.parse(TS_FILE)
    wanted = {(e["context"], e["source"], e.get("comment", "")): e["translation"] for e in entries
              if e.get("translation")}
    found = set()
    for key, message in messages(tree):
        if key in wanted:
            set_translation(message, wanted[key])
            found.add(key)
    unknown = sorted(set(wanted) - found)
    if unknown:
        raise SystemExit("not in the .ts (run update first?): " + "; ".join(f"{c}: {s!r}" for c, s, _ in unknown))
    write_ts(tree, TS_FILE)
    release()
    return missing(tree)


def describe(keys: list[MessageId]) -> str:
    return "\n".join(f"  [{context}] {source!r}" + (f" ({comment})" if comment else "")
                     for context, source, comment in keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.tools.translations", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="re-extract the messages into the .ts, keep the translations, build the .qm")
    listing = commands.add_parser("missing", help="write the untranslated messages as JSON to fill in")
    listing.add_argument("out", type=Path)
    filling = commands.add_parser("fill", help="take translations from a JSON file written by `missing`")
    filling.add_argument("json", type=Path)
    commands.add_parser("release", help="build the .qm from the .ts")
    args = parser.parse_args(argv)
    if args.command == "release":
        release()
        return 0
    if args.command == "missing":
        keys = missing(ET.parse(TS_FILE))
        entries = [{"context": c, "source": s, "comment": d, "translation": ""} for c, s, d in keys]
        args.out.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(entries)} untranslated message(s) written to {args.out}")
        return 0
    left = update() if args.command == "update" else fill(json.loads(args.json.read_text(encoding="utf-8")))
    if left:
        print(f"{len(left)} message(s) still untranslated:\n{describe(left)}", file=sys.stderr)
        return 1
    print(f"{TS_FILE.relative_to(ROOT)} complete; {QM_FILE.relative_to(ROOT)} rebuilt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
