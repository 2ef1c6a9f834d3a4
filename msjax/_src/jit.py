"""``mindspore.jit`` and GRAPH_MODE: a function or Cell compiled by `jax.jit`, with Parameters lifted and written back.

A `JitFunction` keeps one compiled entry per *call signature*: the shapes and dtypes of the Tensor arguments, the
values of the static ones (Python numbers, strings, Cells ...), the mode, and `bprop.registry_version`. Each entry
also has *guards*, checked on every call by a flat walk: the shape/dtype/requires_grad of each lifted Parameter and
the `training` flag of each Cell the trace called. A call whose guards fail traces a new entry.

Tracing runs the graph-mode version of the function (`graph_syntax.convert`: Tensor control flow becomes lax control
flow) inside a `state.Frame(params, values, record_reads=True)`. Parameters read but not lifted (reached through a
global or a closure) would be baked in as constants, so the trace is redone with them lifted; candidates found up
front (the Cell's own Parameters, Parameter arguments, Cells in the function's globals and closure) make that rare.
Parameters written during the call are outputs of the compiled function and are assigned after it returns.

A cached call is a flat walk (no pytree is built): a *fast key* from the positional arguments (Tensors' shapes and
dtypes, Cells and Parameters by identity, Python scalars by value, tuples and lists element by element), one dict
lookup, the guards (which also gather the Parameters' values), the executable's C++ dispatcher called on the flat
values, the written values assigned, the output rebuilt from a structure recorded at trace time. Keyword arguments,
tracers and other argument types take the full path (`_signature`), which also decides whether the call is part of
an enclosing trace (then the function runs inline). Code that needs a concrete value while compiling
(``asnumpy()``, ``int(t)``, a Tensor-conditioned ``while`` under a gradient) makes that signature run eagerly
instead, with a one-time warning naming the line.

Under a data-parallel mesh (`parallel.data_parallel_mesh`, part of every cache key) the pure function runs per
device with `jax.shard_map` (`_per_device`): each device traces the program on its slice of the batch, as one
MindSpore rank runs it on its own, and collectives (``nn.DistributedGradReducer``) reduce over the devices. In
semi_auto_parallel / auto_parallel mode (`parallel.semi_auto_placement`) it is one program over all devices instead
(`_whole_program`): the batch split along axis 0, Parameters replicated, sharding strategies constraining the inputs
of the ops and Cells they are set on (`shard_strategy`).
"""
from __future__ import annotations

import functools
import inspect
import os
import traceback
import types
import warnings

import jax
import numpy as np

from . import bprop, context, parallel, random, shard_strategy, state
from .parameter import Parameter
from .tensor import Tensor

# Traces of user code made by msjax's compiler, all JitFunctions together (tests assert on it).
_trace_count = 0
# >0 while a JitFunction traces: Cells then run their graph-mode (converted) construct and log themselves.
graph_depth = 0
# >0 while a JitFunction runs eagerly instead (its compile fell back): what it calls runs inline, uncompiled.
_eager_depth = 0
_called_cells: list | None = None


def trace_count() -> int:
    """How many times msjax has traced user code for compilation (each new signature or guard failure traces)."""
    return _trace_count


class CompileFallbackWarning(UserWarning):
    """Code msjax could not compile runs eagerly (PyNative) instead."""


_VALID_CAPTURE = ["ast", "bytecode", "trace"]
_VALID_LEVELS = ("O0", "O1")


def _is_tensor(x):
    return isinstance(x, Tensor)


def note_cell_call(cell):
    """Called by Cell.__call__ while tracing: the entry's guards include this Cell's training flag."""
    if _called_cells is not None:
        _called_cells.append(cell)


def tracing_now(values) -> bool:
    """Inside a JAX trace or an msjax transform: a JitFunction then runs inline, as part of the enclosing program."""
    if state._frames or graph_depth or _eager_depth:
        return True
    for leaf in jax.tree_util.tree_leaves(values, is_leaf=_is_tensor):
        data = leaf._data if isinstance(leaf, Tensor) else leaf
        if isinstance(data, jax.core.Tracer):
            return True
    return False


