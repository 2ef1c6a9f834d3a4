"""``nn.SequentialCell`` and ``nn.CellList``: ordered child Cells under the keys '0', '1', ... (or an OrderedDict's
names); ``nn.CellDict``: child Cells under string keys. All with MindSpore 2.10's renaming of the children's Parameters
(``0.weight``, ``body.2.bias``) when children are added, replaced, inserted or deleted, and its checks and messages.

MindSpore edits the ``_cells`` registry directly here; `_put`, `_drop` and `_replace` do the same and keep msjax's
attribute mirrors of registered children (see `cell.py`) in step."""
from __future__ import annotations

from collections import OrderedDict, abc

from .cell import Cell


def _put(owner, key, cell):
    owner._cells[key] = cell
    owner.__dict__[key] = cell


def _drop(owner, key):
    del owner._cells[key]
    owner.__dict__.pop(key, None)


def _replace(owner, cells):
    for key in list(owner._cells):
        _drop(owner, key)
    for key, cell in cells.items():
        _put(owner, key, cell)


def _valid_index(count, index, cls_name):
    if not isinstance(index, int):
        raise TypeError(f"For '{cls_name}', the type of 'index' must be int, but got {type(index).__name__}.")
    if not -count <= index < count:
        raise IndexError(f"For '{cls_name}', the value of 'index' must be a number in range [{-count}, {count}), but "
                         f"got {index}.")
    return index % count


def _valid_index_for_inserting(count, index, cls_name):
    if not isinstance(index, int):
        raise TypeError(f"For '{cls_name}', the type of 'index' must be int, but got {type(index).__name__}.")
    if not -count <= index <= count:
        raise IndexError(f"For '{cls_name}', the value of 'index' must be a number in range [{-count}, {count}], but "
                         f"got {index}.")
    return index % count if count != 0 and index != count else index


def _valid_cell(cell, cls_name):
    if isinstance(cell, Cell):
        return True
    raise TypeError(f"For '{cls_name}', each cell must be subclass of Cell, but got {type(cell).__name__}.")


def _prefix_and_index(cells):
    """The name prefix the container's children carry (``'body.'`` once it is nested under ``body``) and the
    position of the child key in their Parameter names, read from the first children that have Parameters."""
    found = []
    for key, cell in cells.items():
        first = next(cell.parameters_and_names(), None)
        if first is not None:
            found.append((key, first[1]))
            if len(found) == 2:
                break
    if not found:
        return "", 0
    (first_key, first_param), second = found[0], found[1] if len(found) > 1 else None
    prefix, index = "", 0
    parts = first_param.name.split(".")
    for position, part in enumerate(parts):
        if part == first_key:
            prefix = ".".join(parts[:position])
            prefix, index = (prefix + "." if prefix else prefix), position
            if second is not None and second[1].name.split(".")[position] == second[0]:
                break
    return prefix, index


def _rename_from(cell, prefix, key, key_index):
    """Rename ``cell``'s Parameters to ``prefix + key + '.'`` followed by what came after the old key."""
    for _, param in cell.parameters_and_names():
        param.name = prefix + key + "." + ".".join(param.name.split(".")[key_index + 1:])


