"""Reverse-mode autodiff: `linearize` (the engine every gradient API uses) and ``ops.GradOperation``.

`linearize` runs the user's function once under `jax.vjp`. Tensor arguments and the requested Parameters are the
inputs of a pure function; the Parameters are lifted by a `state.Frame`, so they are found however the function
reaches them (``self.w``, a global Cell, a closure). Parameter writes made during the call come back as auxiliary
outputs and are written back only after the call succeeded; when the call raises, the frame is dropped and every
Parameter keeps its pre-call value.

Integer and bool arguments are differentiated too (MindSpore casts their gradients to their dtype): they enter as
`primitive.SoftIntTensor` (exact value plus a float copy that carries the gradient; see primitive.py).

The packing of results into MindSpore's return structures lives in the `pack_*` helpers, one per API family, and the
checks of a user's ``sens`` in `given_sens`. Where PyNative and GRAPH mode differ, the mode at call time decides.
"""
from __future__ import annotations

import dataclasses
import numbers
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from . import context, jit, parallel, primitive, state
from .parameter import Parameter
from .primitive import SoftIntTensor
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _carrier(leaf):
    """The differentiable JAX value of an output Tensor, or None when no gradient can flow from it."""
    if isinstance(leaf, SoftIntTensor):
        return leaf._soft
    data = leaf._data
    return data if np.dtype(data.dtype).kind in "fcV" else None


def _index_of(items, item):
    for index, candidate in enumerate(items):
        if candidate is item:
            return index
    return -1


@dataclasses.dataclass
class Linearized:
    """The result of `linearize`: the output, and a function from output cotangents to gradients."""
    output: object               # what the function returned (Tensors and Python values)
    out_leaves: list             # the output's leaves (tree_flatten, Tensors as leaves)
    out_tree: object
    tensor_slots: list           # indices of the Tensor leaves
    diff_slots: list             # indices of the Tensor leaves a gradient can flow from (float, or integer via soft)
    positions: list              # indices of the Tensor arguments that were differentiated
    weights: tuple               # the lifted Parameters
    reads: list                  # with collect_reads: the Parameters the call read, in first-read order
    main_output: object          # the differentiated output: ``output``, or ``output[0]`` with has_aux
    main_slots: list             # the Tensor slots of ``main_output`` (a prefix of tensor_slots)
    _vjp: object
    _input_dtypes: list
    _cotangent_dtypes: list      # dtypes the vjp expects for the diff slots (float carriers for integer outputs)

    def gradients(self, cotangents):
        """(gradients of the Tensor arguments at `positions`, gradients of `weights`) for ``cotangents`` (one raw
        array per diff slot)."""
        input_grads, weight_grads = self._vjp(tuple(
            _varying_like(c, self.out_leaves[slot]._data) for c, slot in zip(cotangents, self.diff_slots)))
        inputs = [Tensor._from_raw(cast_gradient(g, dtype)) for g, dtype in zip(input_grads, self._input_dtypes)]
        return inputs, [Tensor._from_raw(g) for g in weight_grads]


def _varying_like(cotangent, output):
    """``cotangent`` typed as varying over the device axes ``output`` varies over: in a per-device data-parallel
    step a loss computed from the device's batch varies, a ones sens does not."""
    missing = tuple(parallel.varying_axes(output) - parallel.varying_axes(cotangent))
    return jax.lax.pcast(cotangent, missing, to="varying") if missing else cotangent


def cast_gradient(grad, dtype):
    """MindSpore casts the gradient of an integer input to its dtype (truncating); bool inputs get grad != 0."""
    if dtype.kind in "fcV":
        return grad
    if dtype == np.bool_:
        return grad != 0
    return jnp.trunc(grad).astype(dtype)


