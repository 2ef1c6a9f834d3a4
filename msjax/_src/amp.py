"""Mixed precision: ``Cell.to_float`` and ``amp.auto_mixed_precision``.

MindSpore runs every op of a Cell marked ``to_float(dtype)`` on float inputs cast to ``dtype`` (its Parameters keep
their own dtype). msjax gets the same arithmetic at the Cell boundary: the float Tensors among the call's arguments
are cast, and the Cell's own float Parameters are bound to cast values in a `state.Frame` for the call, so every
read inside sees ``dtype`` while gradients flow back through the cast to the float32 Parameter. Writes made during
the call (moving statistics) are written back in each Parameter's own dtype. Each sub-Cell carries its own mark
(``to_float`` marks recursively, as MindSpore's flags do), so a sub-Cell set back to float32 runs in float32.

``auto_mixed_precision`` levels, with MindSpore 2.10's lists: O0 unchanged; O1 runs the white-listed Cells
(Dense, Conv*, RNN cells) in low precision with float32 outputs, and wraps white-listed Primitive attributes of the
other Cells the same way (MindSpore rewrites the source to do this); O2 marks the whole network except the
black-listed norms (kept float32, output cast back to low precision), O3 everything; both cast the network's
outputs to float32.
"""
from __future__ import annotations

import jax

from . import dtype as mstype
from . import functional as F
from . import state
from .cell import Cell
from .tensor import Tensor

_FLOATS = (mstype.float16, mstype.float32, mstype.float64, mstype.bfloat16)


def _cast_tree(value, dtype):
    if isinstance(value, Tensor) and value.dtype in _FLOATS and value.dtype != dtype:
        return F.cast(value, dtype)
    if isinstance(value, (tuple, list)):
        return type(value)(_cast_tree(v, dtype) for v in value)
    return value


def run_in_precision(cell, dtype, run, construct, args, kwargs):
    """``run(construct, args, kwargs)`` with float inputs and ``cell``'s own float Parameters cast to ``dtype``."""
    args = _cast_tree(args, dtype)
    kwargs = {key: _cast_tree(value, dtype) for key, value in kwargs.items()}
    params = [p for p in cell._params.values() if p is not None and p.dtype in _FLOATS and p.dtype != dtype]
    if cell.__dict__.get("_amp_output_fp32"):  # an O1 white-listed Cell
        return _output_to_float32(_run_cast_params(params, dtype, run, construct, args, kwargs))
    return _run_cast_params(params, dtype, run, construct, args, kwargs)


def _run_cast_params(params, dtype, run, construct, args, kwargs):
    if not params:
        return run(construct, args, kwargs)
    np_dtype = mstype.to_numpy_dtype(dtype)
    originals = [p._data for p in params]
    with state.Frame(params, [v.astype(np_dtype) for v in originals]) as frame:
        out = run(construct, args, kwargs)
    own = {id(p): v.dtype for p, v in zip(params, originals)}
    written, values = frame.writes()
    state.write_back(written, [v.astype(own[id(p)]) if id(p) in own else v for p, v in zip(written, values)])
    return out


def check_to_float(dst_type):
    if dst_type not in (mstype.float16, mstype.float32, mstype.bfloat16):
        raise ValueError("For 'to_float', the argument 'dst_type' must be mstype.float32, mstype.float16 or "
                         f"mstype.bfloat16, but got type: {type(dst_type)} and value: {dst_type}.")


# --- auto_mixed_precision --------------------------------------------------------------------------------------

def _white_cells():
    from .. import nn
    return tuple(getattr(nn, name) for name in ("Conv1d", "Conv2d", "Conv3d", "Conv1dTranspose", "Conv2dTranspose",
                                                "Conv3dTranspose", "Dense", "LSTMCell", "RNNCell", "GRUCell")
                 if hasattr(nn, name))


def _white_primitives():
    from ..ops import operations as P
    return tuple(getattr(P, name) for name in ("Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose",
                                               "Conv2DBackpropInput", "MatMul", "BatchMatMul", "PReLU", "ReLU", "Ger")
                 if hasattr(P, name))


