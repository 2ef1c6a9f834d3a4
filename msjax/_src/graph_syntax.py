"""GRAPH-mode Python: MindSpore's source-to-source conversion of control flow, onto JAX control flow.

`convert(fn)` rewrites a function's AST once (cached per code object). The rewritten function decides at run time,
construct by construct: a Python-valued or concrete condition runs plain Python, so a converted function run
eagerly behaves exactly like the original; only a condition whose value is unknown (a tracer under `jax.jit`)
becomes JAX control flow:

* ``if``/``elif``/``else`` and ``a if c else b`` -> `jax.lax.cond`. Each branch is a function of the variables the
  branches assign; each is traced once into a jaxpr inside its own `state.Frame` (capturing its Parameter writes),
  the two results are joined (same structure, dtype and shape, or MindSpore's error) and the cond replays the
  jaxprs. ``and``/``or``/``not`` on traced Tensors become logical ops.
* ``while`` -> `jax.lax.while_loop` from the first iteration whose condition is traced, carrying the assigned
  variables and the written Parameters (found by tracing the body until the carry no longer changes). Reverse mode
  cannot differentiate a while_loop: under a gradient such a loop raises `NeedsEager` (the caller runs eagerly).
* ``for`` stays a Python loop, unrolled as MindSpore unrolls it (``range`` of ints, a Tensor's first axis).
* ``break``/``continue``/``return`` inside loops become flag variables guarding the rest of the body; a ``return``
  inside an ``if`` moves the statements after the ``if`` into the branches that fall through, so every branch
  of such an ``if`` ends in a return and the ``if`` returns the joined value.
* ``print`` prints at run time in MindSpore's GRAPH format (`graph_print`); calls of user functions and methods
  convert them too (MindSpore compiles everything ``construct`` calls).

A Python number that a traced branch or loop makes data-dependent becomes a 0-d Tensor (Int64, Float32 or Bool:
MindSpore's variable scalar). A variable read after an ``if``/``while`` whose values cannot be joined (defined in
one branch only, different dtypes or structures) raises MindSpore's error at once; one that is not read afterwards
(a temporary) is accepted, as MindSpore accepts it, and holds an `Undefined`.
"""
from __future__ import annotations

import ast
import builtins
import copy
import functools
import inspect
import linecache
import os
import site
import sys
import sysconfig
import types
import weakref

import jax
import jax.numpy as jnp
import numpy as np
from jax._src import core as jax_core
from jax._src.interpreters import ad

from . import dtype as mstype
from . import jit, state
from .parameter import Parameter
from .primitive import SoftIntTensor, soft_float_dtype
from .tensor import Tensor
from .tensor_repr import _c_num, format_graph_print

# The name converted code uses for this module: a closure cell of the converted function, so the user's globals
# stay untouched.
_GS = "__msjax_gs"
# Prefix of the variables and functions the conversion introduces (loop flags, return values, branches).
_INTERNAL = "__msjax_"


class NeedsEager(Exception):
    """The converted code cannot be compiled here; carries `filename`, `lineno` and `reason` (for a one-time warning
    naming the user's line)."""

    def __init__(self, filename, lineno, reason):
        super().__init__(f"{filename}:{lineno}: {reason}")
        self.filename, self.lineno, self.reason = filename, lineno, reason


class Undefined:
    """A variable without a value. Using it (an operator, an attribute, passing it to a function, returning it)
    raises the error that says why."""

    __slots__ = ("error",)

    def __init__(self, error: Exception):
        object.__setattr__(self, "error", error)

    def fail(self, *_args, **_kwargs):
        raise self.error

    def __getattr__(self, name):
        self.fail()

    def __repr__(self):
        return f"<undefined: {self.error}>"


for _dunder in ("bool", "len", "iter", "call", "getitem", "setitem", "setattr", "neg", "pos", "abs", "invert",
                "index", "int", "float", "add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv",
                "floordiv", "rfloordiv", "mod", "rmod", "pow", "rpow", "matmul", "rmatmul", "and", "rand", "or",
                "ror", "xor", "rxor", "lt", "le", "gt", "ge", "array", "jax_array"):
    setattr(Undefined, f"__{_dunder}__", Undefined.fail)


def undefined(*names):
    """Initial values of the variables that converted control flow carries (a converted function starts so)."""
    values = tuple(Undefined(UnboundLocalError(f"cannot access local variable '{n}' where it is not associated "
                                               "with a value")) for n in names)
    return values[0] if len(values) == 1 else values


def check_defined(value):
    """A returned value (or an item of a returned tuple) must not be `Undefined`."""
    for item in value if type(value) is tuple else (value,):
        if type(item) is Undefined:
            item.fail()
    return value


# --- conditions -------------------------------------------------------------------------------------------------

def _traced(data) -> bool:
    """A JAX value whose concrete value is unknown (an eager transform's tracer knows its primal: not traced)."""
    return isinstance(data, jax.core.Tracer) and data.to_concrete_value() is None


def _data(value):
    return value._data if isinstance(value, Tensor) else value


