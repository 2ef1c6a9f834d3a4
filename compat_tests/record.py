"""Record what real MindSpore prints for each compat program.

    MSJAX_REFERENCE_PYTHON=.venv-ms/bin/python python compat_tests/record.py [PROGRAM ...]

PROGRAM is a path relative to the repository root (default: every program under examples/ and
compat_tests/programs/). Recordings go to compat_tests/goldens/ with the MindSpore version; commit them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import main_record  # noqa: E402

if __name__ == "__main__":
    sys.exit(main_record(sys.argv[1:]))