def linearize(fn, args, kwargs=None, positions=None, weights=(), collect_reads=False,
              has_aux=False) -> Linearized:
    """Run ``fn(*args, **kwargs)`` under `jax.vjp`, differentiating the Tensor args at ``positions`` (default:
    all Tensor args) and the Parameters ``weights`` (float Parameters only). With ``collect_reads``, the result's
    ``reads`` lists every Parameter the call read, in the order it first read them. With ``has_aux``, ``fn``
    returns a tuple and only its first element is differentiated (the rest is auxiliary)."""
    kwargs = kwargs or {}
    if positions is None:
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    weights = tuple(weights)
    input_dtypes, exact, xs = [], [], []
    for i in positions:
        tensor = args[i]
        dtype = np.dtype(tensor._data.dtype)
        input_dtypes.append(dtype)
        if isinstance(tensor, SoftIntTensor):  # an integer value an enclosing gradient differentiates
            exact.append(tensor._data)
            xs.append(tensor._soft)
        elif dtype.kind in "iub":
            exact.append(tensor._data)
            xs.append(tensor._data.astype(primitive.soft_float_dtype(dtype)))
        else:
            exact.append(None)
            xs.append(tensor._data)
    ws = tuple(w._data for w in weights)
    record = {}

    def pure(raw_xs, raw_ws):
        call_args = list(args)
        for i, x, e in zip(positions, raw_xs, exact):
            call_args[i] = Tensor._from_raw(x) if e is None else primitive.soft_input(e, x)
        with state.Frame(weights, raw_ws, record_reads=collect_reads) as frame:
            out = fn(*call_args, **kwargs)
            if has_aux:
                check_aux_output(out)
            # Read the leaves inside the frame: a returned Parameter must give its lifted value.
            leaves, tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
            n_main = len(jax.tree_util.tree_leaves(out[0], is_leaf=_is_tensor)) if has_aux else len(leaves)
            tensor_slots = [i for i, leaf in enumerate(leaves) if isinstance(leaf, Tensor)]
            values = tuple(leaves[i]._data for i in tensor_slots)
            carriers = [_carrier(leaves[i]) for i in tensor_slots]
        written, written_values = frame.writes()
        record.update(leaves=leaves, tree=tree, tensor_slots=tensor_slots, written=written,
                      main_slots=[slot for slot in tensor_slots if slot < n_main],
                      diff_slots=[slot for slot, c in zip(tensor_slots, carriers) if c is not None and slot < n_main],
                      reads=frame.reads() if collect_reads else [])
        return (tuple(c for slot, c in zip(tensor_slots, carriers) if c is not None and slot < n_main),
                (values, tuple(written_values)))

    primitive.soft_ints_active += 1
    try:
        diff_values, vjp_fn, (values, written_values) = jax.vjp(pure, tuple(xs), ws, has_aux=True)
    finally:
        primitive.soft_ints_active -= 1
    state.write_back(record["written"], written_values)
    # The leaves recorded inside `pure` hold tracers of the finished trace; rebuild the output from its results.
    leaves = list(record["leaves"])
    for slot, value in zip(record["tensor_slots"], values):
        leaves[slot] = Tensor._from_raw(value)
    output = jax.tree_util.tree_unflatten(record["tree"], leaves)
    return Linearized(output=output, main_output=output[0] if has_aux else output, main_slots=record["main_slots"],
                      out_leaves=leaves,
                      out_tree=record["tree"], tensor_slots=record["tensor_slots"], diff_slots=record["diff_slots"],
                      positions=list(positions), weights=weights, reads=record["reads"], _vjp=vjp_fn,
                      _input_dtypes=input_dtypes, _cotangent_dtypes=[np.dtype(v.dtype) for v in diff_values])


def check_aux_output(out):
    if not isinstance(out, tuple) or len(out) < 2:
        raise ValueError("When has_aux is True, origin fn requires more than one outputs. Return a tuple "
                         "(value_to_differentiate, aux, ...).")


# --- sensitivities -------------------------------------------------------------------------------------------

def _const_vector(shape):
    return "[const vector]{" + ", ".join(str(d) for d in shape) + "}"


def default_sens(lin: Linearized):
    """Ones for every differentiable output (tuple, list and dict outputs contribute all their Tensors)."""
    return [jnp.ones(lin.out_leaves[slot].shape, dtype) for slot, dtype in zip(lin.diff_slots, lin._cotangent_dtypes)]


