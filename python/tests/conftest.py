import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))


def contract(name):
    """A shared table of ``contract/`` (the Java suite reads the same file)."""
    return json.loads((ROOT / "contract" / name).read_text())
