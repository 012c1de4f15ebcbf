"""Where the Chinese edition's files are. Read at call time, so that a test can point them at
a copy of the sources (``monkeypatch.setattr(paths, "ROOT", tmp)``)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANG = "zh_CN"
LOCALES = ROOT / "locales" / LANG / "LC_MESSAGES"
OUT = ROOT / LANG
GLOSSARY = ROOT / "locales" / LANG / "GLOSSARY.md"
