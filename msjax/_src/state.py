"""Frames: the one mechanism that lifts Parameters into pure functions and writes their updates back.

Every transform (GradOperation, and later grad, jit and GRAPH_MODE) runs the user's code inside a `Frame`:

* the frame *binds* some Parameters to values (tracers of the transform): any read of such a Parameter, from any
  Cell, closure or global, sees the bound value;
* every Parameter *write* inside the frame (``ops.assign``, ``set_data``, ``p[...] = v``, moving statistics) lands
  in the innermost frame, never in the Parameter object itself;
* the transform returns the written values as extra outputs of its pure function and, once it has succeeded,
  writes them to the enclosing context (`write_back`) — the next frame out, or the Parameter itself.

So a Parameter object only ever holds concrete values, and when user code raises inside a transform the frame is
simply dropped: the pre-call values were never overwritten. Outside any transform, reads and writes are plain
attribute accesses (see `Parameter._data`).
"""
from __future__ import annotations

import jax

# The active frames, innermost last. Module-level list: `if _frames:` is the only cost on the eager path.
_frames: list["Frame"] = []
# How many active frames record reads (`Frame.seen`); reads only pay for recording while one does.
_recording = 0


class Frame:
    """Bindings and writes of one running transform.

    ``bound`` maps Parameter -> value (lifted inputs and values written so far); ``written`` keeps, in order, the
    Parameters written in this frame; ``seen`` (when not None) collects every Parameter read through this frame,
    so a compiling transform can find the Parameters a function reaches through globals or closures.
    """

    __slots__ = ("bound", "written", "seen", "born")

    def __init__(self, params=(), values=(), record_reads: bool = False):
        self.bound = dict(zip(params, values))
        self.written: dict = {}
        self.seen: dict | None = {} if record_reads else None
        self.born: set = set()  # ids of Parameters created during this frame (not lifted: they are its own)

    def __enter__(self):
        global _recording
        _frames.append(self)
        if self.seen is not None:
            _recording += 1
        return self

    def __exit__(self, *exc):
        global _recording
        popped = _frames.pop()
        assert popped is self, "msjax frames were exited out of order"
        if self.seen is not None:
            _recording -= 1
        return False

    def reads(self):
        """The Parameters read through this frame (it must record reads) and not created in it, in the order they
        were first read."""
        return [p for p in self.seen if id(p) not in self.born]

    def writes(self):
        """(Parameters written, their final values), in the order they were first written."""
        params = list(self.written)
        return params, [self.bound[p] for p in params]


def read(param):
    """Value of ``param`` as seen by the innermost frame that knows it, else the Parameter's own value.

    Every recording frame notes the read, also when an inner frame (a nested transform, a custom rule) binds the
    Parameter: the outer transform's function did read it."""
    if _recording:
        for frame in _frames:
            if frame.seen is not None and param not in frame.seen:
                frame.seen[param] = None
    for frame in reversed(_frames):
        value = frame.bound.get(param)
        if value is not None:
            return value
    return param._value


def write(param, value):
    """Write ``value`` to ``param`` in the innermost frame, or to the Parameter itself outside transforms."""
    if _frames:
        frame = _frames[-1]
        frame.bound[param] = value
        frame.written[param] = None
    else:
        param._value = value


def note_birth(param, value):
    """A Parameter created inside a transform: every active frame owns it (it is not lifted). A value computed from
    the transform's inputs (a tracer) is kept in the frame and written back after the call, never in the object."""
    for frame in _frames:
        frame.born.add(id(param))
    if isinstance(value, jax.core.Tracer):
        write(param, value)
        return jax.numpy.zeros(value.shape, value.dtype)  # placeholder until the write-back
    return value


def write_back(params, values):
    """After a transform succeeded: hand its written values to the enclosing context."""
    for param, value in zip(params, values):
        write(param, value)


def current_bindings():
    """Every Parameter bound by an active frame, with the value the innermost frame gives it."""
    merged: dict = {}
    for frame in _frames:
        merged.update(frame.bound)
    return merged


class Suspension:
    """A nestable switch: ``with switch():`` turns it on, ``bool(switch)`` tells whether any such block is active."""

    __slots__ = ("depth",)

    def __init__(self):
        self.depth = 0

    def __call__(self):
        return self

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, *exc):
        self.depth -= 1
        return False

    def __bool__(self):
        return self.depth > 0


# On while `ops.derivative` runs: MindSpore's Taylor-mode derivative ignores custom rules, and `jax.jvp` (which it
# uses) cannot run through a `jax.custom_vjp`. Within it ops differentiate as their forward does.
true_derivatives = Suspension()


def differentiating(values) -> bool:
    """Whether a custom gradient rule can matter: inside an msjax transform, or when a value (a Tensor's array or
    a raw array) is a JAX tracer, i.e. msjax code is being run by a JAX transform directly."""
    if true_derivatives:
        return False
    if _frames:
        return True
    from .tensor import Tensor  # local: tensor.py must not depend on state.py
    for leaf in jax.tree_util.tree_leaves(values, is_leaf=lambda x: isinstance(x, Tensor)):
        if isinstance(leaf, Tensor):
            leaf = leaf._data
        if isinstance(leaf, jax.core.Tracer):
            return True
    return False