def _is_number(value) -> bool:
    return isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, (bool, np.bool_))


def _pynative_sens_leaves(lin: Linearized, sens):
    """PyNative matches sens and output by their Tensor leaves, whatever the nesting (a 1-tuple for a Tensor output,
    a flat tuple for a nested one); a Python number is a 0-d sens."""
    if sens is None:
        raise RuntimeError("Failure info [Can not find top cell for backward, please check your network whether set "
                           "grad or inputs of your network whether be inplace modified, this is forbidden!].")
    if isinstance(lin.main_output, Tensor) and _is_number(sens):
        if tuple(lin.main_output.shape) != ():
            raise RuntimeError(f"For grad interface or custom function, grad tensor should be broadcast to expected "
                               f"shape, but got [const vector]{{}} vs {_const_vector(lin.main_output.shape)}")
        return [Tensor._from_raw(jnp.asarray(sens, lin.main_output._data.dtype))]
    leaves = [leaf for leaf in jax.tree_util.tree_leaves(sens, is_leaf=_is_tensor) if isinstance(leaf, Tensor)]
    if len(leaves) != len(lin.main_slots):
        raise RuntimeError("Failure info [The given sens gradient's size should be same as out of network!].")
    return leaves


def _abstract(value) -> str:
    if isinstance(value, Tensor):
        return "AbstractTensor"
    if isinstance(value, tuple):
        return "AbstractTuple"
    if isinstance(value, list):
        return "AbstractList"
    if isinstance(value, dict):
        return "AbstractDictionary"
    if value is None:
        return "AbstractNone"
    return "AbstractScalar"


def _graph_sens_leaves(output, sens):
    """GRAPH mode joins sens with the output's abstract structure: same kinds of containers, Tensor for Tensor;
    a shorter tuple fails to index, extra elements are ignored, non-Tensor outputs accept anything."""
    if isinstance(output, Tensor):
        if not isinstance(sens, Tensor):
            if _is_number(sens):
                raise TypeError(f"Type Join Failed: dtype1 = {output.dtype}, dtype2 = Any.")
            raise TypeError(f"Type Join Failed: Abstract type {_abstract(sens)} cannot join with AbstractTensor.")
        return [sens]
    if isinstance(output, (tuple, list, dict)):
        if _abstract(sens) != _abstract(output):
            raise TypeError(f"Type Join Failed: Abstract type {_abstract(sens)} cannot join with "
                            f"{_abstract(output)}.")
        if isinstance(output, dict):
            missing = [k for k in output if k not in sens]
            if missing:
                raise KeyError(missing[0])
            return [leaf for key in sorted(output) for leaf in _graph_sens_leaves(output[key], sens[key])]
        if len(sens) < len(output):
            raise IndexError(f"TupleGetItem evaluator index should be in range[-{len(sens)}, {len(sens)}), but got "
                             f"{len(sens)}.")
        return [leaf for out, s in zip(output, sens) for leaf in _graph_sens_leaves(out, s)]
    return []


def given_sens(lin: Linearized, sens):
    """Cotangents (one per diff slot) from a user's ``sens``, checked as MindSpore checks it in the current mode.
    A sens whose shape differs from its output's is a ValueError in both modes (GRAPH accepts some silently)."""
    pynative = context.is_pynative()
    sens_leaves = _pynative_sens_leaves(lin, sens) if pynative else _graph_sens_leaves(lin.main_output, sens)
    by_slot = dict(zip(lin.main_slots, sens_leaves))
    for slot in lin.main_slots:
        out_leaf, sens_leaf = lin.out_leaves[slot], by_slot[slot]
        if tuple(sens_leaf.shape) != tuple(out_leaf.shape):
            raise ValueError(f"The shape should be {_const_vector(out_leaf.shape)}, but got "
                             f"{_const_vector(sens_leaf.shape)}: the sensitivity (sens) must have the shape of the "
                             f"output it scales.")
        if sens_leaf._data.dtype != out_leaf._data.dtype:
            if pynative:
                raise TypeError(f"The dtype should be {out_leaf.dtype}, but got {sens_leaf.dtype}: the sensitivity "
                                f"(sens) must have the dtype of the output it scales.")
            raise TypeError(f"Type Join Failed: dtype1 = {sens_leaf.dtype}, dtype2 = {out_leaf.dtype}.")
    return [by_slot[slot]._data.astype(dtype) for slot, dtype in zip(lin.diff_slots, lin._cotangent_dtypes)]


