"""A checkpoint written by msjax (the committed fixture `written_by_msjax.ckpt`, made by
`compat_tests/fixtures/make_fixtures.py`) loaded. Its recording comes from real MindSpore, so msjax's reading of
its own file must equal MindSpore's reading of it."""
import os

import mindspore as ms
from _checkpoint_net import Net, net_values, show

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "written_by_msjax.ckpt")
loaded = ms.load_checkpoint(path)
show("msjax file", loaded)
net = Net(scale=0.0)
print("load_param_into_net:", ms.load_param_into_net(net, loaded))
show("net after load", net_values(net))