# --- call signatures -------------------------------------------------------------------------------------------

def _static_key(value):
    if isinstance(value, (str, int, float, complex, bool, type(None), bytes)):
        return (type(value), value)
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return (type(value), value.item())
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return (type(value), value) if isinstance(value, (tuple, frozenset)) else ("id", id(value))


def _signature(args, kwargs, mesh):
    """(hashable key, dynamic Tensor leaves, flattened leaves, treedef) of a call."""
    leaves, tree = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_tensor)
    parts = [tree, context.is_pynative(), bprop.registry_version, mesh]
    tensors = []
    for leaf in leaves:
        if isinstance(leaf, Parameter):
            parts.append(("P", id(leaf)))  # lifted by identity; its shape/dtype are guarded
        elif isinstance(leaf, Tensor):
            data = leaf._data
            parts.append(("T", data.shape, data.dtype))
            tensors.append(leaf)
        else:
            parts.append(_static_key(leaf))
    return tuple(parts), tensors, leaves, tree


# --- candidates for lifting ------------------------------------------------------------------------------------

def _cell_class():
    from .cell import Cell
    return Cell


def _params_of(obj, found: dict, depth=1):
    Cell = _cell_class()
    if isinstance(obj, Parameter):
        found.setdefault(id(obj), obj)
    elif isinstance(obj, Cell):
        for param in obj.get_parameters():
            found.setdefault(id(param), param)
    elif isinstance(obj, (tuple, list)) and depth:
        for item in obj:
            _params_of(item, found, depth - 1)
    elif hasattr(obj, "lift_candidates"):  # msjax's gradient transforms: their function's and weights' Parameters
        for param in obj.lift_candidates():
            found.setdefault(id(param), param)


def candidates_of(fn, extra=()) -> list:
    """Parameters a transform of ``fn`` will probably read (for JitFunction's ``candidates``)."""
    return _candidates(fn, [fn, *extra])


def _candidates(fn, leaves) -> list:
    """Parameters a call will probably read: Parameter arguments, the Parameters of Cell arguments (``self``), and
    of Cells and Parameters the function names as globals or closure variables (one level of helper functions)."""
    found: dict = {}
    for leaf in leaves:
        _params_of(leaf, found)
    seen_functions = set()

    def scan(function, depth):
        function = getattr(function, "__func__", function)
        code = getattr(function, "__code__", None)
        if code is None or id(function) in seen_functions:
            return
        seen_functions.add(id(function))
        namespace = getattr(function, "__globals__", {})
        values = [namespace[name] for name in code.co_names if name in namespace]
        values += [cell.cell_contents for cell in (function.__closure__ or ()) if _cell_has_contents(cell)]
        for value in values:
            _params_of(value, found)
            if depth and isinstance(value, types.FunctionType):
                scan(value, depth - 1)

    scan(fn, 1)
    for leaf in leaves:  # a function handed to a transform (ms.jvp(f, ...)) is scanned like the jitted one
        if isinstance(leaf, (types.FunctionType, types.MethodType)):
            scan(leaf, 1)
    return list(found.values())