def _shape_text(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


def _dtype_name(np_dtype) -> str:
    return str(mstype.from_numpy_dtype(np_dtype))


def _condition(value):
    """A Python bool for a Python-valued or concrete condition, the scalar bool array of a traced one."""
    data = _data(value)
    if not _traced(data):
        return bool(value)
    if data.size != 1:
        raise ValueError("Only tensor which shape is () or (1,) can be converted to bool, but got tensor shape is "
                         + _shape_text(data.shape))
    return jnp.reshape(data, ()).astype(jnp.bool_)


def _bool_array(value):
    condition = _condition(value)
    return jnp.asarray(condition) if isinstance(condition, bool) else condition


def _differentiated(x) -> bool:
    """Whether ``x`` is being differentiated by JAX (reverse mode cannot run through `lax.while_loop`)."""
    return isinstance(x, (ad.JVPTracer, ad.LinearizeTracer))


def _logical(op, thunks, first):
    return Tensor._from_raw(functools.reduce(op, [_bool_array(t()) for t in thunks], _bool_array(first)))


def and_(*thunks):
    """``a and b and ...``: Python's semantics, a logical and from the first traced operand on."""
    value = thunks[0]()
    for i in range(1, len(thunks)):
        if _traced(_data(value)):
            return _logical(jnp.logical_and, thunks[i:], value)
        if not value:
            return value
        value = thunks[i]()
    return value


def or_(*thunks):
    """``a or b or ...``, as `and_`."""
    value = thunks[0]()
    for i in range(1, len(thunks)):
        if _traced(_data(value)):
            return _logical(jnp.logical_or, thunks[i:], value)
        if value:
            return value
        value = thunks[i]()
    return value


def not_(value):
    if _traced(_data(value)):
        return Tensor._from_raw(jnp.logical_not(_bool_array(value)))
    return not value


def not_any(*flags):
    """``not (f1 or f2 ...)`` over loop flags (Python bools, traced once a traced branch has set them)."""
    if any(_traced(_data(f)) for f in flags):
        return Tensor._from_raw(jnp.logical_not(functools.reduce(jnp.logical_or, map(_bool_array, flags))))
    return not any(flags)


def definitely(flag) -> bool:
    """Whether a loop flag is known to be set (a traced flag is not: the loop goes on, guarded by it)."""
    return not _traced(_data(flag)) and bool(flag)


def if_exp(where, test, then_thunk, else_thunk):
    """``a if test else b``."""
    return if_stmt(where, test, then_thunk, else_thunk, (), (), (), True)


# > 0 while a function whose execution depends on a traced condition is being traced.
_branch_depth = 0


def raising(where):
    """Before a ``raise`` in converted code: inside a traced branch or loop it could only happen at run time."""
    if _branch_depth:
        raise NeedsEager(*where, "a raise statement inside a branch or loop that depends on a Tensor's value")


# --- tracing branches and loop bodies -----------------------------------------------------------------------------

def _is_tensor(x):
    return isinstance(x, Tensor)


def _flatten(value):
    return jax.tree_util.tree_flatten(value, is_leaf=_is_tensor)


def _aval(x):
    return jax.ShapeDtypeStruct(np.shape(x), x.dtype)


class _Source:
    """Where one output of a replayed jaxpr comes from: ``out`` (the jaxpr's output i), ``value`` (an array of the
    enclosing trace), ``zeros`` (of an aval) or ``soft`` (the float copy of integer output i)."""

    __slots__ = ("kind", "value")

    def __init__(self, kind, value):
        self.kind, self.value = kind, value

    def get(self, outs):
        if self.kind == "out":
            return outs[self.value]
        if self.kind == "value":
            return jnp.asarray(self.value)
        if self.kind == "zeros":
            return jnp.zeros(self.value.shape, self.value.dtype)
        return outs[self.value].astype(soft_float_dtype(outs[self.value].dtype))


class _Traced:
    """``fn`` traced into a jaxpr inside its own Frame (binding ``params`` to the last inputs).

    ``result`` is what ``fn`` returned; its Tensors hold tracers of that jaxpr, so only their positions (`data`,
    `soft`), shapes and dtypes (`avals`) are used. The jaxpr's outputs are the result's arrays, then the values of
    ``params`` and of the other Parameters written (`written`)."""

    def __init__(self, fn, args=(), in_avals=(), params=(), rebuild=None):
        box = {}

        def run(*carry):
            global _branch_depth
            _branch_depth += 1
            try:
                with state.Frame(params, carry[len(carry) - len(params):]) as frame:
                    result = fn(*(rebuild(carry) if rebuild else map(_fresh, args)))
                    outs, index = [], {}
                    for leaf in jax.tree_util.tree_leaves(result, is_leaf=_is_tensor):
                        if isinstance(leaf, Tensor) and id(leaf) not in index:
                            index[id(leaf)] = len(outs)
                            outs.append(leaf._data)  # inside the frame: a returned Parameter gives its value here
                            if isinstance(leaf, SoftIntTensor):
                                outs.append(leaf._soft)
            finally:
                _branch_depth -= 1
            written = list(params) + [p for p in frame.written if p not in frame_params]
            box.update(result=result, index=index, written=written, first=len(outs))
            return outs + [frame.bound[p] for p in written]

        frame_params = set(params)
        self.closed = jax.make_jaxpr(run)(*in_avals)
        self.result, self._index, self.written = box["result"], box["index"], box["written"]
        # Parameters by identity (`==` on Tensors is elementwise): the position of each one's output.
        self.writes = {p: box["first"] + i for i, p in enumerate(self.written)}
        self.avals = self.closed.out_avals

    def data(self, tensor) -> _Source:
        return _Source("out", self._index[id(tensor)])

    def soft(self, tensor) -> _Source:
        i = self._index[id(tensor)]
        return _Source("out", i + 1) if isinstance(tensor, SoftIntTensor) else _Source("soft", i)

    def param(self, p) -> _Source:
        return _Source("out", self.writes[p])

    def aval(self, source: _Source):
        return self.avals[source.value]

    def replay(self, sources, *carry):
        outs = jax.core.eval_jaxpr(self.closed.jaxpr, self.closed.consts, *carry)
        return [s.get(outs) for s in sources]


class _Plan:
    """A variable's value after JAX control flow: its tree, and per leaf ``("static", obj)``, ``("tensor", i)`` or
    ``("soft", i, j)`` (indices into the control flow's outputs)."""

    __slots__ = ("tree", "leaves")

    def __init__(self, tree, leaves):
        self.tree, self.leaves = tree, leaves

    def build(self, outs):
        values = []
        for kind, *where in self.leaves:
            if kind == "static":
                values.append(where[0])
            elif kind == "tensor":
                values.append(Tensor._from_raw(outs[where[0]]))
            else:
                values.append(SoftIntTensor.make(outs[where[0]], outs[where[1]]))
        return jax.tree_util.tree_unflatten(self.tree, values)


def _finish(plan, outs):
    return plan.build(outs) if isinstance(plan, _Plan) else plan


# --- joining ------------------------------------------------------------------------------------------------------

def _is_number(x) -> bool:
    return isinstance(x, (bool, int, float, np.bool_, np.integer, np.floating))


def _number_dtype(x) -> np.dtype:
    """The dtype MindSpore gives a Python number that becomes a variable: Bool, Int64 or Float32."""
    if isinstance(x, (bool, np.bool_)):
        return np.dtype(np.bool_)
    return np.dtype(np.int64 if isinstance(x, (int, np.integer)) else np.float32)


def _abstract(x) -> str:
    """MindSpore's name for the kind of a value, as its join errors print it."""
    if isinstance(x, Tensor):
        return "AbstractTensor"
    if _is_number(x) or isinstance(x, str):
        return "AbstractScalar"
    return {tuple: "AbstractTuple", list: "AbstractList", dict: "AbstractDictionary",
            type(None): "AbstractNone"}.get(type(x), f"AbstractClass<{type(x).__name__}>")


def _join_error(where, name, detail):
    return TypeError("Cannot join the return values of different branches, perhaps you need to make them equal.\n"
                     f"Type Join Failed: {detail}\nIn file {where[0]}:{where[1]}, variable '{name}'")


def _same_static(x, y) -> bool:
    """Two leaves that are one value: the same object, or equal numbers or strings of one type."""
    if x is y:
        return True
    if type(x) is not type(y) or not isinstance(x, (bool, int, float, str, bytes, np.generic)):
        return False
    return bool(x == y)


def _scalar_like(x) -> bool:
    """A Python number, or a 0-d Tensor (a number an earlier traced branch made variable)."""
    return _is_number(x) or (type(x) is Tensor and x.ndim == 0)


def _scalar_source(traced, x) -> _Source:
    return traced.data(x) if isinstance(x, Tensor) else _Source("value", np.asarray(x, _number_dtype(x)))


def _same_tensor(x, y) -> bool:
    return (type(x) is type(y) and isinstance(x, Tensor) and x._data is y._data
            and getattr(x, "_soft", None) is getattr(y, "_soft", None))


# --- if -----------------------------------------------------------------------------------------------------------

def if_stmt(where, test, then_fn, else_fn, values, names, live, returns):
    """A converted ``if``. The branches take the carried variables (``names``; ``live``: those read afterwards)
    and return them -- or, when ``returns``, the branches end in ``return`` and this returns the function's
    result."""
    pred = _condition(test)
    if pred is True:
        return then_fn(*values)
    if pred is False:
        return else_fn(*values)
    return _cond(where, pred, (then_fn, else_fn), values, names, live, returns)


def _fresh(value):
    """A variable's value with new Tensor handles: ``t[i] = v`` in a traced branch rebinds its handle's array,
    which must reach neither the caller's handle nor the other branch."""
    def copy_handle(leaf):
        if type(leaf) is SoftIntTensor:
            return SoftIntTensor.make(leaf._data, leaf._soft)
        return Tensor._from_raw(leaf._data) if type(leaf) is Tensor else leaf
    if type(value) is Undefined:
        return value
    return jax.tree_util.tree_map(copy_handle, value, is_leaf=_is_tensor)


def _cond(where, pred, fns, values, names, live, returns):
    branches = [_Traced(fn, values) for fn in fns]
    results = [(b.result,) if returns else b.result for b in branches]
    sources: tuple[list, list] = ([], [])  # per branch, the source of each output of the cond

    def slot(then_source, else_source):
        sources[0].append(then_source)
        sources[1].append(else_source)
        return len(sources[0]) - 1

    plans = []
    for name, a, b in zip(("<return value>",) if returns else names, *results):
        try:
            plans.append(_join_branches(where, name, a, b, branches, slot))
        except (TypeError, UnboundLocalError, NeedsEager) as error:
            if returns or name in live:
                raise
            plans.append(Undefined(error))  # not read afterwards (a temporary): MindSpore accepts it too
    written = list({p: None for b in branches for p in b.written})
    param_slots = []
    for p in written:
        current = state.read(p)
        pair = [b.param(p) if p in b.writes else _Source("value", current) for b in branches]
        for b, s in zip(branches, pair):
            if s.kind == "out" and (b.aval(s).shape != current.shape or b.aval(s).dtype != current.dtype):
                raise NeedsEager(*where, f"Parameter '{p.name}' changes its shape or dtype in a branch")
        param_slots.append(slot(*pair))
    outs = jax.lax.cond(pred, lambda: branches[0].replay(sources[0]), lambda: branches[1].replay(sources[1]))
    state.write_back(written, [outs[i] for i in param_slots])
    joined = tuple(_finish(plan, outs) for plan in plans)
    return joined[0] if returns else joined


def _join_branches(where, name, a, b, branches, slot):
    """The value of one variable after a traced ``if`` whose branches gave ``a`` and ``b``."""
    if type(a) is Undefined or type(b) is Undefined:
        if type(a) is Undefined and type(b) is Undefined:
            return a
        if not name.startswith(_INTERNAL):
            defined, missing = ("true", "false") if type(b) is Undefined else ("false", "true")
            raise UnboundLocalError(f"The local variable '{name}' is not defined in {missing} branch, but defined "
                                    f"in {defined} branch.\nIn file {where[0]}:{where[1]}")
        # A loop's return value, set in one branch only: the other branch gives zeros (its flag says "no return").
        i = 0 if type(b) is Undefined else 1
        leaves, tree = _flatten((a, b)[i])
        plan = []
        for leaf in leaves:
            if isinstance(leaf, Tensor):
                pair = [branches[i].data(leaf)] * 2
                pair[1 - i] = _Source("zeros", branches[i].aval(pair[i]))
                plan.append(("tensor", slot(*pair)))
            else:
                plan.append(("static", leaf))
        return _Plan(tree, plan)
    leaves_a, tree_a = _flatten(a)
    leaves_b, tree_b = _flatten(b)
    if tree_a != tree_b:
        raise _join_error(where, name, f"Abstract type {_abstract(a)} cannot join with {_abstract(b)}.")
    plan = []
    for x, y in zip(leaves_a, leaves_b):
        if _same_static(x, y) or _same_tensor(x, y):
            plan.append(("static", x))  # one value in both branches (unchanged, or from outside the if)
        elif isinstance(x, Tensor) and isinstance(y, Tensor):
            ax, ay = branches[0].aval(branches[0].data(x)), branches[1].aval(branches[1].data(y))
            if ax.dtype != ay.dtype:
                raise _join_error(where, name, f"dtype1 = {_dtype_name(ax.dtype)}, dtype2 = {_dtype_name(ay.dtype)}.")
            if ax.shape != ay.shape:
                raise NeedsEager(*where, f"variable '{name}' has shape {_shape_text(ax.shape)} in one branch and "
                                         f"{_shape_text(ay.shape)} in the other")
            data = slot(branches[0].data(x), branches[1].data(y))
            if isinstance(x, SoftIntTensor) or isinstance(y, SoftIntTensor):
                plan.append(("soft", data, slot(branches[0].soft(x), branches[1].soft(y))))
            else:
                plan.append(("tensor", data))
        elif _scalar_like(x) and _scalar_like(y):  # a Python number that now depends on the condition
            sx, sy = (_scalar_source(b, v) for b, v in zip(branches, (x, y)))
            dx, dy = (b.aval(s).dtype if s.kind == "out" else s.value.dtype for b, s in zip(branches, (sx, sy)))
            if dx != dy:
                raise _join_error(where, name, f"dtype1 = {_dtype_name(dx)}, dtype2 = {_dtype_name(dy)}.")
            plan.append(("tensor", slot(sx, sy)))
        else:
            raise _join_error(where, name, f"Abstract type {_abstract(x)} cannot join with {_abstract(y)}.")
    if all(kind == "static" for kind, *_ in plan):
        return a
    return _Plan(tree_a, plan)


# --- while --------------------------------------------------------------------------------------------------------

def while_stmt(where, test_fn, body_fn, values, names, live):
    """A converted ``while``: Python iterations while the condition is Python-valued or concrete, then one
    `lax.while_loop` for the rest."""
    values = tuple(values)
    while True:
        test = test_fn(*values)
        pred = _condition(test)
        if pred is False:
            return values
        if pred is not True:
            return _while_loop(where, test, test_fn, body_fn, values, names, live)
        values = tuple(body_fn(*values))


class _Carry:
    """The state a `lax.while_loop` carries: the variables' plans (indices into the carry), their initial arrays
    and the Parameters (after the variables' arrays)."""

    def __init__(self, where, names, values):
        self.where, self.names, self.values = where, names, values
        self.init: list = []
        self.params: list = []
        self.plans = [v if type(v) is Undefined else self._plan(v) for v in values]

    def _plan(self, value):
        leaves, tree = _flatten(value)
        return _Plan(tree, [self._leaf(leaf) for leaf in leaves])

    def _leaf(self, leaf):
        if isinstance(leaf, SoftIntTensor):  # only exists while a gradient is traced
            raise NeedsEager(*self.where, "a while loop that depends on a Tensor's value, under a gradient")
        if isinstance(leaf, Tensor) and not isinstance(leaf, Parameter):  # a Parameter keeps its identity
            return self.add(leaf._data)
        return ("static", leaf)

    def add(self, array):
        self.init.append(array)
        return ("tensor", len(self.init) - 1)

    def arrays(self):
        return self.init + [state.read(p) for p in self.params]

    def rebuild(self, carry):
        return [_finish(plan, carry) for plan in self.plans]

    def update(self, body: _Traced) -> bool:
        """Widen the carry to what one traced iteration did; whether it changed (the body must be traced again)."""
        changed = False
        for i, (name, plan, out) in enumerate(zip(self.names, self.plans, body.result)):
            if type(plan) is Undefined:
                if type(out) is not Undefined and name.startswith(_INTERNAL):  # a loop's return value: zeros
                    leaves, tree = _flatten(out)
                    self.plans[i] = _Plan(tree, [self.add(jnp.zeros(body.aval(body.data(x)).shape,
                                                                    body.aval(body.data(x)).dtype))
                                                 if isinstance(x, Tensor) else ("static", x) for x in leaves])
                    changed = True
                continue
            if type(out) is Undefined:  # e.g. a variable of the loop a branch defined on one side only
                out.fail()
            init_value = self.values[i]
            leaves, tree = _flatten(out)
            if tree != plan.tree:
                raise _join_error(self.where, name, f"Abstract type {_abstract(out)} cannot join with "
                                                    f"{_abstract(init_value)}.")
            for k, (leaf_plan, x) in enumerate(zip(plan.leaves, leaves)):
                kind, ref = leaf_plan
                if kind == "static":
                    if _same_static(ref, x):
                        continue
                    if _is_number(ref) and _is_number(x):
                        dr, dx = _number_dtype(ref), _number_dtype(x)
                        if dr != dx:
                            raise _join_error(self.where, name,
                                              f"dtype1 = {_dtype_name(dx)}, dtype2 = {_dtype_name(dr)}.")
                        plan.leaves[k] = self.add(np.asarray(ref, dr))
                    elif isinstance(ref, Tensor) and isinstance(x, Tensor):  # a Parameter replaced by a value
                        plan.leaves[k] = self._leaf(Tensor._from_raw(ref._data))
                    elif (_is_number(ref) and type(x) is Tensor and x.ndim == 0
                          and body.aval(body.data(x)).dtype == _number_dtype(ref)):  # made variable by a branch
                        plan.leaves[k] = self.add(np.asarray(ref, _number_dtype(ref)))
                    else:
                        raise _join_error(self.where, name, f"Abstract type {_abstract(x)} cannot join with "
                                                            f"{_abstract(ref)}.")
                    changed = True
                    continue
                if not isinstance(x, Tensor):
                    raise _join_error(self.where, name, f"Abstract type {_abstract(x)} cannot join with "
                                                        "AbstractTensor.")
                if isinstance(x, SoftIntTensor):
                    self._leaf(x)  # raises NeedsEager
                aval, init = body.aval(body.data(x)), self.init[ref]
                if aval.dtype != init.dtype:
                    raise _join_error(self.where, name,
                                      f"dtype1 = {_dtype_name(aval.dtype)}, dtype2 = {_dtype_name(init.dtype)}.")
                if aval.shape != np.shape(init):
                    raise NeedsEager(*self.where, f"variable '{name}' changes its shape from "
                                                  f"{_shape_text(np.shape(init))} to {_shape_text(aval.shape)} in "
                                                  "the loop")
        for p in body.written[len(self.params):]:
            self.params.append(p)
            changed = True
        return changed

    def sources(self, body: _Traced):
        """Where each carried array comes from in the body's outputs."""
        by_slot = {}
        for plan, out in zip(self.plans, body.result):
            if isinstance(plan, _Plan):
                for (kind, ref), x in zip(plan.leaves, _flatten(out)[0]):
                    if kind == "tensor":
                        by_slot[ref] = body.data(x)
        return [by_slot[i] for i in range(len(self.init))] + [body.param(p) for p in self.params]

    def finish(self, outs, body: _Traced, live):
        values = []
        for name, plan, out in zip(self.names, self.plans, body.result):
            if type(plan) is Undefined and type(out) is not Undefined:
                plan = Undefined(UnboundLocalError(
                    f"The local variable '{name}' defined in the 'while' loop body cannot be used outside of the "
                    f"loop body. Please define variable '{name}' before 'while'.\nIn file {self.where[0]}:"
                    f"{self.where[1]}"))
                if name in live:
                    plan.fail()
            values.append(_finish(plan, outs))
        state.write_back(self.params, outs[len(self.init):])
        return tuple(values)


def _while_loop(where, test, test_fn, body_fn, values, names, live):
    carry = _Carry(where, names, values)
    while True:
        init = carry.arrays()
        body = _Traced(body_fn, in_avals=[_aval(x) for x in init], params=tuple(carry.params),
                       rebuild=carry.rebuild)
        if not carry.update(body):
            break
    # Reverse mode cannot run through lax.while_loop: under a gradient the loop runs in Python, uncompiled.
    if any(map(_differentiated, [_data(test), *init, *body.closed.consts])):
        raise NeedsEager(*where, "a while loop whose condition depends on a Tensor cannot be differentiated "
                                 "once compiled")
    params, n = tuple(carry.params), len(carry.init)

    def cond_fun(arrays):
        with state.Frame(params, arrays[n:]):
            return _bool_array(test_fn(*carry.rebuild(arrays)))

    sources = carry.sources(body)
    outs = jax.lax.while_loop(cond_fun, lambda arrays: body.replay(sources, *arrays), init)
    return carry.finish(outs, body, live)


# --- print, range, calls ------------------------------------------------------------------------------------------

def _print_parts(value, arrays, top=True):
    """The lines MindSpore's print op writes for one argument: strings, or (array index, dtype name) of a Tensor."""
    if isinstance(value, Tensor):
        arrays.append(value._data)
        return [(len(arrays) - 1, str(value.dtype))]
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bool, np.bool_)):
        return ["1" if value else "0"]
    if isinstance(value, (int, np.integer)):
        return [str(int(value))]
    if isinstance(value, (float, np.floating)):
        return [_c_num(value, "g")]
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, (tuple, list)):
        # An argument that is a flat tuple of ints or of floats prints as "(1, 2)"; else one leaf per line.
        if top and value and (all(type(v) is int for v in value) or all(type(v) is float for v in value)):
            return ["(" + ", ".join(_print_parts(v, arrays)[0] for v in value) + ")"]
        return [part for v in value for part in _print_parts(v, arrays, False)]
    return [str(value)]


