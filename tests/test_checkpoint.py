"""Checkpoints: MindSpore's .ckpt format byte for byte, round trips, selection, errors, atomic writes, and
load_param_into_net. Expected bytes and messages were recorded from real MindSpore 2.10."""
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

import mindspore as ms
from mindspore import Parameter, Tensor, nn
from msjax._src import checkpoint, checkpoint_proto
from msjax._src.dtype import from_numpy_dtype

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat_tests" / "fixtures"
sys.path.insert(0, str(ROOT / "compat_tests" / "programs"))
from _checkpoint_net import APPEND, Net  # noqa: E402


def param(values, dtype, name, requires_grad=True):
    return Parameter(Tensor(np.array(values, dtype)), name=name, requires_grad=requires_grad)


class Fc(nn.Cell):
    def __init__(self, bias):
        super().__init__()
        self.weight = param([[1, 2], [3, 4]], np.float32, "weight")
        self.bias = param(bias, np.float32, "bias")


class Small(nn.Cell):
    def __init__(self, bias=(0.5, -1.0)):
        super().__init__()
        self.fc = Fc(bias)
        self.s = param([1, 1], np.float32, "s")


def values(loaded):
    return {k: v if isinstance(v, str) else v.asnumpy().tolist() for k, v in loaded.items()}


# --- the format -------------------------------------------------------------------------------------------------

# Entries MindSpore 2.10 wrote (save_checkpoint of a Cell and append_dict): unpacked dims, no dims for 0-d, "str"
# entries with dims [0] and numpy's UTF-32 bytes.
MINDSPORE_ENTRIES = [
    ("w", np.arange(6, dtype=np.float32).reshape(2, 3),
     "0a2c0a01771227080208031207466c6f617433321a18000000000000803f0000004000004040000080400000a040"),
    ("b", np.array([1.5, -2, 3], ml_dtypes.bfloat16), "0a190a016212140803120842466c6f617431361a06c03f00c04040"),
    ("i", np.array([[7], [-8]], np.int64), "0a220a0169121d080208011205496e7436341a100700000000000000f8ffffffffffffff"),
    ("i32", np.array(300, np.int32), "0a140a03693332120d1205496e7433321a042c010000"),
    ("t", np.array([True, False]), "0a110a0174120c08021204426f6f6c1a020100"),
    ("h", np.array([1.5, -2], np.float16), "0a160a0168121108021207466c6f617431361a04003e00c0"),
    ("u8", np.array([255, 1], np.uint8), "0a130a027538120d0802120555496e74381a02ff01"),
]


@pytest.mark.parametrize("name, array, expected", MINDSPORE_ENTRIES, ids=[e[0] for e in MINDSPORE_ENTRIES])
def test_entry_bytes_equal_mindspores(tmp_path, name, array, expected):
    ms.save_checkpoint([Parameter(Tensor(array), name=name)], str(tmp_path / "x"))
    assert (tmp_path / "x.ckpt").read_bytes().hex() == expected


def test_append_dict_bytes_equal_mindspores(tmp_path):
    ms.save_checkpoint([], str(tmp_path / "x"), append_dict={"epoch": 5, "lr": 0.1, "s": "abcé", "flag": True})
    assert (tmp_path / "x.ckpt").read_bytes().hex() == (
        "0a1a0a0565706f636812111205496e7436341a080500000000000000"
        "0a150a026c72120f1207466c6f617433321a04cdcccc3d"
        "0a1e0a01731219080012037374721a10610000006200000063000000e9000000"
        "0a110a04666c616712091204426f6f6c1a0101")


def test_file_equals_the_fixture_mindspore_wrote(tmp_path):
    ms.save_checkpoint(Net(), str(tmp_path / "net.ckpt"), append_dict=APPEND)
    written = (tmp_path / "net.ckpt").read_bytes()
    assert written == (FIXTURES / "written_by_mindspore.ckpt").read_bytes()
    assert written == (FIXTURES / "written_by_msjax.ckpt").read_bytes()