def _cell_has_contents(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


# --- compiled entries ------------------------------------------------------------------------------------------

class _Entry:
    """One compiled program and what a call of it needs, all computed when it was traced."""

    __slots__ = ("params", "avals", "seen_avals", "requires_grads", "cells", "trainings", "compiled", "call", "written",
                 "n_out", "out_leaves", "out_slots", "out_tree", "single")

    def lifted_values(self):
        """The lifted Parameters' values when the guards hold, else None. JAX shares aval objects between arrays
        (an executable's outputs, equal constants), so an aval seen last time needs no shape check."""
        values = []
        seen, requires_grads = self.seen_avals, self.requires_grads
        for i, param in enumerate(self.params):
            value = param._value
            if value.aval is not seen[i]:
                shape, dtype = self.avals[i]
                if value.shape != shape or value.dtype != dtype:
                    return None
                seen[i] = value.aval
            if param.requires_grad != requires_grads[i]:
                return None
            values.append(value)
        for cell, training in zip(self.cells, self.trainings):
            if cell.training != training:
                return None
        return values

    def run(self, values, datas):
        """Call the executable (outside any frame: a JitFunction inside one runs inline), assign the written
        Parameters, build the output."""
        if self.single:
            return Tensor._from_raw(self.call(*values, *datas))
        outs = self.call(*values, *datas)
        for param, value in zip(self.written, outs[self.n_out:]):
            param._value = value
        leaves = list(self.out_leaves)
        for slot, value in zip(self.out_slots, outs):
            leaves[slot] = Tensor._from_raw(value)
        return self.out_tree.unflatten(leaves)


_EAGER = object()
# Argument types a call's fast key takes by value (with the type: 1, 1.0 and True differ) and by identity (their
# Parameters are lifted and guarded, and the entry holds them, so an id is never reused while it is cached).
_ARRAY = type(jax.numpy.zeros(()))
_VALUE_TYPES = frozenset((int, float, bool, str, type(None)))
_IDENTITY_TYPES: set = set()


def _fast_key(args, key: list, datas: list) -> bool:
    """Append the key parts of positional ``args`` to ``key`` and their Tensors' arrays to ``datas`` (in the order
    of `_signature`'s leaves). False for an argument only the full signature handles."""
    for arg in args:
        kind = type(arg)
        if kind is Tensor:
            data = arg._data
            if type(data) is not _ARRAY:  # a tracer (or a NumPy array): the full path decides
                return False
            aval = data.aval
            key.append(aval.shape)
            key.append(aval.dtype)
            datas.append(data)
        elif kind in _IDENTITY_TYPES:
            key.append(id(arg))
        elif kind in _VALUE_TYPES:
            key.append(kind)
            key.append(arg)
        elif kind is tuple or kind is list:
            key.append(kind)
            key.append(len(arg))
            if not _fast_key(arg, key, datas):
                return False
        elif isinstance(arg, (Parameter, _cell_class())):
            _IDENTITY_TYPES.add(kind)
            key.append(id(arg))
        else:
            return False
    return True


class JitFunction:
    """A function compiled per call signature (see the module docstring). ``fn`` may take a Cell as ``self``.

    ``inline`` runs instead when the call is part of an enclosing trace or transform (default: ``fn``, in its graph
    version when ``convert``). ``per_device=False`` keeps a data-parallel mesh out of it: its Tensor arguments are
    whole values (an optimizer's gradients), not batches."""

    def __init__(self, fn, name=None, *, convert=True, candidates=None, inline=None, per_device=True):
        self.fn = fn
        self.name = name or getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn)))
        self._run = graph_version if convert else (lambda f: f)  # msjax's own transforms are not converted
        self._inline = inline
        self._candidates = candidates  # callable giving more Parameters to lift (a transform's weights)
        self._per_device = per_device
        self._entries: dict = {}  # full signature -> list of entries (or _EAGER)
        self._fast: dict = {}  # fast key of all-positional calls -> the same lists
        self.trace_count = 0
        functools.update_wrapper(self, fn, updated=())

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        # The hot path: a flat walk of the positional arguments, one dict lookup, the guards, the executable.
        if not (kwargs or state._frames or graph_depth or _eager_depth):
            key = [context.is_pynative(), bprop.registry_version, self._mesh()]
            datas: list = []
            if _fast_key(args, key, datas):
                for entry in self._fast.get(tuple(key), ()):
                    values = entry.lifted_values()
                    if values is not None:
                        return entry.run(values, datas)
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        if tracing_now((args, kwargs)):
            if self._inline is not None:
                return self._inline(*args, **kwargs)
            return self._run(self.fn)(*args, **kwargs)
        mesh = self._mesh()
        key, tensors, leaves, tree = _signature(args, kwargs, mesh)
        entries = self._entries.get(key)
        if entries is _EAGER:
            return self._run_eagerly(args, kwargs)
        if entries is None:
            entries = self._entries[key] = []
        fast_key = [context.is_pynative(), bprop.registry_version, mesh]
        if not kwargs and _fast_key(args, fast_key, []):
            self._fast[tuple(fast_key)] = entries
        datas = [t._data for t in tensors]
        for entry in entries:
            values = entry.lifted_values()
            if values is not None:
                return entry.run(values, datas)
        entry = self._compile(key, args, kwargs, leaves, tree, mesh)
        if entry is _EAGER:
            return self._run_eagerly(args, kwargs)
        out = entry.run(entry.lifted_values(), datas)
        # Compiled.__call__ makes its C++ dispatcher on the first call and then only forwards to it: call it directly.
        entry.call = getattr(entry.compiled, "_call", None) or entry.compiled
        return out

    def _mesh(self):
        """The data-parallel mesh this call runs per device over, or the semi-auto placement of its one program
        (part of every cache key), or None."""
        return parallel.step_placement() if self._per_device and not whole_program else None

    def _run_eagerly(self, args, kwargs):
        global _eager_depth
        _eager_depth += 1
        try:
            return self.fn(*args, **kwargs)
        finally:
            _eager_depth -= 1

    def _compile(self, key, args, kwargs, leaves, tree, mesh):
        params = _candidates(self.fn, leaves) + [random.key_state()]  # random ops draw from (and advance) it
        if self._candidates is not None:
            known = {id(p) for p in params}
            params += [p for p in self._candidates() if isinstance(p, Parameter) and id(p) not in known]
        for _ in range(4):
            try:
                entry, read, traced = self._trace(params, leaves, tree, mesh)
            except Exception as error:  # noqa: BLE001 (only the compile-time failures below are absorbed)
                if not _needs_eager(error):
                    raise
                self._entries[key].clear()  # the fast keys sharing the list find nothing either
                self._entries[key] = _EAGER
                _warn_eager(self.name, error)
                return _EAGER
            lifted = {id(p) for p in params}
            missing = [p for p in read if id(p) not in lifted]
            if not missing:
                entry.compiled = entry.call = traced.lower().compile()
                if isinstance(mesh, parallel.SemiAutoPlacement):
                    entry.compiled = entry.call = _placing(entry.compiled)
                self._entries[key].append(entry)
                return entry
            params = params + missing  # reached through a global or closure: lift it and trace again
        raise RuntimeError(f"msjax could not find the Parameters '{self.name}' reads; please report this.")

    def _trace(self, params, leaves, tree, mesh):
        global _trace_count, graph_depth, _called_cells
        entry = _Entry()
        entry.params = params
        tensor_slots = [i for i, leaf in enumerate(leaves) if isinstance(leaf, Tensor) and
                        not isinstance(leaf, Parameter)]
        fn = self._run(self.fn)
        n_params = len(params)
        record: dict = {}

        def pure(*values):  # flat: the Parameters' values, then the Tensor arguments'; returns outputs + writes
            filled = list(leaves)
            for slot, value in zip(tensor_slots, values[n_params:]):
                filled[slot] = Tensor._from_raw(value)
            args, kwargs = jax.tree_util.tree_unflatten(tree, filled)
            with state.Frame(params, values[:n_params], record_reads=True) as frame:
                out = fn(*args, **kwargs)
                out_leaves, out_tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
                out_slots = [i for i, leaf in enumerate(out_leaves) if isinstance(leaf, (Tensor, jax.Array))]
                out_values = [getattr(out_leaves[i], "_data", out_leaves[i]) for i in out_slots]
            written, written_values = frame.writes()
            single = len(out_slots) == 1 and out_tree == _ONE_LEAF and not written
            record.update(out_leaves=out_leaves, out_tree=out_tree, out_slots=out_slots, written=written,
                          read=frame.reads(), single=single)
            return out_values[0] if single else out_values + written_values

        datas = [leaves[i]._data for i in tensor_slots]
        if mesh is None:
            step = jax.jit(pure)
        elif isinstance(mesh, parallel.SemiAutoPlacement):
            step = _whole_program(pure, mesh, n_params, datas, self._argument_names(leaves, tree), record)
        else:
            step = jax.jit(_per_device(pure, mesh, n_params, datas, self._argument_names(leaves, tree), record))
        previous_cells, _called_cells = _called_cells, []
        graph_depth += 1
        _trace_count += 1
        self.trace_count += 1
        try:
            try:
                traced = step.trace(*[p._value for p in params], *datas)
            except Exception:  # noqa: BLE001 (code that does not type-check per device: see _per_device)
                if mesh is None or isinstance(mesh, parallel.SemiAutoPlacement):
                    raise
                step = jax.jit(_per_device(pure, mesh, n_params, datas, self._argument_names(leaves, tree), record,
                                           check_vma=False))
                traced = step.trace(*[p._value for p in params], *datas)
            cells = _called_cells
        finally:
            graph_depth -= 1
            _called_cells = previous_cells
        entry.seen_avals = [p._value.aval for p in params]
        entry.avals = [(aval.shape, aval.dtype) for aval in entry.seen_avals]
        entry.requires_grads = [p.requires_grad for p in params]
        Cell = _cell_class()
        entry.cells = list({id(c): c for c in cells + [x for x in leaves if isinstance(x, Cell)]}.values())
        entry.trainings = [c.training for c in entry.cells]
        entry.written = record["written"]
        entry.n_out = len(record["out_slots"])
        entry.out_leaves = [None if isinstance(leaf, (Tensor, jax.Array)) else leaf for leaf in record["out_leaves"]]
        entry.out_slots = record["out_slots"]
        entry.out_tree = record["out_tree"]
        entry.single = record["single"]
        return entry, record["read"], traced

    def _argument_names(self, leaves, tree):
        """The name of the argument each Tensor leaf belongs to (``data``, ``inputs[1]``), for error messages."""
        args, kwargs = jax.tree_util.tree_unflatten(tree, list(range(len(leaves))))
        try:
            bound = inspect.signature(self.fn).bind(*args, **kwargs).arguments
        except (TypeError, ValueError):
            bound = {**{f"input {i}": a for i, a in enumerate(args)}, **kwargs}
        names = {}
        for name, value in bound.items():
            paths = jax.tree_util.tree_flatten_with_path(value)[0]
            for path, index in paths:
                names[index] = name + jax.tree_util.keystr(path)
        return [names.get(i, "input") for i, leaf in enumerate(leaves)
                if isinstance(leaf, Tensor) and not isinstance(leaf, Parameter)]