def graph_print(*args):
    """MindSpore's print op (``print`` in GRAPH mode, ``ops.print_``): each argument on its own line, Tensors in the
    GRAPH format. Inside a JAX trace it prints at run time, on every call (`jit.run_time_callback`)."""
    arrays: list = []
    parts = [part for a in args for part in _print_parts(a, arrays)]

    def render(*values):
        lines = [p if isinstance(p, str) else format_graph_print(np.asarray(values[p[0]]), p[1]) for p in parts]
        if lines:
            builtins.print("\n".join(lines), flush=True)

    if jax_core.trace_state_clean():
        render(*arrays)
    else:
        jit.run_time_callback(render, *arrays)


def print_(*args, **kwargs):
    """``print`` in converted code: Python's print eagerly, MindSpore's GRAPH print at run time inside a trace."""
    if jax_core.trace_state_clean():
        return builtins.print(*args, **kwargs)
    if kwargs:
        raise RuntimeError(f"Got an unexpected keyword argument '{next(iter(kwargs))}'")
    return graph_print(*args)


def range_(*args):
    """``range`` in converted code: MindSpore unrolls it, so its arguments must be known while compiling."""
    for i, arg in enumerate(args):
        data = _data(arg)
        if _traced(data):
            raise TypeError(f"For 'make_range', the {i}th input should be a int scalar but got AbstractTensor(shape: "
                            f"{_shape_text(data.shape)}, element: AbstractScalar(Type: {_dtype_name(data.dtype)}, "
                            "Value: ValueAny, Shape: NoShape), value: ValueAny)")
    return range(*args)


