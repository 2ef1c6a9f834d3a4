"""The network the checkpoint programs and fixtures save (plain MindSpore): fixed values in every dtype MindSpore's
checkpoints carry, nested Parameter names, a 0-d Parameter and non-trainable ones; and a printer for what
`load_checkpoint` returns."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn

APPEND = {"epoch_num": 5, "lr": 0.01, "note": "abcé", "done": True}


class Head(nn.Cell):
    def __init__(self, scale):
        super().__init__()
        self.weight = Parameter(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3) * scale), name="weight")
        self.bias = Parameter(Tensor(np.array([0.5, -1.25], np.float32) * scale), name="bias")


class Net(nn.Cell):
    def __init__(self, scale=1.0):
        super().__init__()
        self.step = Parameter(Tensor(np.array(7 * int(scale), np.int32)), name="step", requires_grad=False)
        self.head = Head(scale)
        self.half = Parameter(Tensor(np.array([1.5, -2.0, 65504.0], np.float16) * min(scale, 1.0)), name="half")
        self.brain = Parameter(Tensor(np.array([[1.0, -0.5], [3.0, 0.0078125]], np.float32) * scale, ms.bfloat16),
                               name="brain")
        self.count = Parameter(Tensor(np.array([[3], [-2 ** 40]], np.int64) * int(scale)), name="count",
                               requires_grad=False)
        self.mask = Parameter(Tensor(np.array([True, False, bool(scale)])), name="mask", requires_grad=False)
        self.pixels = Parameter(Tensor(np.array([0, 128, 255], np.uint8) * int(scale)), name="pixels",
                                requires_grad=False)
        self.precise = Parameter(Tensor(np.array([0.1, -1e-300], np.float64) * scale), name="precise")


def show(label, entries):
    """One line per entry: name, kind, dtype, shape, requires_grad and values (BFloat16 shown as Float32)."""
    for name, value in entries.items():
        if isinstance(value, str):
            print(f"{label} {name}: str {value!r}")
            continue
        shown = value.astype(ms.float32) if value.dtype == ms.bfloat16 else value
        print(f"{label} {name}: {type(value).__name__} name={value.name} {value.dtype} {value.shape} "
              f"requires_grad={value.requires_grad} {shown.asnumpy().tolist()}")


def net_values(net):
    return {p.name: p for p in net.get_parameters()}
