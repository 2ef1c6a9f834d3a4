"""SequentialCell and CellList (MindSpore 2.10): construction from a list, Cells or an OrderedDict, indexing,
slicing, append/extend/insert/delete and the Parameter names each keeps, iteration, repr, forward passes, errors."""
from collections import OrderedDict

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from _probe import case


def names(cell):
    return [p.name for p in cell.get_parameters()]


def set_weights(cell, seed):
    rng = np.random.default_rng(seed)
    for p in cell.get_parameters():
        p.set_data(Tensor(rng.uniform(-1, 1, p.shape).astype(np.float32)))
    return cell


x = Tensor(np.array([[0.5, -1.0], [2.0, 0.25]], np.float32))
# After a container changes, calls use a new input shape: MindSpore's GRAPH mode would otherwise reuse the graph it
# compiled for the old structure (msjax retraces either way).
x3 = Tensor(np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]], np.float32))

# --- SequentialCell ----------------------------------------------------------------------------------------------
seq = set_weights(nn.SequentialCell([nn.Dense(2, 3), nn.ReLU(), nn.Dense(3, 1)]), 0)
print("seq repr", repr(seq))
print("seq names", names(seq), len(seq), [type(c).__name__ for c in seq.cells()], list(seq.name_cells()))
case("seq forward", lambda: seq(x))
case("seq index", lambda: type(seq[-1]).__name__)
case("seq index out of range", lambda: seq[3])
case("seq index str", lambda: seq["0"])
tail = seq[1:]
print("seq slice", repr(tail), names(tail), list(tail.name_cells()))
case("seq slice forward", lambda: tail(Tensor(np.ones((2, 3), np.float32))))
seq.append(set_weights(nn.Dense(1, 2), 1))
print("seq append", names(seq), list(seq.name_cells()), len(seq))
case("seq forward after append", lambda: seq(x3))
case("seq append non-cell", lambda: seq.append(3))
seq[0] = set_weights(nn.Dense(2, 3), 2)
print("seq setitem", names(seq))
case("seq setitem non-cell", lambda: seq.__setitem__(0, 3))
del seq[1]
print("seq delitem", names(seq), list(seq.name_cells()))
named = nn.SequentialCell(OrderedDict([("fc", nn.Dense(2, 3)), ("act", nn.ReLU())]))
print("seq ordered dict", repr(named), names(named))
named.append(nn.Dense(3, 3))
print("seq ordered dict append", names(named), list(named.name_cells()))
print("seq varargs", names(nn.SequentialCell(nn.Dense(2, 3), nn.Dense(3, 4))))
print("seq single cell", names(nn.SequentialCell(nn.Dense(2, 3))))
empty = nn.SequentialCell()
print("seq empty", len(empty), bool(empty), repr(empty))
case("seq bad argument", lambda: nn.SequentialCell(3))
case("seq list with non-cell", lambda: nn.SequentialCell([3]))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.body = nn.SequentialCell([nn.Dense(2, 3), nn.ReLU(), nn.Dense(3, 1)])

    def construct(self, x):
        return self.body(x)


net = set_weights(Net(), 3)
print("nested names", names(net))
print("nested repr", repr(net))
case("nested forward", lambda: net(x))
net.body.append(nn.Dense(1, 1))
print("nested append", names(net))
del net.body[1]
print("nested delitem", names(net), list(net.body.name_cells()))

# --- CellList ----------------------------------------------------------------------------------------------------
cl = nn.CellList([nn.Dense(2, 3), nn.ReLU()])
print("cl repr", repr(cl), names(cl), len(cl))
cl.append(nn.Dense(3, 3))
cl.extend([nn.Dense(3, 4), nn.Tanh()])
print("cl append extend", names(cl), list(cl.name_cells()))
cl.insert(1, nn.Dense(5, 5))
print("cl insert", names(cl), [type(c).__name__ for c in cl])
cl.insert(-1, nn.Dense(6, 6))
print("cl insert negative", names(cl), [type(c).__name__ for c in cl])
case("cl index", lambda: type(cl[-1]).__name__)
case("cl index out of range", lambda: cl[10])
case("cl index str", lambda: cl["a"])
case("cl extend non-list", lambda: cl.extend(nn.Dense(1, 1)))
case("cl extend tuple", lambda: cl.extend((nn.Dense(1, 1),)))
case("cl append non-cell", lambda: cl.append(1))
case("cl insert out of range", lambda: cl.insert(100, nn.ReLU()))
del cl[0]
print("cl delitem", names(cl), list(cl.name_cells()))
cl += [nn.ReLU()]
print("cl iadd", len(cl), [type(c).__name__ for c in cl])
sliced = cl[1:3]
print("cl slice", type(sliced).__name__, [type(c).__name__ for c in sliced], names(sliced))
case("cl call", lambda: cl(x))
print("cl empty", bool(nn.CellList()), len(nn.CellList()))
flat = nn.CellList([nn.Dense(2, 2)], auto_prefix=False)
flat.append(nn.Dense(2, 2))
print("cl auto_prefix False", names(flat))


class Stack(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellList([nn.Dense(2, 2) for _ in range(3)])
        self.act = nn.Tanh()

    def construct(self, x):
        for layer in self.layers:
            x = self.act(layer(x))
        return x


stack = set_weights(Stack(), 4)
print("cl nested names", names(stack))
print("cl nested repr", repr(stack))
case("cl nested forward", lambda: stack(x))
stack.layers.append(set_weights(nn.Dense(2, 2), 5))
print("cl nested append", names(stack))
case("cl nested forward after append", lambda: stack(x3))