# --- weights -------------------------------------------------------------------------------------------------

def as_weight_list(weights):
    """(the requested weights as a list, whether the result is a single bare gradient)."""
    if isinstance(weights, Tensor):
        return [weights], True
    if isinstance(weights, (tuple, list)):
        return list(weights), False
    raise TypeError(f"The weights you provided is expected to be a tensor, or a list or tuple. but got {weights}")


def split_liftable(weights, mode_is_pynative):
    """The Parameters that get true gradients; the rest get zeros: plain Tensors, integer Parameters, and in
    PyNative, Parameters with ``requires_grad=False`` (MindSpore's PyNative returns zeros for them; GRAPH the
    gradient)."""
    lifted = []
    for w in weights:
        if (isinstance(w, Parameter) and (w.requires_grad or not mode_is_pynative) and _index_of(lifted, w) < 0
                and np.dtype(w._data.dtype).kind in "fcV"):
            lifted.append(w)
    return lifted


def weight_gradients(weights, lifted, lifted_grads):
    grads = []
    for w in weights:
        index = _index_of(lifted, w)
        if index >= 0:
            grads.append(lifted_grads[index])
        elif isinstance(w, Tensor):
            grads.append(Tensor._from_raw(jnp.zeros(w.shape, w._data.dtype)))
        else:
            raise TypeError(f"The weights you provided is expected to be a tensor, or a list or tuple. but got "
                            f"{w}")
    return grads


def trainable_reads(lin: Linearized):
    """PyNative's default weights: the trainable (float) Parameters the call read, in first-read order."""
    return [p for p in lin.reads if isinstance(p, Parameter) and p.requires_grad
            and np.dtype(p._value.dtype).kind in "fcV"]


def _candidate_weights(fn):
    trainable = getattr(fn, "trainable_params", None)
    return list(trainable()) if callable(trainable) else []


def linearize_default_weights(fn, args, kwargs, positions):
    """`linearize` with PyNative's default weights (no weights given): every trainable Parameter the call reads.
    A Cell's own trainable Parameters are lifted up front; if the call reads others (globals, closures), it is run
    once more with exactly those lifted."""
    candidates = _candidate_weights(fn)
    lin = linearize(fn, args, kwargs, positions, candidates, collect_reads=True)
    used = trainable_reads(lin)
    if any(_index_of(candidates, p) < 0 for p in used):
        lin = linearize(fn, args, kwargs, positions, used)
    return lin, used


# --- GradOperation -------------------------------------------------------------------------------------------

class GradOperation:
    """``ops.GradOperation(get_all=False, get_by_list=False, sens_param=False)``."""

    def __init__(self, get_all=False, get_by_list=False, sens_param=False):
        for name, value in (("get_all", get_all), ("get_by_list", get_by_list), ("sens_param", sens_param)):
            if not isinstance(value, bool):
                raise TypeError(f"For 'GradOperation', the '{name}' should be bool, but got {type(value).__name__}.")
        self.get_all = get_all
        self.get_by_list = get_by_list
        self.sens_param = sens_param
        self.name = "GradOperation"

    def __call__(self, fn, weights=None):
        # MindSpore checks ``fn`` and ``weights`` when the gradient function is called, not here.
        return _GradFunction(self, fn, weights)

    def __repr__(self):
        return "GradOperation"


def _check_callable(fn, pynative):
    if callable(fn):
        return
    if pynative:
        raise TypeError(f"The fn should be callable, but got {type(fn).__name__}")
    raise RuntimeError(f"For 'GradOperation', the first argument must be a 'Function' or 'Cell', but got {fn!r}.")