# Code under these directories (the standard library, installed packages, msjax) is library code: never converted.
_LIBRARY_DIRS = tuple({os.path.join(os.path.realpath(p), "") for p in (
    *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")),
    *site.getsitepackages(), site.getusersitepackages(), os.path.dirname(os.path.dirname(os.path.abspath(__file__))))})


@functools.lru_cache(maxsize=None)
def _is_user_file(filename) -> bool:
    return not os.path.realpath(filename).startswith(_LIBRARY_DIRS)


def call(fn, /, *args, **kwargs):
    """A call in converted code: user functions and methods run converted (MindSpore compiles what ``construct``
    calls); library code (msjax, JAX, numpy, the standard library) runs as is."""
    if fn is builtins.print:
        return print_(*args, **kwargs)
    if fn is builtins.range:
        return range_(*args)
    for arg in args:
        if type(arg) is Undefined:
            arg.fail()
    func = fn.__func__ if type(fn) is types.MethodType else fn
    if type(func) is types.FunctionType and _is_user_file(func.__code__.co_filename):
        fn = convert(fn)
    return fn(*args, **kwargs)


# --- the source transformation ------------------------------------------------------------------------------------

_UNSUPPORTED = tuple(getattr(ast, name) for name in (
    "Try", "TryStar", "Delete", "Nonlocal", "ClassDef", "Import", "ImportFrom", "Match", "AsyncFunctionDef",
    "AsyncFor", "AsyncWith", "Yield", "YieldFrom", "SetComp", "NamedExpr", "Await") if hasattr(ast, name))