class SequentialCell(Cell):
    """``SequentialCell(*cells)``, ``SequentialCell([cells])`` or ``SequentialCell(OrderedDict)``: runs its children
    in order on one input."""

    def __init__(self, *args):
        super().__init__()
        self._is_dynamic_name = []
        if len(args) == 1 and not isinstance(args[0], Cell):
            cells = args[0]
            if isinstance(cells, list):
                named = [(str(index), cell) for index, cell in enumerate(cells)]
            elif isinstance(cells, OrderedDict):
                named = list(cells.items())
            else:
                raise TypeError(f"For '{type(self).__name__}', the 'args[0]' must be Cell, list or orderedDict, but "
                                f"got {type(cells).__name__}")
            dynamic = isinstance(cells, list)
        else:
            named, dynamic = [(str(index), cell) for index, cell in enumerate(args)], True
        for name, cell in named:
            self.insert_child_to_cell(name, cell)
            cell.update_parameters_name(name + ".")
            self._is_dynamic_name.append(dynamic)
        self.cell_list = list(self._cells.values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._cells.items())[index]))
        index = _valid_index(len(self), index, type(self).__name__)
        return list(self._cells.values())[index]

    def __setitem__(self, index, cell):
        cls_name = type(self).__name__
        if _valid_cell(cell, cls_name):
            prefix, _ = _prefix_and_index(self._cells)
            index = _valid_index(len(self), index, cls_name)
            key = list(self._cells)[index]
            _put(self, key, cell)
            cell.update_parameters_name(prefix + key + ".")
            self.cell_list = list(self._cells.values())

    def __delitem__(self, index):
        cls_name = type(self).__name__
        if isinstance(index, int):
            index = _valid_index(len(self), index, cls_name)
            _drop(self, list(self._cells)[index])
            del self._is_dynamic_name[index]
        elif isinstance(index, slice):
            for key in list(self._cells)[index]:
                _drop(self, key)
            del self._is_dynamic_name[index]
        else:
            raise TypeError(f"For '{cls_name}', the type of index must be int type or slice type, but got "
                            f"{type(index).__name__}")
        prefix, key_index = _prefix_and_index(self._cells)
        renumbered = OrderedDict()
        for position, (key, cell) in enumerate(self._cells.items()):
            if self._is_dynamic_name[position]:
                _rename_from(cell, prefix, str(position), key_index)
                key = str(position)
            renumbered[key] = cell
        _replace(self, renumbered)
        self.cell_list = list(self._cells.values())

    def __bool__(self):
        return len(self._cells) != 0

    def __len__(self):
        return len(self._cells)

    def set_grad(self, flag=True):
        self.requires_grad = flag
        for cell in self._cells.values():
            cell.set_grad(flag)

    def append(self, cell):
        if _valid_cell(cell, type(self).__name__):
            prefix, _ = _prefix_and_index(self._cells)
            cell.update_parameters_name(prefix + str(len(self)) + ".")
            self._is_dynamic_name.append(True)
            _put(self, str(len(self)), cell)
        self.cell_list = list(self._cells.values())

    def construct(self, input_data):
        for cell in self.cell_list:
            input_data = cell(input_data)
        return input_data