def _lift_candidates(transform):
    """Parameters a compiled call of a gradient transform will read: its function's and its weights."""
    weights = transform.weights
    extra = [weights] if isinstance(weights, Tensor) else list(weights) if isinstance(weights, (list, tuple)) else []
    return jit.candidates_of(transform.fn, extra)


class _GradFunction:
    """What ``GradOperation(...)(fn, weights)`` returns: calling it computes the gradients."""

    lift_candidates = _lift_candidates

    def __init__(self, grad_op, fn, weights):
        self.grad_op = grad_op
        self.fn = fn
        self.weights = weights

    def settings(self):
        op = self.grad_op
        return type(self), op.get_all, op.get_by_list, op.sens_param, _weights_key(self.weights)

    def __call__(self, *args, **kwargs):
        if not context.is_pynative():  # compiled, unless part of an enclosing trace (then `_gradients` runs inline)
            return _compiled(self, "GradOperation")(*args, **kwargs)
        return self._gradients(*args, **kwargs)

    def _gradients(self, *args, **kwargs):
        op = self.grad_op
        pynative = context.is_pynative()
        _check_callable(self.fn, pynative)
        weights, bare_weight, discover = [], False, False
        if op.get_by_list:
            if self.weights is not None:
                weights, bare_weight = as_weight_list(self.weights)
            else:  # PyNative: the trainable Parameters the call reads; GRAPH: none
                discover = pynative
        sens = None
        if op.sens_param:
            if not args:
                raise TypeError("For 'GradOperation' with sens_param=True, the gradient function needs the "
                                "sensitivity as its last positional argument, but got no arguments.")
            args, sens = args[:-1], args[-1]
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        fn, call_args = self.fn, args
        kw_tensors = [k for k, v in kwargs.items() if isinstance(v, Tensor)]
        if kw_tensors:  # PyNative differentiates Tensors passed by keyword too, after the positional ones
            fn, call_args, positions = _with_kwargs_as_positions(self.fn, args, kwargs, kw_tensors, positions)
            kwargs = {k: v for k, v in kwargs.items() if k not in kw_tensors}
        if discover:
            lin, weights = linearize_default_weights(fn, call_args, kwargs, positions)
            lifted = list(lin.weights)
        else:
            lifted = split_liftable(weights, pynative)
            lin = linearize(fn, call_args, kwargs, positions, lifted)
        cotangents = given_sens(lin, sens) if op.sens_param else default_sens(lin)
        input_grads, lifted_grads = lin.gradients(cotangents)
        weight_grads = weight_gradients(weights, lifted, lifted_grads)
        return pack_grad_operation(op, positions, input_grads, weight_grads, bare_weight)


def _compiled(transform, name):
    """GRAPH_MODE: the whole gradient computation of ``transform`` as one compiled function, cached on it and shared
    by equal transforms of the same function (``ms.grad(f)(x)`` in a loop makes a new transform every call)."""
    compiled = transform.__dict__.get("_compiled")
    if compiled is not None:
        return compiled
    try:
        shared = _SHARED_COMPILED.setdefault(transform.fn, {})
        key = transform.settings()
        compiled = shared.get(key)
    except TypeError:  # a function that takes no weak reference, or unhashable settings
        shared = key = None
    if compiled is None:
        compiled = jit.JitFunction(transform._gradients, name=name, convert=False,
                                   candidates=transform.lift_candidates)
        if shared is not None:
            shared[key] = compiled
    transform._compiled = compiled
    return compiled


# function or Cell -> {transform settings: JitFunction}; the JitFunction keeps its first transform, hence the weight
# objects named in the settings, alive.
_SHARED_COMPILED = weakref.WeakKeyDictionary()


def _weights_key(weights):
    if weights is None or isinstance(weights, Tensor):
        return id(weights)
    return type(weights), tuple(id(w) for w in weights)



def _with_kwargs_as_positions(fn, args, kwargs, kw_tensors, positions):
    n = len(args)

    def positional_fn(*all_args, **rest):
        return fn(*all_args[:n], **rest, **dict(zip(kw_tensors, all_args[n:])))
    return positional_fn, tuple(args) + tuple(kwargs[k] for k in kw_tensors), positions + list(
        range(n, n + len(kw_tensors)))