_ONE_LEAF = jax.tree_util.tree_structure(0)
# On while compiled calls run as one program even under a data-parallel mesh (evaluation and prediction, whose
# per-sample outputs must not be averaged over devices; XLA still spreads a sharded batch over them).
whole_program = state.Suspension()


# --- data parallelism ------------------------------------------------------------------------------------------

def _per_device(pure, mesh, n_params, datas, names, record, check_vma=True):
    """``pure`` run per device with `jax.shard_map`: Parameters replicated, each Tensor argument with a dimension
    split along axis 0 (a batch: each device gets its slice), 0-d ones replicated. Floating outputs are averaged
    over the devices (a mean loss equals the single-device one), other outputs and written Parameters are device
    0's (its BatchNorm statistics; optimizer-updated weights agree on all devices anyway). Gradients are averaged
    only by ``nn.DistributedGradReducer``, which reduces while `parallel.in_replica()`."""
    count = mesh.size
    for name, data in zip(names, datas):
        if data.ndim and data.shape[0] % count:
            raise ValueError(f"For data parallel, the first dimension of every input Tensor must be divisible by "
                             f"the device number {count}, but got input '{name}' with shape {list(data.shape)}.")
    batch = jax.sharding.PartitionSpec(parallel.AXIS)
    whole = jax.sharding.PartitionSpec()
    in_specs = (whole,) * n_params + tuple(batch if data.ndim else whole for data in datas)

    def body(*values):
        with parallel.replica_scope():
            outs = pure(*values)
        if record["single"]:
            return _merge(outs, True, check_vma)
        n_out = len(record["out_slots"])
        return [_merge(value, i < n_out, check_vma) for i, value in enumerate(outs)]

    # With check_vma JAX types which values vary over the devices: values that cannot (weights updated from reduced
    # gradients) leave without a collective, and differentiation sums a replicated Parameter's gradient over the
    # devices itself (DistributedGradReducer then only scales it). Code that does not type-check that way is traced
    # again without it, and `_merge` makes every output replicated explicitly.
    return jax.shard_map(body, mesh=mesh, in_specs=in_specs, out_specs=whole, check_vma=check_vma)


