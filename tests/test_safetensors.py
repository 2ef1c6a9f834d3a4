"""Safetensors checkpoints: byte layout (fixture written by real MindSpore), round trips, conversion, errors."""
import io
import os

import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "compat_tests", "fixtures")


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), name="w")
        self.h = Parameter(Tensor(np.array([1.5, -2.0], np.float16)), name="h")
        self.b = Parameter(Tensor(np.array([1.0, 0.5], np.float32), ms.bfloat16), name="b")
        self.i = Parameter(Tensor(np.array(7, np.int32)), name="i", requires_grad=False)


def test_fixture_bytes_match_mindspore(tmp_path):
    import sys
    sys.path.insert(0, os.path.join(FIXTURES, "..", "programs"))
    from _checkpoint_net import APPEND, Net as FixtureNet
    append = {k: v for k, v in APPEND.items() if k != "note"}
    ms.save_checkpoint(FixtureNet(), str(tmp_path / "n"), append_dict=append, format="safetensors")
    with open(tmp_path / "n.safetensors", "rb") as f, open(os.path.join(FIXTURES, "written_by_mindspore.safetensors"),
                                                           "rb") as g:
        assert f.read() == g.read()


def test_layout_and_round_trip(tmp_path):
    path = str(tmp_path / "net.safetensors")
    ms.save_checkpoint(Net(), path, format="safetensors")
    data = open(path, "rb").read()
    size = int.from_bytes(data[:8], "little")
    assert size % 8 == 0
    assert data[8:8 + size].rstrip().startswith(b'{"__metadata__":{"format":"ms"},"w":{"dtype":"F32"')
    loaded = ms.load_checkpoint(path, format="safetensors")
    assert list(loaded) == ["b", "h", "i", "w"]
    assert loaded["b"].dtype == ms.bfloat16 and loaded["i"].shape == () and loaded["i"].dtype == ms.int32
    net = Net()
    net.w.set_data(Tensor(np.zeros((2, 3), np.float32)))
    assert ms.load_param_into_net(net, loaded) == ([], [])
    assert net.w.asnumpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    from_bytes = ms.load_checkpoint(io.BytesIO(data), format="safetensors")
    assert from_bytes["h"].asnumpy().tolist() == [1.5, -2.0]


def test_conversion_names(tmp_path):
    ms.save_checkpoint(Net(), str(tmp_path / "a.ckpt"))
    ms.ckpt_to_safetensors(str(tmp_path / "a.ckpt"), str(tmp_path / "out"), name_map={"w": "weight"})
    assert os.listdir(tmp_path / "out") == ["a.safetensors"]
    ms.safetensors_to_ckpt(str(tmp_path / "out" / "a.safetensors"))
    assert sorted(ms.load_checkpoint(str(tmp_path / "out" / "a.ckpt"))) == ["b", "h", "i", "weight"]


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        ms.load_checkpoint(str(tmp_path / "x.safetensors"), format="safetensors")
    with pytest.raises(ValueError, match="should end with '.ckpt' or '.safetensors'"):
        ms.load_checkpoint(str(tmp_path / "x.safetensors"), format="st")
    (tmp_path / "bad.safetensors").write_bytes(b"junk")
    with pytest.raises(ValueError, match="Fail to parse the input safetensors"):
        ms.load_checkpoint(str(tmp_path / "bad.safetensors"), format="safetensors")
    with pytest.raises(Exception, match='Unknown dtype "str32"') as info:
        ms.save_checkpoint(Net(), str(tmp_path / "s"), format="safetensors", append_dict={"s": "x"})
    assert type(info.value).__name__ == "SafetensorError"
    assert not os.path.exists(tmp_path / "s.safetensors")
    with pytest.raises(ValueError, match="'enc_key' must be set to default value"):
        ms.save_checkpoint(Net(), str(tmp_path / "e"), format="safetensors", enc_key=b"0" * 16)
    with pytest.raises(ValueError, match="must be a valid path or file"):
        ms.ckpt_to_safetensors(str(tmp_path / "none.ckpt"))