_NOT_WRAPPED = {"super", "locals", "vars", "globals", "eval", "exec", "dir"}  # calls that need the caller's frame


def _parse(code):
    """The FunctionDef of ``code`` with the file's line numbers, or None without source (REPL, lambda, exec)."""
    # linecache + getblock, as inspect.getsourcelines does for a code object, minus its search of every module in
    # sys.modules for the file's owner (tens of milliseconds per first call)
    source = linecache.getlines(code.co_filename)
    start = code.co_firstlineno
    if not source or start > len(source):
        return None
    lines = inspect.getblock(source[start - 1:])
    indented = lines[0][:1].isspace()
    try:  # a method's source is indented: parse it inside an `if` to keep its columns
        tree = ast.parse("if 1:\n" + "".join(lines) if indented else "".join(lines))
    except SyntaxError:
        return None
    node = tree.body[0].body[0] if indented else tree.body[0]
    if not isinstance(node, ast.FunctionDef) or node.name != code.co_name:
        return None
    ast.increment_lineno(node, start - 2 if indented else start - 1)
    return node


def _walk(node):
    """Descendants in source order."""
    for child in ast.iter_child_nodes(node):
        yield child
        yield from _walk(child)


def _check(node, filename):
    for child in _walk(node):
        if isinstance(child, _UNSUPPORTED):
            kind = "statement" if isinstance(child, ast.stmt) else "expression"
            raise RuntimeError(f"Unsupported {kind} '{type(child).__name__}'.\nMore details please refer to syntax "
                               f"support at https://www.mindspore.cn\n\n# In file {filename}:{child.lineno}\n"
                               f"{linecache.getline(filename, child.lineno).rstrip()}")