def test_decoder_reads_what_protobuf_accepts():
    head = checkpoint_proto.entry_prefix("x", [2], "Float32", 8)
    content = np.array([1, 2], np.float32).tobytes()
    packed = b"\n\x1b\n\x01x\x12\x16\n\x01\x02\x12\x07Float32\x1a\x08" + content
    unknown_field = head + content + b"\x10\x05"
    for data in (head + content, packed, unknown_field):
        (entry,) = checkpoint_proto.decode(data)
        assert (entry.tag, entry.dims, entry.tensor_type, bytes(entry.content)) == ("x", [2], "Float32", content)
    for bad in (b"\xff\xff\xff", head, (head + content)[:-1], b"\n\x05\n\x01\xff\x12\x00"):
        with pytest.raises(checkpoint_proto.DecodeError):
            checkpoint_proto.decode(bad)


# --- round trips ------------------------------------------------------------------------------------------------

DTYPES = [np.float16, np.float32, np.float64, ml_dtypes.bfloat16, np.int8, np.int16, np.int32, np.int64, np.uint8,
          np.uint16, np.uint32, np.uint64, np.bool_]


@pytest.mark.parametrize("np_dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(), (3,), (2, 1, 2)])
def test_round_trip_every_dtype(tmp_path, np_dtype, shape):
    array = (np.arange(int(np.prod(shape))) % 3 - (0 if np_dtype in (np.bool_,) else 1)).reshape(shape)
    array = array.astype(np_dtype)
    ms.save_checkpoint([param(array, np_dtype, "p", requires_grad=False)], str(tmp_path / "a.ckpt"))
    loaded = ms.load_checkpoint(str(tmp_path / "a.ckpt"))["p"]
    assert isinstance(loaded, Parameter) and loaded.name == "p" and loaded.requires_grad
    assert loaded.dtype == from_numpy_dtype(np_dtype) and loaded.shape == shape
    np.testing.assert_array_equal(loaded.asnumpy(), array)


def test_cell_order_names_and_non_trainable(tmp_path):
    net = Small()
    net.s.requires_grad = False
    ms.save_checkpoint(net, str(tmp_path / "n"))
    loaded = ms.load_checkpoint(str(tmp_path / "n.ckpt"))
    assert list(loaded) == [p.name for p in net.get_parameters()] == ["s", "fc.weight", "fc.bias"]
    assert values(loaded)["fc.bias"] == [0.5, -1.0]


def test_empty_tensors_are_not_written_and_repeated_names_keep_first_position(tmp_path):
    ms.save_checkpoint([param([1, 2], np.float32, "a"), param(np.zeros((2, 0)), np.float32, "e"),
                        param([3], np.float32, "b"), param([4, 5, 6], np.float32, "a")], str(tmp_path / "x"))
    assert values(ms.load_checkpoint(str(tmp_path / "x.ckpt"))) == {"a": [4, 5, 6], "b": [3]}


def test_append_dict_types(tmp_path):
    ms.save_checkpoint([param([1, 2], np.float32, "s")], str(tmp_path / "x"),
                       append_dict={"i": 2 ** 40, "f": 0.5, "b": False, "s": "é", "t": Tensor(np.ones(2, np.int32))})
    loaded = ms.load_checkpoint(str(tmp_path / "x.ckpt"))
    assert list(loaded) == ["s", "i", "f", "b", "t"]  # "s" from append_dict replaces the Parameter in place
    assert loaded["s"] == "é"
    assert [(loaded[k].dtype, loaded[k].shape) for k in "ifbt"] == [
        (ms.int64, ()), (ms.float32, ()), (ms.bool_, ()), (ms.int32, (2,))]
    with pytest.raises(TypeError, match="must be key: string, value: int, float, bool or Generator"):
        ms.save_checkpoint([], str(tmp_path / "y"), append_dict={"a": [1]})
    with pytest.raises(TypeError, match="'append_dict' must be dict"):
        ms.save_checkpoint([], str(tmp_path / "y"), append_dict=[1])


def test_save_obj_kinds(tmp_path):
    p = param([1, 2], np.float32, "p")
    ms.save_checkpoint([{"name": "a", "data": Tensor(np.ones(2, np.int32))}, {"name": "b", "data": p}],
                       str(tmp_path / "d"))
    assert values(ms.load_checkpoint(str(tmp_path / "d.ckpt"))) == {"a": [1, 1], "b": [1, 2]}
    ms.save_checkpoint({"x": p, "y": "hi", "z": np.ones(1, np.float32)}, str(tmp_path / "e"))
    assert values(ms.load_checkpoint(str(tmp_path / "e.ckpt"))) == {"x": [1, 2], "y": "hi", "z": [1]}
    ms.save_checkpoint(Small(), str(tmp_path / "c"), choice_func=lambda n: n.startswith("fc"))
    assert list(ms.load_checkpoint(str(tmp_path / "c.ckpt"))) == ["fc.weight", "fc.bias"]
    for bad, message in [((p,), "must be nn.Cell, list or dict"), ([p, 3], "list of Parameter"),
                         ([Tensor(1)], "list of Parameter"), ([{"name": 1, "data": p}], "name in dict"),
                         ([{"name": "a", "data": np.ones(2)}], "data in dict"), ({"x": Tensor(1)}, "dict")]:
        with pytest.raises(TypeError, match=message):
            ms.save_checkpoint(bad, str(tmp_path / "bad"))


def test_file_name_mode_and_overwrite(tmp_path):
    net = Small()
    ms.save_checkpoint(net, str(tmp_path / "a.v1"))
    ms.save_checkpoint(net, str(tmp_path / "zckpt"))  # MindSpore only checks that the name ends with "ckpt"
    assert sorted(os.listdir(tmp_path)) == ["a.v1.ckpt", "zckpt"]
    path = tmp_path / "a.v1.ckpt"
    assert path.stat().st_mode & 0o777 == 0o400
    ms.save_checkpoint(Small(bias=(7, 8)), str(path))  # over the read-only file
    assert path.stat().st_mode & 0o777 == 0o400
    assert values(ms.load_checkpoint(str(path)))["fc.bias"] == [7, 8]
    with pytest.raises(IsADirectoryError, match="is a directory"):
        ms.save_checkpoint(net, str(tmp_path))
    with pytest.raises(TypeError, match="'ckpt_file_name' must be string"):
        ms.save_checkpoint(net, 3)


def test_big_parameters_are_split_into_entries_with_one_tag(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "_SLICE_BYTES", 8)
    ms.save_checkpoint([param(np.arange(5), np.float32, "x"), param([1], np.int8, "y")], str(tmp_path / "a"))
    entries = checkpoint_proto.decode((tmp_path / "a.ckpt").read_bytes())
    assert [(e.tag, len(e.content)) for e in entries] == [("x", 8), ("x", 8), ("x", 4), ("y", 1)]
    assert values(ms.load_checkpoint(str(tmp_path / "a.ckpt"))) == {"x": [0, 1, 2, 3, 4], "y": [1]}


def test_crc_check(tmp_path):
    net = Small()
    ms.save_checkpoint(net, str(tmp_path / "c"), crc_check=True)
    data = (tmp_path / "c.ckpt").read_bytes()
    assert data[-17:-10] == b"crc_num" and int.from_bytes(data[-10:], "big") == zlib.crc32(data[:-17])
    assert list(ms.load_checkpoint(str(tmp_path / "c.ckpt"), crc_check=True)) == ["s", "fc.weight", "fc.bias"]
    damaged = bytearray(data)
    damaged[-25] ^= 1  # inside the last value: still parses
    (tmp_path / "d.ckpt").write_bytes(bytes(damaged))
    assert list(ms.load_checkpoint(str(tmp_path / "d.ckpt")))[-1] == "fc.bias"
    with pytest.raises(ValueError, match="Failed to read the checkpoint file .*d.ckpt. May not have permission"):
        ms.load_checkpoint(str(tmp_path / "d.ckpt"), crc_check=True)


def test_unsupported_options_raise(tmp_path):
    net = Small()
    with pytest.raises(NotImplementedError, match="encrypted"):
        ms.save_checkpoint(net, str(tmp_path / "a"), enc_key=b"0123456789abcdef")
    assert not os.listdir(tmp_path)
    with pytest.raises(ValueError, match="must be isinstance of"):
        ms.save_checkpoint(net, str(tmp_path / "a"), enc_key="key")
    ms.save_checkpoint(net, str(tmp_path / "a"), async_save=True)  # done synchronously
    assert list(ms.load_checkpoint(str(tmp_path / "a.ckpt"))) == ["s", "fc.weight", "fc.bias"]
    with pytest.raises(NotImplementedError, match="encrypted"):
        ms.load_checkpoint(str(tmp_path / "a.ckpt"), dec_key=b"0123456789abcdef")
    with pytest.raises(ValueError, match="'async_save' can only be 'process' or 'thread'"):
        ms.save_checkpoint(net, str(tmp_path / "a"), async_save="later")


# --- selection and errors on load -------------------------------------------------------------------------------

def test_prefixes_and_choice_func(tmp_path):
    ms.save_checkpoint(Small(), str(tmp_path / "a"))
    path = str(tmp_path / "a.ckpt")
    assert list(ms.load_checkpoint(path, filter_prefix="fc")) == ["s"]
    assert list(ms.load_checkpoint(path, specify_prefix=("fc.b",))) == ["fc.bias"]
    assert list(ms.load_checkpoint(path, specify_prefix="fc", filter_prefix="fc.b")) == ["fc.weight"]
    assert list(ms.load_checkpoint(path, choice_func=lambda n: n == "s")) == ["s"]
    # a prefix overrides choice_func
    assert list(ms.load_checkpoint(path, choice_func=lambda n: n == "s", specify_prefix="fc")) == ["fc.weight",
                                                                                                     "fc.bias"]
    with pytest.raises(ValueError, match="The loaded parameter dict is empty after filter or specify"):
        ms.load_checkpoint(path, filter_prefix=["fc", "s"])
    for bad, error in [(3, TypeError), ([], ValueError), ("", ValueError), (["a", 1], TypeError)]:
        with pytest.raises(error, match="'specify_prefix' or 'filter_prefix'"):
            ms.load_checkpoint(path, filter_prefix=bad)


def test_missing_and_misnamed_files(tmp_path):
    missing = tmp_path / "nope.ckpt"
    with pytest.raises(ValueError) as info:
        ms.load_checkpoint(str(missing))
    assert str(info.value) == (f"For 'load_checkpoint', the checkpoint file: {missing} does not exist, please check "
                               "whether the 'ckpt_file_name' is correct.")
    with pytest.raises(ValueError, match="format must same with 'format'"):
        ms.load_checkpoint(str(tmp_path / "nope"))
    with pytest.raises(ValueError, match="should end with '.ckpt' or '.safetensors'"):
        ms.load_checkpoint(str(missing), format="x")
    with pytest.raises(TypeError, match="'ckpt_file_name' must be string"):
        ms.load_checkpoint(3)


def test_corrupted_and_truncated_files_load_nothing(tmp_path):
    ms.save_checkpoint(Small(), str(tmp_path / "good"))
    data = (tmp_path / "good.ckpt").read_bytes()
    boundaries = {0}
    for entry in checkpoint_proto.decode(data):
        boundaries.add(max(boundaries) + len(checkpoint_proto.entry_prefix(entry.tag, entry.dims, entry.tensor_type,
                                                                            len(entry.content))) + len(entry.content))
    net = Small(bias=(9, 9))
    bad = tmp_path / "bad.ckpt"
    for cut in range(1, len(data)):
        bad.write_bytes(data[:cut])
        if cut in boundaries:  # a cut between entries is a valid, shorter checkpoint (as in MindSpore)
            continue
        with pytest.raises(ValueError) as info:
            ms.load_checkpoint(str(bad), net=net)
        assert str(info.value) == (f"Failed to read the checkpoint file {bad}. The file may be corrupted, and the "
                                   "content cannot be parsed.")
    bad.write_bytes(b"\xff\xff\xff\xff garbage")
    with pytest.raises(ValueError, match="The file may be corrupted"):
        ms.load_checkpoint(str(bad), net=net)
    assert net.fc.bias.asnumpy().tolist() == [9, 9]


def test_entries_that_cannot_be_converted(tmp_path):
    cases = {"Complex64": np.array([1 + 2j], np.complex64).tobytes(), "Boox": b"\x01"}
    for tensor_type, content in cases.items():
        path = tmp_path / f"{tensor_type}.ckpt"
        path.write_bytes(checkpoint_proto.entry_prefix("x", [1], tensor_type, len(content)) + content)
        with pytest.raises(ValueError) as info:
            ms.load_checkpoint(str(path))
        assert str(info.value) == f"'{tensor_type}'\nFor 'load_checkpoint', failed to load the checkpoint file {path}."
    path = tmp_path / "size.ckpt"
    path.write_bytes(checkpoint_proto.entry_prefix("x", [3], "Float32", 4) + b"\0" * 4)
    with pytest.raises(ValueError, match="holds 4 bytes, but a Float32 tensor of shape \\(3,\\) needs 12"):
        ms.load_checkpoint(str(path))


# --- atomic writes ----------------------------------------------------------------------------------------------

def test_a_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    ms.save_checkpoint(Small(), str(tmp_path / "a"))
    before = (tmp_path / "a.ckpt").read_bytes()
    real_pieces = checkpoint._pieces

    def failing_pieces(name, value):
        yield from real_pieces(name, value)
        if name == "fc.weight":
            raise OSError("No space left on device")

    monkeypatch.setattr(checkpoint, "_pieces", failing_pieces)
    with pytest.raises(OSError, match="No space left"):
        ms.save_checkpoint(Small(bias=(3, 3)), str(tmp_path / "a"))
    with pytest.raises(OSError, match="No space left"):
        ms.save_checkpoint(Small(), str(tmp_path / "new"))
    assert os.listdir(tmp_path) == ["a.ckpt"]  # no temporary file, no truncated "new.ckpt"
    assert (tmp_path / "a.ckpt").read_bytes() == before


def test_a_process_killed_mid_save_leaves_the_previous_file(tmp_path):
    ms.save_checkpoint(Small(), str(tmp_path / "a"))
    before = (tmp_path / "a.ckpt").read_bytes()
    child = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import msjax; msjax.install()
        import mindspore as ms
        from msjax._src import checkpoint
        from test_checkpoint import Small
        real_pieces = checkpoint._pieces
        def dying_pieces(name, value):
            for piece in real_pieces(name, value):
                yield piece
                if name == "fc.weight":
                    os._exit(3)  # killed after part of the file is written
        checkpoint._pieces = dying_pieces
        ms.save_checkpoint(Small(bias=(3, 3)), {str(tmp_path / "a")!r})
    """)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 3, result.stderr
    assert (tmp_path / "a.ckpt").read_bytes() == before
    leftovers = [name for name in os.listdir(tmp_path) if name != "a.ckpt"]
    assert all(name.startswith(".a.ckpt.") and name.endswith(".tmp") for name in leftovers)


# --- load_param_into_net ----------------------------------------------------------------------------------------

def test_load_param_into_net_results(tmp_path):
    ms.save_checkpoint(Small(bias=(3, 4)), str(tmp_path / "a"), append_dict={"note": "x"})
    loaded = ms.load_checkpoint(str(tmp_path / "a.ckpt"))
    net = Small()
    assert ms.load_param_into_net(net, loaded) == ([], ["note"])
    assert net.fc.bias.asnumpy().tolist() == [3, 4]
    assert ms.load_param_into_net(net, {"s": loaded["s"], "x": loaded["fc.bias"]}) == (["fc.weight", "fc.bias"],
                                                                                        ["x"])
    net = Small()
    ms.load_checkpoint(str(tmp_path / "a.ckpt"), net=net, specify_prefix="fc.b")
    assert net.fc.bias.asnumpy().tolist() == [3, 4] and net.fc.weight.asnumpy().tolist() == [[1, 2], [3, 4]]


def test_load_param_into_net_dtypes_and_shapes():
    net = Small()
    assert ms.load_param_into_net(net, {"s": param([2, 3], np.float16, "s")})[0] == ["fc.weight", "fc.bias"]
    assert net.s.dtype == ms.float32 and net.s.asnumpy().tolist() == [2, 3]
    with pytest.raises(RuntimeError, match="should have the same type as s in the argument 'parameter_dict'. but got "
                                           "its type Float32 in the argument 'net' and type Float16"):
        ms.load_param_into_net(net, {"s": param([2, 3], np.float16, "s")}, strict_load=True)
    with pytest.raises(RuntimeError, match="type Float32 in the argument 'net' and type Int32"):
        ms.load_param_into_net(net, {"s": param([2, 3], np.int32, "s")})
    with pytest.raises(RuntimeError) as info:
        ms.load_param_into_net(net, {"s": param([1, 2, 3], np.float32, "s")})
    assert str(info.value).startswith(
        "For 'load_param_into_net', s in the argument 'net' should have the same shape as s in the argument "
        "'parameter_dict'. But got its shape (2,) in the argument 'net' and shape (3,) in the argument "
        "'parameter_dict'.May you need to check")
    ms.load_param_into_net(net, {"s": param([[4], [5]], np.float32, "s")})  # a trailing 1 is accepted: takes it
    assert net.s.shape == (2, 1)


def test_load_param_into_net_checks_and_suffix_matching():
    net = Small()
    with pytest.raises(TypeError, match="should be a 'str' and 'Parameter' , but got <class 'str'> and"):
        ms.load_param_into_net(net, {"s": Tensor(np.ones(2, np.float32))})
    with pytest.raises(TypeError, match="the argument 'net' should be a Cell"):
        ms.load_param_into_net(3, {})
    with pytest.raises(TypeError, match="The input value must be a bool, but got int."):
        ms.load_param_into_net(net, {}, strict_load=1)
    # a name the net misses is looked up by suffix: the first key ending with it gives a prefix for all
    assert ms.load_param_into_net(net, {"a.s": param([1, 2], np.float32, "q"), "a.fc.bias": param([3, 4], np.float32,
                                                                                                 "r")}) == (
        ["fc.weight"], ["a.s", "a.fc.bias"])
    assert (net.s.asnumpy().tolist(), net.fc.bias.asnumpy().tolist(), net.fc.bias.name) == ([1, 2], [3, 4], "fc.bias")
    assert ms.load_param_into_net(net, {"net.s": param([6, 7], np.float32, "x")}, strict_load=True) == (
        ["s", "fc.weight", "fc.bias"], ["net.s"])
    assert net.s.asnumpy().tolist() == [1, 2]


def test_public_paths():
    import mindspore.train.serialization as serialization
    for name in ("save_checkpoint", "load_checkpoint", "load_param_into_net"):
        assert getattr(ms, name) is getattr(serialization, name) is getattr(ms.train, name)