def _merge(value, average, check_vma):
    """One replicated value from the devices' ``value``s: their mean (``average`` and floating), else device 0's."""
    if check_vma and parallel.AXIS not in parallel.varying_axes(value):
        return value  # the same on every device already
    if average and jax.numpy.issubdtype(value.dtype, jax.numpy.inexact):
        return jax.lax.pmean(value, parallel.AXIS)
    first = jax.lax.axis_index(parallel.AXIS) == 0
    if value.dtype == jax.numpy.bool_:
        return jax.lax.psum(jax.numpy.where(first, value, False).astype(jax.numpy.int32), parallel.AXIS) > 0
    return jax.lax.psum(jax.numpy.where(first, value, jax.numpy.zeros_like(value)), parallel.AXIS)


# --- semi-auto parallel ----------------------------------------------------------------------------------------

def _whole_program(pure, placement, n_params, datas, names, record):
    """``pure`` jitted as one program over the placement's devices: Parameters replicated, Tensor arguments with a
    dimension split along axis 0 (replicated with ``full_batch``; as a ``dataset_strategy`` tuple says), traced
    inside `parallel.semi_auto_scope` so that sharding strategies constrain their inputs. Written Parameters are
    replicated again (the next call's input placement); what XLA computes is the stand-alone program, as in
    MindSpore."""
    mesh = placement.mesh
    whole = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
    batch = whole if placement.full_batch else jax.sharding.NamedSharding(mesh,
                                                                          jax.sharding.PartitionSpec(mesh.axis_names))
    strategy = placement.dataset_strategy
    if strategy is not None:
        if len(strategy) != len(datas):
            raise RuntimeError(f"The dataset_strategy {strategy} has {len(strategy)} strategies, but the step has "
                               f"{len(datas)} Tensor inputs ({', '.join(names)}).")
        placed = tuple(shard_strategy.sharding_of("set_auto_parallel_context", strategy, i, dims, data,
                                                  "dataset_strategy")
                       for i, (dims, data) in enumerate(zip(strategy, datas)))
    else:
        for name, data in zip(names, datas):
            if data.ndim and not placement.full_batch and data.shape[0] % mesh.size:
                raise ValueError(f"For semi auto parallel with full_batch=False, the first dimension of every input "
                                 f"Tensor must be divisible by the device number {mesh.size}, but got input '{name}' "
                                 f"with shape {list(data.shape)}.")
        placed = tuple(batch if data.ndim else whole for data in datas)

    def step(*values):
        with parallel.semi_auto_scope():
            outs = pure(*values)
        if record["single"]:
            return outs
        n_out = len(record["out_slots"])
        return outs[:n_out] + [jax.lax.with_sharding_constraint(value, whole) for value in outs[n_out:]]

    return jax.jit(step, in_shardings=(whole,) * n_params + placed)