def check_syntax(fn):
    """Raise MindSpore's error for syntax its graph mode rejects (RuntimeError "Unsupported statement 'Try'." ...),
    naming the file and line."""
    fn = getattr(fn, "__func__", fn)
    node = _parse(fn.__code__) if type(fn) is types.FunctionType else None
    if node is not None:
        _check(node, fn.__code__.co_filename)


def _locate(new, src):
    """Give the nodes the conversion made (they have no location) the first line of ``src``: tracebacks, and the
    position CPython derives for a call from its callee, then name the user's line."""
    end = src.end_col_offset if src.end_lineno == src.lineno else src.col_offset
    for n in ast.walk(new):
        if "lineno" in n._attributes and not hasattr(n, "lineno"):
            n.lineno, n.col_offset, n.end_lineno, n.end_col_offset = src.lineno, src.col_offset, src.lineno, end
    return new


def _load(name):
    return ast.Name(id=name, ctx=ast.Load())


def _store(name):
    return ast.Name(id=name, ctx=ast.Store())


def _gs_call(attr, *args):
    return ast.Call(func=ast.Attribute(value=_load(_GS), attr=attr, ctx=ast.Load()), args=list(args), keywords=[])


def _arguments(names):
    return ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in names], vararg=None, kwonlyargs=[],
                         kw_defaults=[], kwarg=None, defaults=[])


def _lambda(body):
    thunk = ast.Lambda(args=_arguments([]), body=body)
    thunk.msjax_thunk = True  # evaluated in place: not a closure that may run later
    return thunk


def _def(name, params, body):
    extra = {"type_params": []} if sys.version_info >= (3, 12) else {}
    return ast.FunctionDef(name=name, args=_arguments(params), body=body or [ast.Pass()], decorator_list=[],
                           returns=None, **extra)


def _assign(name, value):
    return ast.Assign(targets=[_store(name)], value=value if isinstance(value, ast.AST) else ast.Constant(value))


def _names_tuple(names, ctx=ast.Load):
    return ast.Tuple(elts=[ast.Name(id=n, ctx=ctx()) for n in names], ctx=ctx())


class _Assigned(ast.NodeVisitor):
    """The names a block binds in its own scope (``t[i] = v`` rebinds ``t``'s array: ``t`` counts)."""

    def __init__(self):
        self.names: set = set()

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Store):
            self.names.add(node.id)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, ast.Subscript):
                base = base.value
            if isinstance(base, ast.Name):
                self.names.add(base.id)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self.names.add(node.name)

    def _scope(self, node):
        pass

    visit_Lambda = visit_ListComp = visit_DictComp = visit_GeneratorExp = _scope


def _assigned(stmts) -> list:
    visitor = _Assigned()
    for s in stmts:
        visitor.visit(s)
    return sorted(visitor.names)


def _reads(nodes) -> set:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _live(stmts, out: set) -> set:
    """Names whose current value may be read by ``stmts`` followed by code reading ``out`` (backward liveness;
    loops were converted: no break or continue)."""
    live = set(out)
    for s in reversed(stmts):
        live = _live_before(s, live)
    return live


def _live_before(s, out: set) -> set:
    if isinstance(s, ast.If):
        return _reads([s.test]) | _live(s.body, out) | _live(s.orelse, out)
    if isinstance(s, (ast.For, ast.While)):
        return _loop_head(s, out) | _reads([s.iter if isinstance(s, ast.For) else s.test])
    if isinstance(s, ast.With):
        return _reads(s.items) | _live(s.body, out)
    if isinstance(s, ast.Return):
        return _reads([s])
    if isinstance(s, (ast.Assign, ast.AnnAssign, ast.FunctionDef)):  # definite (re)bindings of whole names
        targets = s.targets if isinstance(s, ast.Assign) else [s.target] if isinstance(s, ast.AnnAssign) else []
        bound = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if isinstance(s, ast.FunctionDef):
            bound = {s.name}
        return (out - bound) | _reads([s])
    return out | _reads([s]) | ({s.target.id} if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name)
                               else set())


