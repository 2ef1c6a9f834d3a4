"""Checkpoints: save/load round trip of every dtype, loading into a net, selection, overwrite, errors, and a file
written by real MindSpore (the committed fixture `written_by_mindspore.ckpt`) loaded and compared byte for byte."""
import os
import shutil
import tempfile

import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor
from _checkpoint_net import APPEND, Net, net_values, show

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
WORK = os.path.realpath(tempfile.mkdtemp())


def report(label, fn, message=True):
    """The exception's type and first line (with the temporary directory masked), or just its type."""
    try:
        print(f"{label}: returned {fn()!r}")
    except Exception as e:  # noqa: BLE001  (the error is the observation)
        print(f"{label}: {type(e).__name__}", str(e).replace(WORK, "<dir>").splitlines()[0] if message else "")


def keep_integers(name):
    return name in ("step", "count", "epoch_num")


# --- (a) round trip
base = os.path.join(WORK, "net")
ms.save_checkpoint(Net(), base, append_dict=APPEND)
path = base + ".ckpt"
print("suffix added:", os.path.exists(path), "mode:", oct(os.stat(path).st_mode & 0o777))
loaded = ms.load_checkpoint(path)
show("roundtrip", loaded)
with open(path, "rb") as f:
    mine = f.read()
with open(os.path.join(FIXTURES, "written_by_mindspore.ckpt"), "rb") as f:
    print("bytes equal to MindSpore's file:", mine == f.read(), "size:", len(mine))

fresh = Net(scale=0.0)
print("load_param_into_net:", ms.load_param_into_net(fresh, loaded))
show("net after load", net_values(fresh))
fresh = Net(scale=0.0)
print("load_checkpoint(net=) keys:", list(ms.load_checkpoint(path, net=fresh, filter_prefix="head")))
show("net after filtered load", net_values(fresh))

print("filter_prefix:", list(ms.load_checkpoint(path, filter_prefix=["head", "epoch"])))
print("specify_prefix:", list(ms.load_checkpoint(path, specify_prefix="head.")))
print("choice_func:", list(ms.load_checkpoint(path, choice_func=keep_integers)))

ms.save_checkpoint(Net(scale=2.0), path)  # over the read-only file
print("overwritten:", ms.load_checkpoint(path)["head.bias"].asnumpy().tolist(), oct(os.stat(path).st_mode & 0o777))

params = list(Net().get_parameters())
ms.save_checkpoint(params, os.path.join(WORK, "list.ckpt"), choice_func=keep_integers)
show("list", ms.load_checkpoint(os.path.join(WORK, "list.ckpt")))
ms.save_checkpoint([{"name": "a", "data": Tensor(np.array([1, 2], np.int32))}, {"name": "b", "data": params[1]}],
                   os.path.join(WORK, "dicts.ckpt"))
show("dicts", ms.load_checkpoint(os.path.join(WORK, "dicts.ckpt")))

net = Net()
report("missing file", lambda: ms.load_checkpoint(os.path.join(WORK, "nope.ckpt")))
with open(os.path.join(WORK, "cut.ckpt"), "wb") as f:
    f.write(mine[:-3])
report("truncated file", lambda: ms.load_checkpoint(os.path.join(WORK, "cut.ckpt"), net=net))
with open(os.path.join(WORK, "junk.ckpt"), "wb") as f:
    f.write(b"\xff\xfe not a checkpoint")
report("garbage file", lambda: ms.load_checkpoint(os.path.join(WORK, "junk.ckpt"), net=net))
show("net untouched", {"head.bias": net.head.bias})
report("everything filtered", lambda: ms.load_checkpoint(path, filter_prefix=tuple("bcdehlmnps")))
report("shape mismatch", lambda: ms.load_param_into_net(net, {"head.bias": Parameter(Tensor(np.ones(3, np.float32)),
                                                                                           name="head.bias")}))
report("dtype mismatch", lambda: ms.load_param_into_net(net, {"head.bias": Parameter(Tensor(np.ones(2, np.int32)),
                                                                                           name="head.bias")}))
report("float cast", lambda: (ms.load_param_into_net(net, {"head.bias": Parameter(
    Tensor(np.array([4, 8], np.float16)), name="head.bias")}), net.head.bias.dtype, net.head.bias.asnumpy().tolist()))
report("tensor value", lambda: ms.load_param_into_net(net, {"head.bias": Tensor(np.ones(2, np.float32))}),
       message=False)  # the message names the Tensor class by its module
report("suffix match", lambda: (ms.load_param_into_net(net, {"old.head.bias": Parameter(
    Tensor(np.array([9, 9], np.float32)), name="x")}), net.head.bias.asnumpy().tolist()))
report("bad append_dict", lambda: ms.save_checkpoint(net, os.path.join(WORK, "x"), append_dict={"a": [1]}))
report("bad save_obj", lambda: ms.save_checkpoint((1, 2), os.path.join(WORK, "x")))

# --- (b) a file written by real MindSpore
show("mindspore file", ms.load_checkpoint(os.path.join(FIXTURES, "written_by_mindspore.ckpt")))
shutil.rmtree(WORK)