def _placing(compiled):
    """Call ``compiled``, first moving arguments committed to other devices (a single device, another mesh) to the
    placement it was compiled for (its executable rejects them instead of moving them)."""
    shardings = compiled.input_shardings[0]

    def call(*arrays):
        try:
            return compiled(*arrays)
        except ValueError:
            return compiled(*jax.device_put(arrays, shardings))

    call.executable = compiled  # for inspection (tests)
    return call


def run_time_callback(fn, *arrays):
    """Call ``fn`` on the host with the arrays' values when the program runs (``print``): ordered on one device;
    in a data-parallel step, where ordered effects cannot span devices, once, from device 0; in a semi-auto step,
    once, unordered."""
    if parallel.in_semi_auto():
        jax.debug.callback(fn, *arrays)
        return
    if not parallel.in_replica():
        jax.debug.callback(fn, *arrays, ordered=True)
        return

    def call(*values):
        jax.debug.callback(fn, *values)

    jax.lax.cond(jax.lax.axis_index(parallel.AXIS) == 0, call, lambda *values: None, *arrays)


def graph_version(fn):
    from .graph_syntax import convert
    return convert(fn)


def _needs_eager(error) -> bool:
    from .graph_syntax import NeedsEager
    return isinstance(error, (NeedsEager, jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
                              jax.errors.TracerIntegerConversionError, jax.errors.TracerArrayConversionError))