def pack_grad_operation(op, positions, input_grads, weight_grads, bare_weight):
    """MindSpore's return structures for GradOperation's 8 flag combinations.

    Non-Tensor arguments get no slot (the positions collapse); without get_all only the first argument's gradient
    is returned, and ``()`` when the first argument is not a Tensor. Weights: a tuple, or a bare gradient when a
    single Parameter was given.
    """
    if op.get_all:
        inputs = tuple(input_grads)
    elif positions and positions[0] == 0:
        inputs = input_grads[0]
    else:
        inputs = ()
    if not op.get_by_list:
        return inputs
    weights = weight_grads[0] if bare_weight else tuple(weight_grads)
    if op.get_all:
        return inputs, weights
    return weights


# --- mindspore.grad / value_and_grad / get_grad --------------------------------------------------------------

def check_grad_position(grad_position):
    """Positions as a tuple (None stays None), with MindSpore's type, sign and duplicate errors."""
    if grad_position is None:
        return None
    if isinstance(grad_position, bool) or not isinstance(grad_position, (int, tuple)):
        raise TypeError("For 'F.grad', the 'grad_position' must be int or tuple.")
    positions = (grad_position,) if isinstance(grad_position, int) else grad_position
    for position in positions:
        if isinstance(position, bool) or not isinstance(position, int):
            raise TypeError("For 'F.grad', the 'grad_position' must be int or tuple.")
        if position < 0:
            raise ValueError("grad_position must be >= 0.")
    if len(set(positions)) != len(positions):
        raise ValueError("There are duplicate positions in `grad_position`, please check it")
    return positions


def _check_bool(name, value):
    if not isinstance(value, bool):
        raise TypeError(f"For '_Grad', the '{name}' should be bool, but got {type(value).__name__}")


def check_positions_in_range(positions, n_args, pynative):
    """MindSpore runs the function before it notices a position past the last argument."""
    for position in positions or ():
        if position >= n_args:
            error = RuntimeError if pynative else IndexError
            raise error(f"Position index {position} is exceed input size.")


def _with_kwargs_appended(fn, n_positional, keys):
    """``fn`` taking its keyword arguments as extra positional ones (PyNative counts them as positions)."""
    def positional_fn(*all_args):
        return fn(*all_args[:n_positional], **dict(zip(keys, all_args[n_positional:])))
    return positional_fn


class _Grad:
    """What ``mindspore.grad`` / ``value_and_grad`` return."""

    lift_candidates = _lift_candidates

    def __init__(self, fn, grad_position, weights, has_aux, return_ids, sens_param, with_value):
        self.fn, self.grad_position, self.weights = fn, grad_position, weights
        self.has_aux, self.return_ids, self.sens_param = has_aux, return_ids, sens_param
        self.with_value = with_value

    def settings(self):
        return (type(self), self.grad_position, self.has_aux, self.return_ids, self.sens_param, self.with_value,
                _weights_key(self.weights))

    def __call__(self, *args, **kwargs):
        if not context.is_pynative():  # compiled, unless part of an enclosing trace (then `_gradients` runs inline)
            return _compiled(self, "grad")(*args, **kwargs)
        return self._gradients(*args, **kwargs)

    def _gradients(self, *args, **kwargs):
        pynative = context.is_pynative()
        for name in ("has_aux", "return_ids", "sens_param"):
            _check_bool(name, getattr(self, name))
        if not callable(self.fn):
            raise TypeError(f"The fn should be callable, but got {type(self.fn).__name__}")
        if self.grad_position is None and self.weights is None:
            raise ValueError("`grad_position` and `weight` can not be None at the same time.")
        sens = None
        if self.sens_param:
            if not args:
                raise TypeError("With sens_param=True the gradient function takes the sensitivity as its last "
                                "positional argument, but it got no arguments.")
            args, sens = args[:-1], args[-1]
        fn, call_args = self.fn, args
        if kwargs:
            fn = _with_kwargs_appended(self.fn, len(args), tuple(kwargs))
            call_args = tuple(args) + tuple(kwargs.values())
        positions = check_grad_position(self.grad_position)
        if positions == ():
            raise RuntimeError("grad_position should not be empty when grad by position!")
        selected = [p for p in positions or () if p < len(call_args) and isinstance(call_args[p], Tensor)]
        weights, bare_weight = ([], False) if self.weights is None else as_weight_list(self.weights)
        lifted = split_liftable(weights, pynative)
        lin = linearize(fn, call_args, {}, selected, lifted, has_aux=self.has_aux)
        check_positions_in_range(positions, len(call_args), pynative)
        cotangents = given_sens(lin, sens) if self.sens_param else default_sens(lin)
        input_grads, lifted_grads = lin.gradients(cotangents)
        weight_grads = weight_gradients(weights, lifted, lifted_grads)
        grads = pack_grad(positions is not None, selected, input_grads, self.weights is not None, weights,
                          weight_grads, bare_weight, self.return_ids)
        if self.with_value:
            return lin.output, grads
        if self.has_aux:
            return grads, tuple(lin.output[1:])
        return grads