class CellList(Cell):
    """``CellList(cells=None, auto_prefix=True)``: a list of Cells (not callable itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(kwargs.get("auto_prefix", True))
        self.__cell_as_list__ = True
        if len(args) == 1:
            self.extend(args[0])

    def __getitem__(self, index):
        cls_name = type(self).__name__
        if isinstance(index, slice):
            return CellList(list(self._cells.values())[index])
        if isinstance(index, int):
            return self._cells[str(_valid_index(len(self), index, cls_name))]
        raise TypeError(f"For '{cls_name}', the type of 'index' must be int or slice, but got {type(index).__name__}.")

    def __setitem__(self, index, cell):
        cls_name = type(self).__name__
        if not isinstance(index, int) and _valid_cell(cell, cls_name):
            raise TypeError(f"For '{cls_name}', the type of 'index' must be int, but got {type(index).__name__}.")
        index = _valid_index(len(self), index, cls_name)
        if self._auto_prefix:
            prefix, _ = _prefix_and_index(self._cells)
            cell.update_parameters_name(prefix + str(index) + ".")
        _put(self, str(index), cell)

    def __delitem__(self, index):
        cls_name = type(self).__name__
        if isinstance(index, int):
            _drop(self, str(_valid_index(len(self), index, cls_name)))
        elif isinstance(index, slice):
            for key in list(self._cells)[index]:
                _drop(self, key)
        else:
            raise TypeError(f"For '{cls_name}', the type of 'index' must be int or slice, but got "
                            f"{type(index).__name__}.")
        prefix, key_index = _prefix_and_index(self._cells)
        renumbered = OrderedDict()
        for position, cell in enumerate(self._cells.values()):
            if self._auto_prefix:
                _rename_from(cell, prefix, str(position), key_index)
            renumbered[str(position)] = cell
        _replace(self, renumbered)

    def __bool__(self):
        return len(self._cells) != 0

    def __len__(self):
        return len(self._cells)

    def __iter__(self):
        return iter(self._cells.values())

    def __iadd__(self, cells):
        self.extend(cells)
        return self

    def insert(self, index, cell):
        cls_name = type(self).__name__
        index = _valid_index_for_inserting(len(self), index, cls_name)
        _valid_cell(cell, cls_name)
        prefix, key_index = _prefix_and_index(self._cells)
        for position in range(len(self), index, -1):
            moved = self._cells[str(position - 1)]
            if self._auto_prefix:
                _rename_from(moved, prefix, str(position), key_index)
            _put(self, str(position), moved)
        _put(self, str(index), cell)
        if self._auto_prefix:
            cell.update_parameters_name(prefix + str(index) + ".")

    def extend(self, cells):
        cls_name = type(self).__name__
        if not isinstance(cells, list):
            raise TypeError(f"For '{cls_name}', the new cells wanted to append should be instance of list, but got "
                            f"{type(cells).__name__}.")
        prefix, _ = _prefix_and_index(self._cells)
        for cell in cells:
            if _valid_cell(cell, cls_name):
                if self._auto_prefix:
                    cell.update_parameters_name(prefix + str(len(self)) + ".")
                _put(self, str(len(self)), cell)
        return self

    def append(self, cell):
        if _valid_cell(cell, type(self).__name__):
            if self._auto_prefix:
                prefix, _ = _prefix_and_index(self._cells)
                cell.update_parameters_name(prefix + str(len(self)) + ".")
            _put(self, str(len(self)), cell)

    def set_grad(self, flag=True):
        self.requires_grad = flag
        for cell in self._cells.values():
            cell.set_grad(flag)

    def construct(self, *inputs):
        raise NotImplementedError


class CellDict(Cell):
    """``CellDict(cells=None, auto_prefix=True)``: a dict of Cells (not callable itself). A Cell added under ``key``
    has its Parameters renamed ``prefix + key + '.' + path``, the prefix read from the children already present
    (so a CellDict that was empty when filled names them without its own attribute name, as in MindSpore)."""

    def __init__(self, *args, **kwargs):
        super().__init__(kwargs.get("auto_prefix", True))
        if len(args) == 1:
            self.update(args[0])

    def __getitem__(self, key):
        return self._cells[key]

    def __setitem__(self, key, cell):
        cls_name = type(self).__name__
        if not isinstance(key, str):
            raise TypeError(f"For '{cls_name}', the type of key should be string but got {type(key).__name__}.")
        if hasattr(self, key) and key not in self._cells:
            raise KeyError(f"For '{cls_name}', the key can not be same with the attributes of Cell, but got key {key}.")
        if "." in key:
            raise KeyError(f"For '{cls_name}', key can not contain \".\", but got key {key}")
        if key == "":
            raise KeyError(f"For '{cls_name}', key can not be empty string \"\", but got key {key}")
        if cell is None:
            raise TypeError(f"For '{cls_name}', cell can not be None.")
        if not isinstance(cell, Cell):
            raise TypeError(f"For '{cls_name}', the type of cell should be Cell, but got {type(cell).__name__}.")
        if isinstance(cell, (CellDict, CellList, SequentialCell)):
            raise TypeError(f"For '{cls_name}', the type of cell can not be CellDict, CellList or SequentialCell, but "
                            f"got {type(cell).__name__}.")
        if self._auto_prefix:
            prefix, _ = _prefix_and_index(self._cells)
            cell.update_parameters_name(prefix + key + ".")
        _put(self, key, cell)

    def __delitem__(self, key):
        if key not in self._cells:
            raise KeyError(key)
        _drop(self, key)

    def __len__(self):
        return len(self._cells)

    def __iter__(self):
        return iter(self._cells)

    def __contains__(self, key):
        return key in self._cells

    def clear(self):
        for key in list(self._cells):
            _drop(self, key)

    def pop(self, key):
        value = self[key]
        del self[key]
        return value

    def keys(self):
        return self._cells.keys()

    def values(self):
        return self._cells.values()

    def items(self):
        return self._cells.items()

    def update(self, cells):
        """Add the (key, Cell) pairs of a mapping or of an iterable of pairs."""
        if not isinstance(cells, abc.Iterable):
            raise TypeError("CellDict.update() should be called with an iterable of key-value pairs, but got "
                            f"{type(cells).__name__}")
        if isinstance(cells, (abc.Mapping, CellDict)):
            for key, cell in cells.items():
                self[key] = cell
            return
        for index, pair in enumerate(cells):
            if not isinstance(pair, abc.Iterable):
                raise TypeError(f"CellDict update sequence element #{index} should be Iterable; but got "
                                f"{type(pair).__name__}")
            if len(pair) != 2:
                raise ValueError(f"CellDict update sequence element #{index}, length should be 2; but has length "
                                 f"{len(pair)}")
            self[pair[0]] = pair[1]

    def construct(self, *inputs):
        raise NotImplementedError