_warned: set = set()
_MSJAX_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_JAX_DIR = os.path.dirname(os.path.abspath(jax.__file__))


def _user_line(error):
    """(filename, lineno) of the user's code where ``error`` arose: the last frame outside msjax and JAX."""
    filename = getattr(error, "filename", None)
    if filename and getattr(error, "lineno", None):
        return filename, error.lineno
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = os.path.abspath(frame.filename)
        if not path.startswith((_MSJAX_DIR, _JAX_DIR)):
            found = (frame.filename, frame.lineno)
    return found or ("<unknown>", 0)


def _warn_eager(name, error):
    filename, lineno = _user_line(error)
    if (filename, lineno) in _warned:
        return
    _warned.add((filename, lineno))
    reason = getattr(error, "reason", None) or str(error).splitlines()[0]
    warnings.warn(f"msjax runs '{name}' eagerly (PyNative) for these inputs: {filename}:{lineno} needs a value that "
                  f"is only known when the program runs ({reason}). Use Tensor ops (ops.select, ops.where) instead "
                  f"of Python on Tensor values to have it compiled.", CompileFallbackWarning, stacklevel=3)


# --- mindspore.jit ---------------------------------------------------------------------------------------------

def _check_jit_options(capture_mode, jit_level):
    if not isinstance(capture_mode, str) or capture_mode not in _VALID_CAPTURE:
        raise ValueError(f"For 'jit', the 'capture_mode' must be str and must be in '{_VALID_CAPTURE}', but got "
                         f"'{capture_mode}'.")
    if jit_level not in _VALID_LEVELS:
        raise ValueError(f"For 'jit', the 'jit_level' must be one of {list(_VALID_LEVELS)}, but got '{jit_level}'.")


def jit(function=None, *, capture_mode="ast", jit_level="O0", dynamic=0, fullgraph=False, backend="", **options):
    """``mindspore.jit``: ``@jit``, ``@jit()``, ``jit(fn)``, on ``construct``, or ``jit(cell)`` (its construct)."""
    _check_jit_options(capture_mode, jit_level)

    def wrap(target):
        Cell = _cell_class()
        if isinstance(target, Cell):
            return JitFunction(type(target).construct, name=f"{type(target).__name__}.construct").__get__(target)
        if isinstance(target, JitFunction):
            return target
        if not callable(target):
            raise TypeError(f"For 'jit', the decorated object must be a function or a Cell, but got "
                            f"{type(target).__name__}.")
        return JitFunction(target)

    return wrap if function is None else wrap(function)


def jit_class(cls):
    """``mindspore.jit_class``: marks a helper class for use in compiled code; msjax compiles any Python class."""
    if not isinstance(cls, type):
        raise TypeError(f"Decorator jit_class can only be used for class type, but got {cls}.")
    return cls


def mutable(input_data, dynamic_len=False):
    """``mindspore.mutable``: marks a tuple/list argument as variable. msjax keys compiled calls on Tensor shapes
    and dtypes only, so a tuple of Tensors is already variable; the input is returned unchanged."""
    return input_data


class JitConfig:
    """``mindspore.JitConfig`` (for ``Cell.set_jit_config``): options are recorded; XLA compiles every level."""

    def __init__(self, jit_level="", exc_mode="auto", jit_syntax_level="", debug_level="RELEASE", infer_boost="off",
                 **kwargs):
        self.jit_config_dict = {"jit_level": jit_level, "exc_mode": exc_mode, "jit_syntax_level": jit_syntax_level,
                                "debug_level": debug_level, "infer_boost": infer_boost, **kwargs}