def pack_grad(by_position, selected, input_grads, by_weights, weights, weight_grads, bare_weight, return_ids):
    """MindSpore's return structure for ``grad`` / ``value_and_grad``.

    Positions: non-Tensor arguments get no slot; none left gives ``()``, a single one is unwrapped, several make a
    tuple in the requested order. Weights: a tuple, or bare for a single Parameter. Both requested: ``(positions,
    weights)``. ``return_ids`` pairs each gradient with its position or its Parameter's name.
    """
    parts = []
    if by_position:
        items = [(p, g) if return_ids else g for p, g in zip(selected, input_grads)]
        parts.append(items[0] if len(items) == 1 else tuple(items))
    if by_weights:
        items = [(w.name, g) if return_ids else g for w, g in zip(weights, weight_grads)]
        parts.append(items[0] if bare_weight else tuple(items))
    return parts[0] if len(parts) == 1 else tuple(parts)


def grad(fn, grad_position=0, weights=None, has_aux=False, return_ids=False, sens_param=False):
    """``mindspore.grad``: a function returning the gradients of ``fn`` (see `pack_grad` for their structure)."""
    return _Grad(fn, grad_position, weights, has_aux, return_ids, sens_param, with_value=False)


def value_and_grad(fn, grad_position=0, weights=None, has_aux=False, return_ids=False, sens_param=False):
    """``mindspore.value_and_grad``: like `grad`, returning ``(fn's output, gradients)``."""
    return _Grad(fn, grad_position, weights, has_aux, return_ids, sens_param, with_value=True)


def get_grad(gradients, identifier):
    """The gradient for a position (int) or a Parameter in the result of ``grad(..., return_ids=True)``."""
    if not isinstance(identifier, (int, Parameter)):
        raise TypeError(f"For `get_grad`, the `x` should be an integer or a Parameter, but got {identifier}")
    key = int(identifier) if isinstance(identifier, int) else identifier.name  # a bool is a position, as in Python
    found = _find_gradient(gradients, key) if isinstance(gradients, tuple) else None
    if found is None:
        raise RuntimeError(f"Can not find the gradient for position or Parameter {identifier}")
    return found


def _find_gradient(gradients, key):
    if isinstance(gradients, Tensor):
        # MindSpore compares a plain gradient with the key and fails on the ambiguous truth value.
        raise ValueError("For `get_grad`, the gradients must come from grad(..., return_ids=True): pairs of a "
                         "position or Parameter name and its gradient.")
    if not isinstance(gradients, tuple):
        return None
    if len(gradients) == 2 and isinstance(gradients[0], (int, str)) and isinstance(gradients[1], Tensor):
        return gradients[1] if gradients[0] == key and type(gradients[0]) is type(key) else None
    for item in gradients:
        found = _find_gradient(item, key)
        if found is not None:
            return found
    return None
