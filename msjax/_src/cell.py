"""``nn.Cell``: registration of Parameters and child Cells with MindSpore's naming rules, enumeration, modes and flags,
forward and backward hooks, repr, and ``__call__`` (which routes a Cell with a ``bprop`` method through
`bprop.call_with_rule`, and wraps a Cell with backward hooks in the identities of `hooks.CellBackward`).

MindSpore keeps Parameters and child Cells only in ``_params`` / ``_cells`` and finds them through ``__getattr__``.
msjax also mirrors each of them into the instance ``__dict__`` (kept in step by every registration path below), so an
attribute read such as ``self.weight`` is a plain dict hit; ``__getattr__`` still falls back to the registries.
"""
from __future__ import annotations

import warnings
from collections import OrderedDict

from . import context, jit, state
from . import dtype as mstype
from . import hooks as backward_hooks
from .parameter import Parameter, ParameterTuple, check_str_by_regular, is_generated_name
from .tensor import Tensor


class HookHandle:
    """What the ``register_*_hook`` methods return; ``remove()`` unregisters the hook."""

    unique_id = 0

    def __init__(self, hook_dict=None, *, extra_dict=None):
        self.hook_dict_ref = hook_dict
        self.extra_dict_ref = () if extra_dict is None else tuple(extra_dict)
        if hook_dict is not None:
            self.handle_id = HookHandle.unique_id
            HookHandle.unique_id += 1

    def remove(self):
        if self.hook_dict_ref is None:
            return
        self.hook_dict_ref.pop(self.handle_id, None)
        for extra in self.extra_dict_ref:
            extra.pop(self.handle_id, None)


def _is_parameter_list_or_tuple(value) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Parameter) for v in value)