def _loop_head(loop, out: set) -> set:
    """The names live at the start of each iteration of ``loop`` followed by code reading ``out``."""
    head = set(out)
    while True:
        body = _live(loop.body, head)
        if isinstance(loop, ast.For):
            body -= {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        new = out | _live(loop.orelse, out) | body | (_reads([loop.test]) if isinstance(loop, ast.While) else set())
        if new == head:
            return head
        head = new


def _blocks(s):
    """The statement lists of an ``if`` or ``with`` (the compound statements a jump can leave)."""
    if isinstance(s, ast.If):
        return [s.body, s.orelse]
    return [s.body] if isinstance(s, ast.With) else []


def _jumps(stmts) -> set:
    """The kinds of jump out of a loop body (loops inside were converted already)."""
    kinds = set()
    for s in stmts:
        if isinstance(s, (ast.Break, ast.Continue, ast.Return)):
            kinds.add(type(s))
        for block in _blocks(s):
            kinds |= _jumps(block)
    return kinds


def _has_return(s) -> bool:
    return isinstance(s, ast.Return) or any(_has_return(x) for block in _blocks(s) for x in block)


def _always_returns(stmts) -> bool:
    return any(isinstance(s, ast.Return) or (_blocks(s) and all(map(_always_returns, _blocks(s)))) for s in stmts)


def _restructure(stmts):
    """Move the statements after an ``if`` (or ``with``) that contains a ``return`` into its blocks that fall
    through, so that every path of the block ends in a ``return`` (the list given ends in one)."""
    for i, s in enumerate(stmts):
        if isinstance(s, ast.Return):
            return stmts[:i + 1]
        if _blocks(s) and _has_return(s):
            rest, uses = stmts[i + 1:], 0
            for block in _blocks(s):
                if not _always_returns(block):
                    block.extend(rest if uses == 0 else copy.deepcopy(rest))
                    uses += 1
                block[:] = _restructure(block)
            return stmts[:i + 1]
    return stmts


def _class_of(qualname):
    """The innermost class around a function (``C.f.<locals>.g`` -> ``C``): its private names are mangled."""
    parts = qualname.split(".")
    for i in range(len(parts) - 2, -1, -1):
        if "<locals>" not in (parts[i], parts[i + 1]):  # a name followed by a name: a class and its member
            return parts[i]
    return None


class _Mangler(ast.NodeTransformer):
    """Private names (``self.__x`` in class C is ``self._C__x``): the compiler mangles them only in a class body."""

    def __init__(self, cls):
        self.prefix = "_" + cls.lstrip("_")

    def mangle(self, name):
        return self.prefix + name if name.startswith("__") and not name.endswith("__") else name

    def visit_Name(self, node):
        node.id = self.mangle(node.id)
        return node

    def visit_Attribute(self, node):
        node.attr = self.mangle(node.attr)
        return self.generic_visit(node)

    def visit_arg(self, node):
        node.arg = self.mangle(node.arg)
        return self.generic_visit(node)

    def visit_keyword(self, node):
        node.arg = node.arg and self.mangle(node.arg)
        return self.generic_visit(node)

    def visit_FunctionDef(self, node):
        node.name = self.mangle(node.name)
        return self.generic_visit(node)


class _Expressions(ast.NodeTransformer):
    """Expression-level conversion: calls, ``and``/``or``/``not``, ``a if c else b``, ``return``, ``raise``;
    zero-argument ``super()`` in the function itself names its class and instance (branches become functions)."""

    def __init__(self, filename, self_name):
        self.filename, self.self_name = filename, self_name

    def where(self, node):
        return ast.Constant((self.filename, node.lineno))

    def visit(self, node):
        new = super().visit(node)
        if isinstance(new, ast.AST) and new is not node:
            _locate(ast.copy_location(new, node), node)
        return new

    def visit_FunctionDef(self, node):
        outer, self.self_name = self.self_name, None  # super() in a nested function is that function's business
        self.generic_visit(node)
        self.self_name = outer
        return node

    visit_Lambda = visit_FunctionDef

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _NOT_WRAPPED:
            if node.func.id == "super" and not node.args and self.self_name:
                node.args = [_load("__class__"), _load(self.self_name)]
            return node
        return ast.Call(func=ast.Attribute(value=_load(_GS), attr="call", ctx=ast.Load()),
                        args=[node.func, *node.args], keywords=node.keywords)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        return _gs_call("and_" if isinstance(node.op, ast.And) else "or_", *map(_lambda, node.values))

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return _gs_call("not_", node.operand) if isinstance(node.op, ast.Not) else node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _gs_call("if_exp", self.where(node), node.test, _lambda(node.body), _lambda(node.orelse))

    def visit_Return(self, node):
        self.generic_visit(node)
        if node.value is not None:
            node.value = _locate(_gs_call("check_defined", node.value), node.value)
        return node

    def visit_Raise(self, node):
        self.generic_visit(node)
        return [_locate(ast.Expr(_gs_call("raising", self.where(node))), node), node]


class _Statements:
    """Statement-level conversion of one function (and, recursively, of the functions defined in it)."""

    def __init__(self, filename):
        self.filename = filename
        self.count = 0

    def fresh(self, kind):
        self.count += 1
        return f"{_INTERNAL}{kind}{self.count}"

    def where(self, node):
        return ast.Constant((self.filename, node.lineno))

    def function(self, node):
        doc = node.body[:1] if (node.body and isinstance(node.body[0], ast.Expr)
                                and isinstance(node.body[0].value, ast.Constant)
                                and isinstance(node.body[0].value.value, str)) else []
        body = self.loops(node.body[len(doc):])
        if not _always_returns(body):
            body.append(_locate(ast.Return(value=None), node))
        carried: set = set()
        closures = _reads(n for s in body for n in ast.walk(s) if isinstance(n, (ast.FunctionDef, ast.Lambda))
                          and not getattr(n, "msjax_thunk", False))
        body = self.statements(_restructure(body), carried, closures)
        args = node.args
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg] if a}
        globals_ = {n for s in ast.walk(node) if isinstance(s, ast.Global) for n in s.names}
        init = sorted(carried - params - globals_)
        if init:
            body.insert(0, _locate(ast.Assign(targets=[_names_tuple(init, ast.Store) if len(init) > 1
                                                       else _store(init[0])],
                                              value=_gs_call("undefined", *map(ast.Constant, init))), node))
        node.body = doc + body

    # -- loops: break / continue / return become flags ------------------------------------------------------------
    def loops(self, stmts):
        out = []
        for s in stmts:
            for block in _blocks(s) + ([s.body, s.orelse] if isinstance(s, (ast.For, ast.While)) else []):
                block[:] = self.loops(block)
            out.extend(self.flag_loop(s) if isinstance(s, (ast.For, ast.While)) else [s])
        return out

    def flag_loop(self, loop):
        jumps = _jumps(loop.body)
        if not jumps:
            return [loop]
        brk = self.fresh("break") if jumps & {ast.Break, ast.Return} else None
        cont = self.fresh("continue") if ast.Continue in jumps else None
        ret, retval = (self.fresh("return"), self.fresh("retval")) if ast.Return in jumps else (None, None)
        head = loop.test if isinstance(loop, ast.While) else loop.iter  # the loop's first line
        body = self.guard(loop.body, brk, cont, ret, retval)
        if cont:
            body.insert(0, _assign(cont, False))
        if brk and isinstance(loop, ast.For):
            stop = ast.If(test=_gs_call("definitely", _load(brk)), body=[ast.Break()], orelse=[])
            stop.msjax_python = True  # a Python if: `definitely` is a Python bool
            body = [stop, ast.If(test=_gs_call("not_", _load(brk)), body=body, orelse=[])]
        elif brk:
            loop.test = _gs_call("and_", _lambda(_gs_call("not_", _load(brk))), _lambda(loop.test))
        loop.body = body
        out = [_assign(flag, False) for flag in (brk, ret) if flag] + [loop]
        if brk and loop.orelse:
            out.append(ast.If(test=_gs_call("not_", _load(brk)), body=loop.orelse, orelse=[]))
            loop.orelse = []
        if ret:
            out.append(ast.If(test=_load(ret), body=[ast.Return(value=_load(retval))], orelse=[]))
        return [_locate(s, head) for s in out]

    def guard(self, stmts, brk, cont, ret, retval):
        """The loop body with jumps replaced by flags and the statements after a possible jump guarded."""
        out = []
        for i, s in enumerate(stmts):
            if isinstance(s, (ast.Break, ast.Continue, ast.Return)):
                if isinstance(s, ast.Continue):
                    jump = [_assign(cont, True)]
                else:
                    jump = [_assign(brk, True)]
                    if isinstance(s, ast.Return):
                        jump[:0] = [_assign(retval, s.value or ast.Constant(None)), _assign(ret, True)]
                return out + [_locate(j, s) for j in jump]
            out.append(s)
            if _blocks(s) and _jumps([s]):
                for block in _blocks(s):
                    block[:] = self.guard(block, brk, cont, ret, retval)
                rest = stmts[i + 1:]
                if rest:
                    test = _gs_call("not_any", *[_load(f) for f in (brk, cont) if f])
                    out.append(_locate(ast.If(test=test, body=self.guard(rest, brk, cont, ret, retval),
                                              orelse=[]), rest[0]))
                return out
        return out

    # -- if / while become functions of the variables they assign ----------------------------------------------
    def statements(self, stmts, carried, live):
        """Convert a block; ``live``: the names that may be read after it."""
        afters = []
        for s in reversed(stmts):
            afters.append(live)
            live = _live_before(s, live)
        out = []
        for s, after in zip(stmts, reversed(afters)):
            if isinstance(s, ast.If) and not getattr(s, "msjax_python", False):
                out.extend(self.if_(s, carried, after))
            elif isinstance(s, ast.While):
                out.extend(self.while_(s, carried, after))
            else:
                if isinstance(s, ast.FunctionDef):
                    self.function(s)
                elif isinstance(s, ast.For):
                    s.body[:] = self.statements(s.body, carried, _loop_head(s, after))
                for block in _blocks(s) + ([s.orelse] if isinstance(s, ast.For) else []):
                    block[:] = self.statements(block, carried, after)
                out.append(s)
        return out

    def if_(self, s, carried, live):
        names = _assigned(s.body + s.orelse)
        carried.update(names)
        returns = _has_return(s)
        tail = [] if returns else [ast.Return(value=_names_tuple(names))]
        then_fn = _def(self.fresh("then"), names, self.statements(s.body, carried, live) + tail)
        else_fn = _def(self.fresh("else"), names, self.statements(s.orelse, carried, live) + tail)
        call = _gs_call("if_stmt", self.where(s), s.test, _load(then_fn.name), _load(else_fn.name),
                        _names_tuple(names), *self.names(names, live), ast.Constant(returns))
        return [_locate(x, s.test) for x in (then_fn, else_fn, self.bind(names, call, returns))]

    def while_(self, s, carried, live):
        names = _assigned(s.body)
        carried.update(names)
        test_fn = _def(self.fresh("test"), names, [ast.Return(value=s.test)])
        body_fn = _def(self.fresh("body"), names, self.statements(s.body, carried, _loop_head(s, live))
                       + [ast.Return(value=_names_tuple(names))])
        call = _gs_call("while_stmt", self.where(s), _load(test_fn.name), _load(body_fn.name),
                        _names_tuple(names), *self.names(names, live))
        return ([_locate(x, s.test) for x in (test_fn, body_fn, self.bind(names, call, False))]
                + self.statements(s.orelse, carried, live))

    @staticmethod
    def names(names, live):
        """The carried names, and those of them read afterwards (MindSpore rejects only these when they cannot be
        joined)."""
        return ast.Constant(tuple(names)), ast.Constant(tuple(n for n in names if n in live))

    @staticmethod
    def bind(names, call, returns):
        if returns:
            return ast.Return(value=call)
        if names:
            return ast.Assign(targets=[_names_tuple(names, ast.Store)], value=call)
        return ast.Expr(value=call)