def get_white_list():
    """``amp.get_white_list``: the Cells and Primitives O1 runs in low precision (those msjax has)."""
    return list(_white_cells() + _white_primitives())


def get_black_list():
    """``amp.get_black_list``: the Cells O2 keeps in float32."""
    from .. import nn
    return [getattr(nn, name) for name in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm")
            if hasattr(nn, name)]


def _output_to_float32(out):
    return jax.tree_util.tree_map(lambda t: _cast_tree(t, mstype.float32), out,
                                  is_leaf=lambda t: isinstance(t, Tensor))


class _OutputTo16(Cell):
    """A black-listed Cell kept in float32 inside a low-precision network: its output cast back."""

    def __init__(self, backbone, dtype=mstype.float16):
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self.dtype = dtype

    def construct(self, *args, **kwargs):
        return F.cast(self._backbone(*args, **kwargs), self.dtype)


class _OutputTo32(Cell):
    """The network of an O2/O3 conversion: its float outputs cast to float32."""

    def __init__(self, backbone):
        super().__init__(auto_prefix=False)
        self._backbone = backbone

    def construct(self, *args, **kwargs):
        return _output_to_float32(self._backbone(*args, **kwargs))


class _CastPrimitive:
    """A white-listed Primitive under O1: float inputs cast to low precision, float outputs back to float32."""

    def __init__(self, primitive, dtype):
        self._primitive, self._dtype = primitive, dtype

    def __call__(self, *args):
        return _output_to_float32(self._primitive(*_cast_tree(args, self._dtype)))

    def __getattr__(self, name):
        return getattr(self._primitive, name)


def _black_list_fp32(network, black_list, dtype):
    network.to_float(dtype)
    for name, sub in list(network._cells.items()):
        if sub is None:
            continue
        if isinstance(sub, tuple(black_list)):
            # registered in place of the norm: `network.<name>` is the wrapper afterwards, as in MindSpore
            network.insert_child_to_cell(name, _OutputTo16(sub.to_float(mstype.float32), dtype))
        else:
            _black_list_fp32(sub, black_list, dtype)
    return network


def _o1(network, dtype):
    white_cells, white_prims = _white_cells(), _white_primitives()

    def visit(cell):
        if isinstance(cell, white_cells) and not cell.get_flags().get("fp32"):
            cell.to_float(dtype)
            object.__setattr__(cell, "_amp_output_fp32", True)
            return
        for name, value in list(vars(cell).items()):
            if isinstance(value, white_prims):
                object.__setattr__(cell, name, _CastPrimitive(value, dtype))
        for sub in cell._cells.values():
            if sub is not None:
                visit(sub)

    visit(network)
    return network


def auto_mixed_precision(network, amp_level="O0", dtype=mstype.float16):
    """``amp.auto_mixed_precision``. O1 converts ``network`` in place and returns it (MindSpore returns a rewritten
    copy whose classes are named ``...Opt``); O2/O3 return it wrapped in ``_OutputTo32``."""
    if not isinstance(network, Cell):
        if amp_level == "auto":
            raise TypeError("For amp_level 'auto', the network type should be Cell or function.")
        raise TypeError(f"For amp_level '{amp_level}', the network type should be Cell.")
    if dtype not in (mstype.float16, mstype.bfloat16):
        raise ValueError(f"The dtype should be one of (mstype.float16, mstype.bfloat16), but got {dtype}.")
    if amp_level == "O0":
        return network
    if amp_level == "O1":
        network = _o1(network, dtype)
    elif amp_level == "O2":
        network = _OutputTo32(_black_list_fp32(network, get_black_list(), dtype))
    elif amp_level == "O3":
        network = _OutputTo32(network.to_float(dtype))
    elif amp_level == "auto":
        raise NotImplementedError("msjax does not support amp_level 'auto' yet.")
    else:
        raise ValueError(f"The amp level {amp_level} is not supported")
    object.__setattr__(network, "_amp_level", amp_level)
    return network


