"""Safetensors checkpoints: the file MindSpore writes (committed fixture `written_by_mindspore.safetensors`) compared
byte for byte with a fresh save, msjax's fixture `written_by_msjax.safetensors` loaded (recorded under MindSpore, so
each framework reads the other's file), loading into a net, ckpt <-> safetensors conversion, errors."""
import json
import os
import shutil
import tempfile

import mindspore as ms
from _checkpoint_net import APPEND, Net, net_values, show

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
WORK = os.path.realpath(tempfile.mkdtemp())
APPEND_ST = {k: v for k, v in APPEND.items() if k != "note"}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def report(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except Exception as e:  # noqa: BLE001  (the error is the observation)
        print(f"{label}: {type(e).__name__}", str(e).replace(WORK, "<dir>").replace(FIXTURES, "<fixtures>").splitlines()[0])


# --- a fresh save equals MindSpore's file, byte for byte; the name gets its suffix
ms.save_checkpoint(Net(), os.path.join(WORK, "net"), append_dict=APPEND_ST, format="safetensors")
print("files:", sorted(os.listdir(WORK)), oct(os.stat(os.path.join(WORK, "net.safetensors")).st_mode & 0o777))
print("same bytes as MindSpore's file:",
      read(os.path.join(WORK, "net.safetensors")) == read(os.path.join(FIXTURES, "written_by_mindspore.safetensors")))
ms.save_checkpoint([p for p in Net().get_parameters() if p.name != "brain"], os.path.join(WORK, "crc.safetensors"),
                   format="safetensors", crc_check=True)
header = read(os.path.join(WORK, "crc.safetensors"))
metadata = json.loads(header[8:8 + int.from_bytes(header[:8], "little")])["__metadata__"]
print("crc metadata:", sorted(metadata.items()))  # MindSpore orders several metadata keys at random
print("crc load:", sorted(ms.load_checkpoint(os.path.join(WORK, "crc.safetensors"), format="safetensors",
                                             crc_check=True)))

# --- both fixtures load (keys sorted, values and dtypes kept)
for who in ("mindspore", "msjax"):
    loaded = ms.load_checkpoint(os.path.join(FIXTURES, f"written_by_{who}.safetensors"), format="safetensors")
    for name, value in loaded.items():  # loaded Parameters are unnamed (a counter MindSpore and msjax number apart)
        shown = value.astype(ms.float32) if value.dtype == ms.bfloat16 else value
        print(f"{who} {name}: {type(value).__name__} {value.dtype} {value.shape} {shown.asnumpy().tolist()}")

# --- into a net; selection (choice_func; the prefix filters are ignored for safetensors)
net = Net(scale=0.0)
path = os.path.join(FIXTURES, "written_by_mindspore.safetensors")
print("load_param_into_net:", ms.load_param_into_net(net, ms.load_checkpoint(path, format="safetensors")))
show("net after load", net_values(net))
net = Net(scale=0.0)
ms.load_checkpoint(path, net=net, format="safetensors")
print("net= head.weight:", net.head.weight.asnumpy().tolist())
print("choice_func:", sorted(ms.load_checkpoint(path, format="safetensors", choice_func=lambda n: "head" in n)))
print("filter_prefix:", len(ms.load_checkpoint(path, format="safetensors", filter_prefix="head")))

# --- conversions: x.ckpt -> x.safetensors beside it or in save_path, and back; name_map renames
shutil.copy(os.path.join(FIXTURES, "written_by_mindspore.ckpt"), os.path.join(WORK, "conv.ckpt"))
report("ckpt_to_safetensors with a str entry", lambda: ms.ckpt_to_safetensors(os.path.join(WORK, "conv.ckpt")))
ms.save_checkpoint(Net(), os.path.join(WORK, "plain.ckpt"))
ms.ckpt_to_safetensors(os.path.join(WORK, "plain.ckpt"))
ms.ckpt_to_safetensors(os.path.join(WORK, "plain.ckpt"), os.path.join(WORK, "out"), name_map={"step": "iteration"})
print("converted:", sorted(os.listdir(WORK)), sorted(os.listdir(os.path.join(WORK, "out"))))
print("renamed:", sorted(ms.load_checkpoint(os.path.join(WORK, "out", "plain.safetensors"), format="safetensors")))
ms.safetensors_to_ckpt(os.path.join(WORK, "out", "plain.safetensors"))
back = ms.load_checkpoint(os.path.join(WORK, "out", "plain.ckpt"))
print("back to ckpt:", list(back), back["iteration"].asnumpy().tolist())

# --- errors
report("missing file", lambda: ms.load_checkpoint(os.path.join(WORK, "none.safetensors"), format="safetensors"))
report("wrong format string", lambda: ms.load_checkpoint(path, format="safetensor"))
report("format ckpt for a safetensors file", lambda: ms.load_checkpoint(path))
report("save format", lambda: ms.save_checkpoint(Net(), os.path.join(WORK, "x"), format="st"))
report("save enc_key", lambda: ms.save_checkpoint(Net(), os.path.join(WORK, "x"), format="safetensors",
                                                  enc_key=b"0" * 16))
report("load dec_key", lambda: ms.load_checkpoint(path, format="safetensors", dec_key=b"0" * 16))
report("str append entry", lambda: ms.save_checkpoint(Net(), os.path.join(WORK, "s"), format="safetensors",
                                                      append_dict={"s": "x"}))
print("nothing left behind:", not os.path.exists(os.path.join(WORK, "s.safetensors")))
with open(os.path.join(WORK, "bad.safetensors"), "wb") as f:
    f.write(b"not a safetensors file")
report("garbage file", lambda: ms.load_checkpoint(os.path.join(WORK, "bad.safetensors"), format="safetensors"))
report("convert missing", lambda: ms.safetensors_to_ckpt(os.path.join(WORK, "none.safetensors")))
report("convert wrong suffix", lambda: ms.ckpt_to_safetensors(path))
report("convert dir without rank*", lambda: ms.ckpt_to_safetensors(os.path.join(WORK, "out")))
shutil.rmtree(WORK, ignore_errors=True)
