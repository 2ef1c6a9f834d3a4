"""MindSpore's ``Validator`` checks for layer constructor arguments, with its exception types and messages."""
from __future__ import annotations

import math

from .nn_ops import check_value_type  # noqa: F401  (re-exported: layers check argument types with it too)


def _prefix(cls_name):
    return f"For '{cls_name}', the " if cls_name else "The "


def check_int(value, bound, relation, name=None, cls_name=None):
    """``value`` must be an int (not bool) with ``value > bound`` (relation '>') or ``>= bound`` ('>=')."""
    what = _prefix(cls_name) + (f"'{name}'" if name else "input value")
    if not isinstance(value, int):
        raise TypeError(f"{what} must be int, but got '{type(value).__name__}'")
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"{what} must be a legal value, but got '{value}'.")
    holds = value > bound if relation == ">" else value >= bound
    if isinstance(value, bool) or not holds:
        message = f"{what} must be int and must {relation} {bound}, but got '{value}' with type '{type(value).__name__}'."
        raise (TypeError if isinstance(value, bool) else ValueError)(message)
    return value


def check_positive_int(value, name=None, cls_name=None):
    return check_int(value, 0, ">", name, cls_name)


def check_non_negative_int(value, name=None, cls_name=None):
    return check_int(value, 0, ">=", name, cls_name)


def check_bool(value, name=None, cls_name=None):
    if not isinstance(value, bool):
        owner = f"For '{cls_name}', the" if cls_name else "The"
        raise TypeError(f"{owner} {repr(name) if name else 'input value'} must be a bool, but got "
                        f"{type(value).__name__}.")
    return value


def check_string(value, valid, name, cls_name):
    if not (isinstance(value, str) and value in valid):
        raise ValueError(f"For '{cls_name}', the '{name}' must be str and must be in '{valid}', but got '{value}'.")
    return value


def twice(value):
    """An int as a pair, or a pair of ints as it is (MindSpore's ``twice`` for kernel sizes, strides, dilations)."""
    if not isinstance(value, tuple):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, value
        raise TypeError(f"When expanding an int number to tuple, input type must be integer or tuple[int], but got "
                        f"{type(value)}")
    if len(value) != 2:
        raise TypeError(f"When expanding an int number to tuple, input tuple dimension must be 2, but got {value}")
    for item in value:
        if not isinstance(item, int) or isinstance(item, bool):
            raise TypeError(f"When expanding an int number to tuple, the type of element in input tuple must be an "
                            f"integer, but got {type(item)}.")
    return value


def check_cpu_format(cls_name, data_format, message):
    """MindSpore builds NHWC layers on GPU only."""
    from . import context
    if data_format == "NHWC" and context.get_context("device_target") != "GPU":
        raise ValueError(message.format(cls=cls_name, target=context.get_context("device_target")))