def custom_mixed_precision(network, *, white_list=None, black_list=None, dtype=mstype.float16):
    """``amp.custom_mixed_precision`` with a ``black_list`` of Cell classes (the O2 conversion with that list)."""
    if white_list is not None or black_list is None:
        raise NotImplementedError("msjax supports custom_mixed_precision with a black_list only.")
    return _OutputTo32(_black_list_fp32(network, black_list, dtype))



# --- build_train_network -------------------------------------------------------------------------------------------

_LEVELS = ("O0", "O1", "O2", "O3", "auto")
# Per level: keep_batchnorm_fp32, cast_model_type, whether a DynamicLossScaleManager is the default.
_CONFIG = {"O0": (False, mstype.float32, False), "O1": (False, mstype.float32, False),
           "O2": (True, mstype.float16, True), "O3": (False, mstype.float16, False),
           "auto": (False, mstype.float32, False)}


class WithLossCell(Cell):
    """The loss wrapper of a low-precision network: output and label cast to float32 before the loss (MindSpore's
    build_train_network defines a Cell of this name for it)."""

    def __init__(self, backbone, loss_fn):
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self._loss_fn = loss_fn

    def construct(self, data, label):
        out = self._backbone(data)
        return self._loss_fn(_output_to_float32(out), _output_to_float32(label))


def build_train_network(network, optimizer, loss_fn=None, level="O0", boost_level="O0", **kwargs):
    """``amp.build_train_network``: the network converted for ``level`` (kwargs ``cast_model_type``,
    ``keep_batchnorm_fp32``, ``loss_scale_manager`` override the level's defaults), wrapped with ``loss_fn`` and a
    training step: `TrainOneStepWithLossScaleCell` when the manager has an update Cell, else `TrainOneStepCell` with
    the manager's fixed scale as ``sens``."""
    from .loss_scale import DynamicLossScaleManager, LossScaleManager, TrainOneStepWithLossScaleCell
    from .optimizers import Optimizer
    from . import wrappers
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"The argument 'optimizer' must be Optimizer, but got {type(optimizer).__name__}.")
    if not isinstance(level, str):
        raise TypeError("The argument `level` must be a string in ['O0', 'O1', 'O2', 'O3', 'auto'],"
                        f"but got type {type(level)}.")
    if level not in _LEVELS:
        raise ValueError(f"The argument 'level' must be in {list(_LEVELS)}, but got {level}.")
    if boost_level not in ("O0", "O1", "O2"):
        raise ValueError(f"The argument 'boost_level' must be in ['O0', 'O1', 'O2'], but got {boost_level}.")
    for key in kwargs:
        if key not in ("cast_model_type", "keep_batchnorm_fp32", "loss_scale_manager"):
            raise ValueError(f"Unsupported arg '{key}'")
    keep_bn, cast_type, dynamic = _CONFIG[level]
    keep_bn = kwargs.get("keep_batchnorm_fp32", keep_bn)
    cast_type = kwargs.get("cast_model_type", cast_type)
    manager = kwargs["loss_scale_manager"] if "loss_scale_manager" in kwargs else (
        DynamicLossScaleManager() if dynamic else None)
    if manager is not None and not isinstance(manager, LossScaleManager):
        raise TypeError(f"The argument 'loss_scale_manager' must be LossScaleManager, but got {type(manager)}.")
    if cast_type == mstype.float16:
        network.to_float(mstype.float16)
        if keep_bn:
            _black_list_fp32(network, get_black_list(), mstype.float16)
    elif not keep_bn and level == "O2":
        network.to_float(mstype.float16)
    elif not (cast_type == mstype.float32 and level in ("O2", "O3")):
        network = auto_mixed_precision(network, level)
    if loss_fn is not None:
        low = cast_type in (mstype.float16, mstype.bfloat16) or getattr(network, "_amp_level", "") in ("O2", "O3")
        network = WithLossCell(network, loss_fn) if low else wrappers.WithLossCell(network, loss_fn)
    update_cell = manager.get_update_cell() if manager is not None else None
    if update_cell is not None:
        return TrainOneStepWithLossScaleCell(network, optimizer, scale_sense=update_cell).set_train()
    sens = manager.get_loss_scale() if manager is not None else None
    return wrappers.TrainOneStepCell(network, optimizer, sens).set_train()