def _addindent(text: str, num_spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first = lines.pop(0)
    return first + "\n" + "\n".join(num_spaces * " " + line for line in lines)


class Cell:
    """Base class of all networks. Subclasses define ``construct``; calling the Cell runs it."""

    def __init__(self, auto_prefix=True, flags=None):
        setup = object.__setattr__
        setup(self, "_params", OrderedDict())
        setup(self, "_cells", OrderedDict())
        setup(self, "_params_list", OrderedDict())
        setup(self, "_primitives", OrderedDict())
        setup(self, "training", False)
        setup(self, "requires_grad", False)
        setup(self, "_auto_prefix", auto_prefix)
        setup(self, "_phase", "train")
        setup(self, "_id", 1)
        setup(self, "_exist_objs", None)
        setup(self, "_exist_names", None)
        setup(self, "_init_flag", False)
        setup(self, "_is_check_and_refresh", False)
        setup(self, "_forward_pre_hook", OrderedDict())
        setup(self, "_forward_pre_hook_with_kwargs", OrderedDict())
        setup(self, "_forward_hook", OrderedDict())
        setup(self, "_forward_hook_with_kwargs", OrderedDict())
        setup(self, "_forward_hook_always_called", OrderedDict())
        setup(self, "_backward_pre_hook", OrderedDict())
        setup(self, "_backward_hook", OrderedDict())
        setup(self, "_bprop_debug", False)
        setup(self, "has_bprop", self._has_bprop)
        setup(self, "mixed_precision_type", None)
        if flags:
            self.add_flags(**flags)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._has_bprop = callable(getattr(cls, "bprop", None))

    _has_bprop = False

    def __bool__(self):
        return True

    # --- attribute access ----------------------------------------------------------------------------------------
    def __getattr__(self, name):
        # Only reached when normal lookup fails (registered objects are mirrored into __dict__).
        d = self.__dict__
        for registry in ("_params", "_cells", "_params_list"):
            table = d.get(registry)
            if table is not None and name in table:
                return table[name]
        raise AttributeError(f"The '{type(self).__name__}' object has no attribute '{name}'.")

    def __setattr__(self, name, value):
        if isinstance(value, (Parameter, ParameterTuple)):
            self._set_attr_for_param_or_param_tuple(name, value)
        elif _is_parameter_list_or_tuple(value):
            self._set_attr_for_parameter_in_list_or_tuple(name, value)
        elif isinstance(value, Cell):
            self._set_attr_for_cell(name, value)
        else:
            self._set_attr_for_object(name, value)

    def _drop_plain_attribute(self, name):
        """MindSpore deletes a plain instance attribute before registering a Parameter or Cell under its name (the
        __dict__ mirrors of registered objects stay: the registration replaces them)."""
        d = self.__dict__
        if name in d and name not in d.get("_params", ()) and name not in d.get("_cells", ()):
            del d[name]

    def _set_attr_for_param_or_param_tuple(self, name, value):
        if isinstance(value, Parameter):
            self._drop_plain_attribute(name)
            self.insert_param_to_cell(name, value)
            return
        exist_names, exist_objs = set(), set()
        for item in value:
            if id(item) in exist_objs:
                continue
            exist_objs.add(id(item))
            if is_generated_name(item.name):
                item.name = "Parameter$" + str(self._id)
                object.__setattr__(self, "_id", self._id + 1)
            if item.name in exist_names:
                raise ValueError(f"The value {value} , its name '{item.name}' already exists. Please set a unique "
                                 "name for the parameter.")
            exist_names.add(item.name)
            self.insert_param_to_cell(item.name, item, check_name_contain_dot=False)
        object.__setattr__(self, name, value)

    def _set_attr_for_parameter_in_list_or_tuple(self, name, value):
        """A plain list/tuple of Parameters is not registered; its names must be unique across such attributes."""
        if self.__dict__.get("_exist_objs") is None:
            object.__setattr__(self, "_exist_objs", set())
            object.__setattr__(self, "_exist_names", set())
        exist_objs, exist_names = self._exist_objs, self._exist_names
        for item in value:
            if id(item) in exist_objs:
                continue
            exist_objs.add(id(item))
            if item.name in exist_names:
                raise ValueError(f"The value {value} , its name '{item.name}' already exists. Please set a unique "
                                 "name for the parameter.")
            exist_names.add(item.name)
        object.__setattr__(self, name, value)

    def _set_attr_for_cell(self, name, value):
        self._drop_plain_attribute(name)
        if self._auto_prefix:
            value.update_parameters_name(name + ".")
        self.insert_child_to_cell(name, value)

    def _set_attr_for_object(self, name, value):
        d = self.__dict__
        params = d.get("_params")
        if params is not None and name in params:
            if value is not None:
                if isinstance(value, Tensor):
                    params[name].set_data(value)
                    return
                raise TypeError(f"Parameter '{name}' already exists in network, can not assign this type: "
                                f"'{type(value)}' as a parameter.")
            params[name] = None
            d[name] = None
            return
        cells = d.get("_cells")
        if cells is not None and name in cells:
            if value is not None:
                raise TypeError(f"Sub cell '{name}' already exists in network, can not assign this type: "
                                f"'{type(value)}' as a cell.")
            cells[name] = None
            d[name] = None
            return
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        d = self.__dict__
        for registry in ("_params", "_cells", "_params_list"):
            table = d.get(registry)
            if table is not None and name in table:
                del table[name]
                d.pop(name, None)
                return
        object.__delattr__(self, name)

    # --- registration ------------------------------------------------------------------------------------------
    def insert_param_to_cell(self, param_name, param, check_name_contain_dot=True):
        """Register ``param`` under ``param_name``; a generated name (``Parameter#N``) becomes ``param_name``."""
        if not param_name:
            raise KeyError("For 'insert_param_to_cell', the argument 'param_name' should not be None.")
        if check_name_contain_dot and "." in param_name:
            raise KeyError("For 'insert_param_to_cell', the argument 'param_name' should not contain'.' ")
        d = self.__dict__
        if "_params" not in d:
            raise AttributeError("For 'insert_param_to_cell', please call Cell.__init__() firstly.")
        params = d["_params"]
        if param_name not in params and hasattr(self, param_name):
            raise KeyError(f"For 'insert_param_to_cell', the {param_name} parameter already exists in the network."
                           "Cannot insert another parameter with the same name.")
        if not isinstance(param, Parameter) and param is not None:
            raise TypeError("For 'insert_param_to_cell', the argument 'param' must be 'Parameter' if not None, "
                            f"but got {type(param)}.")
        if isinstance(param, Parameter) and is_generated_name(param.name):
            param.name = param_name
        params[param_name] = param
        d[param_name] = param

    def insert_child_to_cell(self, child_name, child_cell):
        """Register ``child_cell`` under ``child_name`` (its Parameters are not renamed)."""
        if not isinstance(child_name, str):
            raise TypeError("For 'insert_child_to_cell', the type of parameter 'child_name' must be str, "
                            f"but got {type(child_name)}.")
        if not child_name or "." in child_name:
            raise KeyError("For 'insert_child_to_cell', the parameter 'child_name' can not be None and "
                           "can not contain '.' ")
        cells = self._cells
        if child_name not in cells and hasattr(self, child_name):
            raise KeyError(f"For 'insert_child_to_cell', the {child_name} child cell already exists in the network."
                           "Cannot insert another child cell with the same name.")
        if not isinstance(child_cell, Cell) and child_cell is not None:
            raise TypeError("For 'insert_child_to_cell', the argument 'child_cell' must be 'Cell' if not None, "
                            f"but got type {type(child_cell)}.")
        cells[child_name] = child_cell
        self.__dict__[child_name] = child_cell

    def update_parameters_name(self, prefix="", recurse=True):
        """Rename every Parameter to ``prefix`` + its attribute path."""
        check_str_by_regular(prefix, r"^\w*[0-9a-zA-Z\_\.\-]*$")
        for name, param in self.parameters_and_names(expand=recurse):
            param.name = prefix + name

    def check_names_and_refresh_name(self):
        """On the first call: duplicate Parameter names are replaced by attribute paths."""
        if not hasattr(self, "_params"):
            return
        all_names = [p.name for p in dict(self.parameters_and_names()).values()]
        if len(set(all_names)) < len(all_names):
            self.update_parameters_name()
            self.check_names()

    def check_names(self):
        names = set()
        for path, param in self.parameters_and_names():
            if param.name in names:
                raise ValueError(f"The value of {path} is {param}, its name '{param.name}' already exists. "
                                 "Please set a unique name for the parameter.")
            names.add(param.name)

    # --- enumeration -------------------------------------------------------------------------------------------
    def cells_and_names(self, cells=None, name_prefix=""):
        """Pre-order walk over this Cell and its children, each reached once, with attribute paths."""
        seen = cells if cells else set()
        if self in seen:
            return
        seen.add(self)
        yield name_prefix, self
        for name, cell in self._cells.items():
            if cell is not None:
                yield from cell.cells_and_names(seen, f"{name_prefix}.{name}" if name_prefix else name)

    def parameters_and_names(self, name_prefix="", expand=True):
        """(attribute path, Parameter) for own Parameters first, then each child's; each Parameter once."""
        cells = self.cells_and_names(name_prefix=name_prefix) if expand else [(name_prefix, self)]
        seen = set()
        for cell_name, cell in cells:
            for name, param in cell._params.items():
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
        params = OrderedDict((p.name, p) for p in self.get_parameters(expand=recurse) if p.layerwise_parallel is False)
        return params or None

    def cells(self):
        return self.name_cells().values()

    def name_cells(self):
        """Direct children by attribute name (a Cell registered under two names is listed once)."""
        seen = set()
        cells = OrderedDict()
        for name, cell in self._cells.items():
            if cell is not None and cell not in seen:
                seen.add(cell)
                cells[name] = cell
        return cells

    # --- modes and flags ---------------------------------------------------------------------------------------
    @property
    def phase(self):
        return self._phase

    @phase.setter
    def phase(self, value):
        if not isinstance(value, str):
            raise TypeError(f"For 'Cell', the property 'phase' must be string type, but got type {type(value)}.")
        object.__setattr__(self, "_phase", value)

    @property
    def cls_name(self):
        return type(self).__name__

    @property
    def bprop_debug(self):
        return self._bprop_debug

    @bprop_debug.setter
    def bprop_debug(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"For 'Cell', the property 'bprop_debug' must be bool type, but got type {type(value)}.")
        object.__setattr__(self, "_bprop_debug", value)

    def set_train(self, mode=True):
        """``training = mode`` on this Cell and every descendant; ``phase`` ('train'/'predict') on this Cell only."""
        object.__setattr__(self, "_phase", "train" if mode else "predict")
        self.add_flags_recursive(training=mode)
        return self

    def set_grad(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    def add_flags(self, **flags):
        d = self.__dict__
        if "_func_graph_flags" not in d:
            object.__setattr__(self, "_func_graph_flags", {})
        d["_func_graph_flags"].update(flags)
        d.update(flags)
        return self

    def add_flags_recursive(self, **flags):
        self.add_flags(**flags)
        for cell in self.cells():
            cell.add_flags_recursive(**flags)
        return self

    def get_flags(self):
        if "_func_graph_flags" not in self.__dict__:
            object.__setattr__(self, "_func_graph_flags", {})
        return self._func_graph_flags

    def apply(self, fn):
        """``fn`` on every descendant (children first), then on this Cell; returns self."""
        for cell in self.cells():
            cell.apply(fn)
        fn(self)
        return self

    def to_float(self, dst_type):
        """Run this Cell and its sub-Cells in ``dst_type`` (float16, bfloat16 or float32 again); see `amp`."""
        from . import amp
        amp.check_to_float(dst_type)
        flags = {"fp16": dst_type == mstype.float16, "fp32": dst_type == mstype.float32,
                 "bf16": dst_type == mstype.bfloat16}
        for _, cell in self.cells_and_names():
            cell.add_flags(**flags)
            object.__setattr__(cell, "_mixed_precision", dst_type)
            cell.__dict__.pop("_msjax_compiled", None)
        return self

    def recompute(self, **kwargs):
        return self

    def set_inputs(self, *inputs, **kwargs):
        object.__setattr__(self, "_input_signature", inputs)
        return self

    def set_jit_config(self, jit_config):
        object.__setattr__(self, "_jit_config", jit_config)
        return self

    def shard(self, in_strategy, out_strategy=None, parameter_plan=None):
        """Constrain the Cell's inputs to ``in_strategy`` in semi-auto parallel steps (a forward pre-hook); nothing
        with one device, as in MindSpore. A second call replaces the strategies."""
        from .communication import get_group_size
        from .shard_strategy import check_shard_arguments, constrain_call
        if get_group_size() == 1:
            return
        check_shard_arguments(in_strategy, out_strategy, parameter_plan)
        previous = self.__dict__.get("_shard_hook")
        if previous is not None:
            previous.remove()
        name = type(self).__name__

        def constrain_inputs(cell, args):
            return constrain_call(name, in_strategy, parameter_plan, args)

        object.__setattr__(self, "_shard_hook", self.register_forward_pre_hook(constrain_inputs))

    # --- hooks -------------------------------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook_fn, *, prepend=False, with_kwargs=False):
        """``hook_fn(cell, args)`` (or ``(cell, args, kwargs)``) before ``construct``; a non-None return replaces
        the arguments."""
        backward_hooks.check_hook_fn(hook_fn)
        hooks = self._forward_pre_hook
        handle = HookHandle(hooks, extra_dict=(self._forward_pre_hook_with_kwargs,))
        hooks[handle.handle_id] = hook_fn
        if prepend:
            hooks.move_to_end(handle.handle_id, last=False)
        if with_kwargs:
            self._forward_pre_hook_with_kwargs[handle.handle_id] = True
        return handle

    def register_forward_hook(self, hook_fn, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook_fn(cell, args, output)`` (or ``(cell, args, kwargs, output)``) after ``construct``; a non-None
        return replaces the output. A Cell with ``bprop`` ignores forward hooks, as in MindSpore."""
        if self._has_bprop:
            return HookHandle()
        backward_hooks.check_hook_fn(hook_fn)
        hooks = self._forward_hook
        handle = HookHandle(hooks, extra_dict=(self._forward_hook_with_kwargs, self._forward_hook_always_called))
        hooks[handle.handle_id] = hook_fn
        if prepend:
            hooks.move_to_end(handle.handle_id, last=False)
        if with_kwargs:
            self._forward_hook_with_kwargs[handle.handle_id] = True
        if always_call:
            self._forward_hook_always_called[handle.handle_id] = True
        return handle

    def register_backward_pre_hook(self, hook_fn):
        """``hook_fn(cell, grad_output)`` in backward, when the gradient reaches the output (a tuple of the output's
        Tensors' gradients); a non-None return replaces it."""
        backward_hooks.check_hook_fn(hook_fn)
        handle = HookHandle(self._backward_pre_hook)
        self._backward_pre_hook[handle.handle_id] = hook_fn
        return handle

    def register_backward_hook(self, hook_fn):
        """``hook_fn(cell, grad_input, grad_output)`` in backward, when the gradient reaches the Tensor arguments
        (tuples; None where no gradient flows); a non-None return replaces ``grad_input``."""
        backward_hooks.check_hook_fn(hook_fn)
        handle = HookHandle(self._backward_hook)
        self._backward_hook[handle.handle_id] = hook_fn
        return handle

    def _run_forward_pre_hook(self, args, kwargs):
        with_kwargs = self._forward_pre_hook_with_kwargs
        for hook_id, hook_fn in tuple(self._forward_pre_hook.items()):
            if hook_id in with_kwargs:
                ret = hook_fn(self, args, kwargs)
                if ret is not None:
                    if isinstance(ret, tuple) and len(ret) == 2:
                        args, kwargs = ret
                    else:
                        raise RuntimeError("forward pre hook with kwargs must return None or a tuple of "
                                           f"(new_args, new_kwargs), but got {ret}")
            else:
                ret = hook_fn(self, args)
                if ret is not None:
                    args = ret if isinstance(ret, tuple) else (ret,)
        return args, kwargs

    def _run_forward_hook(self, args, kwargs, output, called):
        with_kwargs, always = self._forward_hook_with_kwargs, self._forward_hook_always_called
        for hook_id, hook_fn in tuple(self._forward_hook.items()):
            if hook_id in always:
                called.add(hook_id)
            ret = hook_fn(self, args, kwargs, output) if hook_id in with_kwargs else hook_fn(self, args, output)
            if ret is not None:
                output = ret
        return output

    # --- calling -----------------------------------------------------------------------------------------------
    def construct(self, *args, **kwargs):
        raise AttributeError("For 'Cell', the method 'construct' is not defined.")

    def _first_call_check(self):
        """MindSpore's PyNative first-call checks: duplicate Parameter names are refreshed to attribute paths."""
        object.__setattr__(self, "_init_flag", True)
        try:
            if not self._is_check_and_refresh:
                self.check_names_and_refresh_name()
                object.__setattr__(self, "_is_check_and_refresh", True)
        except AttributeError as e:
            raise AttributeError(f"The '{type(self).__name__}' object does not inherit attribute from 'cell'. "
                                 "Please use 'super().__init__()'.") from e

    def __call__(self, *args, **kwargs):
        if not self._init_flag:  # without super().__init__(): "... has no attribute '_init_flag'."
            self._first_call_check()
        if jit.graph_depth:  # being compiled: run the graph-mode construct (Tensor control flow -> lax)
            jit.note_cell_call(self)
            construct = jit.graph_version(self.construct)
        elif not context.is_pynative():  # GRAPH_MODE: compiled at top level (MindSpore runs no hooks there)
            compiled = self.__dict__.get("_msjax_compiled") or self._compiled_construct()
            return compiled(self, *args, **kwargs)
        else:
            construct = self.construct
        return self._run_construct(construct, args, kwargs)

    def _run_uncompiled(self, *args, **kwargs):
        """A GRAPH_MODE call inside something that traces already (a transform, JAX's jit): part of that program."""
        return self._run_construct(self.construct, args, kwargs)

    def _run_construct(self, construct, args, kwargs):
        dtype = self.__dict__.get("_mixed_precision")
        if dtype is not None:  # to_float: casts around the call (amp.py)
            from . import amp
            return amp.run_in_precision(self, dtype, self._run_hooked, construct, args, kwargs)
        return self._run_hooked(construct, args, kwargs)

    def _run_hooked(self, construct, args, kwargs):
        if not (self._forward_pre_hook or self._forward_hook or self._has_bprop or self._backward_hook
                or self._backward_pre_hook):
            return construct(*args, **kwargs)
        called_always = set()
        output = None
        try:
            if self._forward_pre_hook:
                args, kwargs = self._run_forward_pre_hook(args, kwargs)
            backward = None
            if (self._backward_hook or self._backward_pre_hook) and backward_hooks.active((args, kwargs)):
                backward = backward_hooks.CellBackward(self)
                args = backward.wrap_inputs(args)
            if self._has_bprop and state.differentiating((args, kwargs)):
                from .bprop import call_with_rule  # the bprop replaces the whole Cell's backward
                output = call_with_rule(construct, self.bprop, args, kwargs=kwargs,
                                        who=f"'{type(self).__name__}.bprop'", bare_ok=context.is_pynative())
            else:
                output = construct(*args, **kwargs)
            if self._forward_hook:
                output = self._run_forward_hook(args, kwargs, output, called_always)
            if backward is not None:
                output = backward.wrap_output(output)
            return output
        except Exception:
            self._run_always_called_hooks(args, kwargs, output, called_always)
            raise

    def _compiled_construct(self):
        fn, convert = type(self).construct, True
        if self.__dict__.get("_mixed_precision") is not None:  # the casts are part of the compiled program
            fn, convert = Cell._run_compiled_in_precision, False
        compiled = jit.JitFunction(fn, name=f"{type(self).__name__}.construct", convert=convert,
                                   inline=Cell._run_uncompiled)
        object.__setattr__(self, "_msjax_compiled", compiled)
        return compiled

    def _run_compiled_in_precision(self, *args, **kwargs):
        from . import amp
        return amp.run_in_precision(self, self._mixed_precision, lambda construct, a, k: construct(*a, **k),
                                    jit.graph_version(self.construct), args, kwargs)

    def _run_always_called_hooks(self, args, kwargs, output, called):
        with_kwargs = self._forward_hook_with_kwargs
        for hook_id, hook_fn in tuple(self._forward_hook.items()):
            if hook_id in self._forward_hook_always_called and hook_id not in called:
                try:
                    ret = hook_fn(self, args, kwargs, output) if hook_id in with_kwargs else hook_fn(self, args, output)
                    if ret is not None:
                        output = ret
                except Exception as e:  # noqa: BLE001  (MindSpore silences these with a warning)
                    warnings.warn("cell forward hook with ``always_call=True`` raised an exception that was "
                                  f"silenced because another error was already raised in forward: {e}")

    # --- printing ----------------------------------------------------------------------------------------------
    def extend_repr(self):
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extend = self.extend_repr()
        extra_lines = extend.split("\n") if extend else []
        child_lines = [f"({key}): {_addindent(repr(cell), 2)}" for key, cell in self._cells.items()]
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"

    def __str__(self):
        return self.__repr__()