# code object -> converted code object (None: no source); every code object conversion produced.
_templates: dict = {}
_converted_codes: set = set()
_functions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MODULE_CELL = types.CellType(sys.modules[__name__])


def _template(fn):
    code = fn.__code__
    if code in _templates:
        return _templates[code]
    node = _parse(code)
    if node is None:
        _templates[code] = None
        return None
    filename = code.co_filename
    _check(node, filename)
    node.decorator_list = []
    cls = _class_of(fn.__qualname__)
    if cls and cls.strip("_"):
        node = _Mangler(cls).visit(node)
    args = node.args.posonlyargs + node.args.args
    self_name = args[0].arg if args and "__class__" in code.co_freevars else None
    node.body = [_Expressions(filename, self_name).visit(s) for s in node.body]
    node.body = [x for s in node.body for x in (s if isinstance(s, list) else [s])]
    _Statements(filename).function(node)
    # Compiled inside a factory whose parameters are the original free variables, so that the converted code
    # refers to them as free variables too (and to this module, as `_GS`) and can be given the original cells.
    factory = ast.FunctionDef(name="__msjax_factory", args=_arguments([*code.co_freevars, _GS]),
                              body=[node, ast.Return(value=_load(node.name))], decorator_list=[], returns=None,
                              **({"type_params": []} if sys.version_info >= (3, 12) else {}))
    module = ast.Module(body=[ast.copy_location(factory, node)], type_ignores=[])
    compiled = compile(ast.fix_missing_locations(module), filename, "exec", dont_inherit=True)
    factory_code = next(c for c in compiled.co_consts if isinstance(c, types.CodeType))
    converted = next(c for c in factory_code.co_consts if isinstance(c, types.CodeType) and c.co_name == node.name)
    pending = [converted]
    while pending:
        c = pending.pop()
        _converted_codes.add(c)
        pending.extend(x for x in c.co_consts if isinstance(x, types.CodeType))
    _templates[code] = converted
    return converted


def convert(fn):
    """The graph-mode version of function `fn` (cached per code object; bound methods: convert `__func__` and rebind).
    Returns `fn` itself when it has no source (builtins, lambdas typed at a REPL) -- the caller then runs it as is."""
    if type(fn) is types.MethodType:
        func = convert(fn.__func__)
        return fn if func is fn.__func__ else types.MethodType(func, fn.__self__)
    if type(fn) is not types.FunctionType or fn.__code__ in _converted_codes:
        return fn
    converted = _functions.get(fn)
    if converted is None:
        code = _template(fn)
        converted = False if code is None else _instantiate(fn, code)
        _functions[fn] = converted
    return converted or fn


def _instantiate(fn, code):
    """A function running ``code`` with ``fn``'s globals, closure cells, defaults and names."""
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    cells[_GS] = _MODULE_CELL
    new = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__,
                             tuple(cells[name] for name in code.co_freevars))
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__, new.__doc__, new.__module__ = fn.__qualname__, fn.__doc__, fn.__module__
    new.__annotations__ = fn.__annotations__
    new.__dict__.update(fn.__dict__)
    return new
