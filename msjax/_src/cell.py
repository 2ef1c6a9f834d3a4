"""``nn.Cell``: registration of Parameters and child Cells with MindSpore's naming rules, enumeration, hooks,
and ``__call__`` (which routes a Cell with a ``bprop`` method through `bprop.call_with_rule`)."""
from __future__ import annotations

import itertools
from collections import OrderedDict

from . import state
from .parameter import Parameter, ParameterTuple
from .tensor import Tensor

_hook_ids = itertools.count()


class _HookHandle:
    """What ``register_*_hook`` returns; ``remove()`` unregisters the hook."""

    def __init__(self, hooks: dict):
        self._hooks = hooks
        self.handle_id = next(_hook_ids)

    def remove(self):
        self._hooks.pop(self.handle_id, None)


class Cell:
    """Base class of all networks. Subclasses define ``construct``; calling the Cell runs it."""

    def __init__(self, auto_prefix=True, flags=None):
        object.__setattr__(self, "_params", OrderedDict())
        object.__setattr__(self, "_cells", OrderedDict())
        object.__setattr__(self, "_auto_prefix", auto_prefix)
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_pre_hooks", OrderedDict())
        object.__setattr__(self, "training", False)
        object.__setattr__(self, "requires_grad", False)
        object.__setattr__(self, "phase", "train")
        object.__setattr__(self, "_init_flag", True)
        object.__setattr__(self, "_cell_tag", type(self).__name__)
        if flags:
            object.__setattr__(self, "_flags", dict(flags))

    # --- registration ----------------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        params = self.__dict__.get("_params")
        if params is None:  # super().__init__() not called yet; MindSpore fails later, at use
            object.__setattr__(self, name, value)
            return
        cells = self.__dict__["_cells"]
        if isinstance(value, Parameter):
            self._register_parameter(name, value)
        elif isinstance(value, ParameterTuple):
            for param in value:
                params[param.name] = param
            object.__setattr__(self, name, value)
        elif isinstance(value, Cell):
            params.pop(name, None)
            cells[name] = value
            object.__setattr__(self, name, value)
            if self._auto_prefix:
                for path, param in value.parameters_and_names():
                    param.name = f"{name}.{path}"
        elif name in params:
            if isinstance(value, Tensor):
                params[name].set_data(value)
            elif value is None:
                del params[name]
                object.__setattr__(self, name, None)
            else:
                raise TypeError(f"Parameter '{name}' already exists in network, can not assign this type: "
                                f"'{type(value)}' as a parameter.")
        else:
            if name in cells and value is None:
                del cells[name]
            object.__setattr__(self, name, value)

    def _register_parameter(self, name, param):
        if param._auto_named:
            param.name = name
            param._auto_named = False
        self.__dict__["_cells"].pop(name, None)
        self.__dict__["_params"][name] = param
        object.__setattr__(self, name, param)

    def __delattr__(self, name):
        self.__dict__.get("_params", {}).pop(name, None)
        self.__dict__.get("_cells", {}).pop(name, None)
        object.__delattr__(self, name)

    def __getattr__(self, name):
        # Only reached when normal lookup fails: Parameters and Cells live in __dict__ too, for fast access.
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"The '{type(self).__name__}' object has no attribute '{name}'.")

    def insert_param_to_cell(self, param_name, param, check_name_contain_dot=True):
        if check_name_contain_dot and "." in param_name:
            raise KeyError(f"For 'insert_param_to_cell', the argument 'param_name' should not contain '.', but got "
                           f"{param_name}.")
        self.__dict__["_params"][param_name] = param
        object.__setattr__(self, param_name, param)

    def insert_child_to_cell(self, child_name, child_cell):
        """Register a child without renaming its Parameters (as in MindSpore)."""
        if not isinstance(child_cell, Cell) and child_cell is not None:
            raise TypeError(f"For 'insert_child_to_cell', the argument 'child_cell' must be a Cell, but got "
                            f"{type(child_cell).__name__}.")
        self.__dict__["_cells"][child_name] = child_cell
        object.__setattr__(self, child_name, child_cell)

    def update_parameters_name(self, prefix="", recurse=True):
        for path, param in self.parameters_and_names(expand=recurse):
            param.name = prefix + path

    # --- enumeration -----------------------------------------------------------------------------------------
    def cells_and_names(self, cells=None, name_prefix=""):
        seen = set() if cells is None else cells
        if id(self) not in seen:
            seen.add(id(self))
            yield name_prefix, self
        for name, cell in self._internal_cells().items():
            if cell is None or id(cell) in seen:
                continue
            yield from cell.cells_and_names(seen, f"{name_prefix}.{name}" if name_prefix else name)

    def _internal_cells(self):
        try:
            return self.__dict__["_cells"]
        except KeyError:
            raise AttributeError(f"The '{type(self).__name__}' object has no attribute '_params'.") from None

    def _own_params(self):
        try:
            return self.__dict__["_params"]
        except KeyError:
            raise AttributeError(f"The '{type(self).__name__}' object has no attribute '_params'.") from None

    def parameters_and_names(self, name_prefix="", expand=True):
        seen = set()
        cells = self.cells_and_names(name_prefix=name_prefix) if expand else [(name_prefix, self)]
        for cell_name, cell in cells:
            for name, param in cell._own_params().items():
                if param is None or id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{cell_name}.{name}" if cell_name else name), param

    def get_parameters(self, expand=True):
        for _, param in self.parameters_and_names(expand=expand):
            yield param

    def trainable_params(self, recurse=True):
        return [p for p in self.get_parameters(expand=recurse) if p.requires_grad]

    def untrainable_params(self, recurse=True):
        return [p for p in self.get_parameters(expand=recurse) if not p.requires_grad]

    def parameters_dict(self, recurse=True):
        return OrderedDict((p.name, p) for p in self.get_parameters(expand=recurse))

    def parameters_broadcast_dict(self, recurse=True):
        return self.parameters_dict(recurse)

    def cells(self):
        return self.name_cells().values()

    def name_cells(self):
        return OrderedDict((k, v) for k, v in self._internal_cells().items() if v is not None)

    # --- modes and flags -------------------------------------------------------------------------------------
    def set_train(self, mode=True):
        for _, cell in self.cells_and_names():
            object.__setattr__(cell, "training", bool(mode))
            object.__setattr__(cell, "phase", "train" if mode else "predict")
        return self

    def set_grad(self, requires_grad=True):
        object.__setattr__(self, "requires_grad", requires_grad)
        return self

    def apply(self, fn):
        for cell in self.cells():
            cell.apply(fn)
        fn(self)
        return self

    def to_float(self, dst_type):
        object.__setattr__(self, "_float_dtype", dst_type)
        return self

    def recompute(self, **kwargs):
        return self

    def set_inputs(self, *inputs, **kwargs):
        object.__setattr__(self, "_input_signature", inputs)
        return self

    def set_jit_config(self, jit_config):
        object.__setattr__(self, "_jit_config", jit_config)
        return self

    def shard(self, *args, **kwargs):
        return self

    # --- hooks -----------------------------------------------------------------------------------------------
    def _add_hook(self, table_name, hook):
        if not callable(hook):
            raise TypeError(f"For '{table_name}', the hook must be a function, but got {type(hook).__name__}.")
        hooks = self.__dict__[table_name]
        handle = _HookHandle(hooks)
        hooks[handle.handle_id] = hook
        return handle

    def register_forward_pre_hook(self, hook_fn, with_kwargs=False):
        return self._add_hook("_forward_pre_hooks", hook_fn)

    def register_forward_hook(self, hook_fn, with_kwargs=False):
        return self._add_hook("_forward_hooks", hook_fn)

    # --- calling ---------------------------------------------------------------------------------------------
    def construct(self, *args, **kwargs):
        raise AttributeError("For 'Cell', the method 'construct' is not defined.")

    def __call__(self, *args, **kwargs):
        if "_init_flag" not in self.__dict__:
            raise AttributeError(f"The '{type(self).__name__}' object has no attribute '_init_flag'.")
        for hook in tuple(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        if self._has_bprop and state.differentiating(args):
            from .bprop import call_with_rule
            out = call_with_rule(lambda *a: self.construct(*a, **kwargs), self.bprop, args,
                                 who=f"'{type(self).__name__}.bprop'")
        else:
            out = self.construct(*args, **kwargs)
        for hook in tuple(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._has_bprop = callable(getattr(cls, "bprop", None))

    _has_bprop = False

    # --- printing --------------------------------------------------------------------------------------------
    def extend_repr(self):
        return ""

    def __repr__(self):
        extra = self.extend_repr()
        children = self.name_cells() if "_cells" in self.__dict__ else {}
        if not children:
            return f"{type(self).__name__}({extra})" if extra else f"{type(self).__name__}()"
        lines = [extra] if extra else []
        for name, cell in children.items():
            child = repr(cell).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        body = "\n  ".join(lines)
        return f"{type(self).__name__}(\n  {body}\n)"

