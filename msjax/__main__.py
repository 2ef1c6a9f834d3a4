"""``python -m msjax SCRIPT.py [args]``: run a MindSpore program unchanged, on JAX.

SCRIPT runs as ``__main__`` exactly as ``python SCRIPT.py`` would run it (``sys.argv``, ``sys.path[0]``,
``__file__``, tracebacks that start at the script), with ``import mindspore`` resolving to msjax.
"""
from __future__ import annotations

import os
import sys
import traceback
import types

USAGE = """usage: python -m msjax SCRIPT.py [ARGS...]

Runs SCRIPT.py, a MindSpore program, with `import mindspore` served by msjax (JAX)."""


def run_script(path: str, argv: list[str]) -> None:
    """Execute ``path`` as ``__main__`` with msjax installed as ``mindspore``."""
    import msjax
    msjax.install()
    with open(path, "rb") as handle:
        source = handle.read()
    code = compile(source, path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    main.__spec__ = None
    sys.modules["__main__"] = main
    sys.argv = [path, *argv]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    exec(code, main.__dict__)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    path = argv[0]
    if not os.path.exists(path):
        print(f"msjax: can't open file '{path}': [Errno 2] No such file or directory", file=sys.stderr)
        return 2
    try:
        run_script(path, argv[1:])
    except SystemExit:
        raise
    except BaseException as error:  # print the traceback as `python SCRIPT.py` would: from the script down
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb if tb is not None else error.__traceback__)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
