"""Recurrent layers (MindSpore 2.10): RNN (tanh/relu), GRU, LSTM — layers, directions, batch_first, has_bias,
initial states, seq_length, dropout in eval mode — and RNNCell/GRUCell/LSTMCell: Parameter names, initial weights
(numpy's global generator, as MindSpore draws them), forward values, gradients w.r.t. inputs, initial states and
every Parameter, and the errors of bad inputs and states."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, ParameterTuple
from _probe import case

# IN = 2 * H: a bidirectional layer 1 then runs the kernels layer 0 compiled (same shapes), which halves compiles
T, B, IN, H = 4, 2, 6, 3


def data(seed, *shape):
    return Tensor(np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32))


def set_weights(cell, seed):
    rng = np.random.default_rng(seed)
    for p in cell.get_parameters():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))


class Wrap(nn.Cell):
    """A scalar of the outputs (weighted, so every element's gradient differs) for gradients."""

    def __init__(self, net, lstm, seq_length=None):
        super().__init__()
        self.net = net
        self.lstm = lstm
        self.seq_length = seq_length

    def reduce(self, out, state):
        total = (out * ops.cos(out)).sum()
        if self.lstm:
            return total + (state[0] * 2.0).sum() + (state[1] * state[1]).sum()
        return total + (state * 2.0).sum()


class NoState(Wrap):
    def construct(self, x):
        out, state = self.net(x, None, self.seq_length)
        return self.reduce(out, state)


class WithState(Wrap):
    def construct(self, x, h):
        out, state = self.net(x, h, self.seq_length)
        return self.reduce(out, state)


class WithLSTMState(Wrap):
    def construct(self, x, h, c):
        out, state = self.net(x, (h, c), self.seq_length)
        return self.reduce(out, state)


def run(label, net, x, states=(), seq_length=None):
    lstm = isinstance(net, nn.LSTM)
    print(label, "params", [(name, p.shape) for name, p in net.parameters_and_names()])
    hx = None if not states else (states if lstm else states[0])
    case(label + " forward", lambda: net(x, hx, seq_length))
    wrapper = (NoState, WithState, WithLSTMState)[len(states)](net, lstm, seq_length)
    grad = ops.GradOperation(get_all=True, get_by_list=True)(wrapper, ParameterTuple(wrapper.trainable_params()))
    case(label + " grads", lambda: grad(x, *states))


# --- layers -------------------------------------------------------------------------------------------------------
np.random.seed(1)
rnn = nn.RNN(IN, H)
print("rnn initial weights", [(p.name, np.round(p.asnumpy(), 6).tolist()) for p in rnn.get_parameters()])
print("rnn repr", repr(rnn))
run("rnn tanh hx", rnn, data(1, T, B, IN), (data(2, 1, B, H),))

relu = nn.RNN(IN, H, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True)
set_weights(relu, 3)
run("rnn relu 2 layers bidirectional batch_first", relu, data(4, B, T, IN))

gru = nn.GRU(IN, H, num_layers=2, has_bias=False, bidirectional=True)
set_weights(gru, 5)
run("gru 2 layers bidirectional no bias hx", gru, data(6, T, B, IN), (data(7, 4, B, H),))

gru_seq = nn.GRU(IN, H, bidirectional=True)
set_weights(gru_seq, 8)
run("gru bidirectional seq_length", gru_seq, data(9, T, B, IN), (), Tensor(np.array([4, 2], np.int32)))

lstm = nn.LSTM(IN, H, num_layers=2, bidirectional=True, dropout=0.5)  # dropout is the identity in eval mode
set_weights(lstm, 10)
print("lstm repr", repr(lstm))
run("lstm 2 layers bidirectional dropout hx", lstm, data(11, T, B, IN), (data(12, 4, B, H), data(13, 4, B, H)))

lstm_seq = nn.LSTM(IN, H, batch_first=True)
set_weights(lstm_seq, 14)
run("lstm batch_first seq_length hx", lstm_seq, data(15, B, T, IN), (data(16, 1, B, H), data(17, 1, B, H)),
    Tensor(np.array([3, 1], np.int64)))

# --- cells --------------------------------------------------------------------------------------------------------
for cell, label in ((nn.RNNCell(IN, H, nonlinearity="relu"), "rnncell relu"), (nn.GRUCell(IN, H), "grucell"),
                    (nn.LSTMCell(IN, H, has_bias=False), "lstmcell no bias")):
    set_weights(cell, 20)
    print(label, "params", [(name, p.shape) for name, p in cell.parameters_and_names()], repr(cell))
    x, h = data(21, B, IN), data(22, B, H)
    state = (h, data(23, B, H)) if isinstance(cell, nn.LSTMCell) else h
    case(label + " forward", lambda: cell(x, state))

    class Unroll(nn.Cell):
        def __init__(self, cell):
            super().__init__()
            self.cell = cell

        def construct(self, x, h, c):
            state = (h, c) if isinstance(self.cell, nn.LSTMCell) else h
            total = 0
            for _ in range(3):
                state = self.cell(x, state)
                total = total + (state[0].sum() + (state[1] * state[1]).sum() if isinstance(state, tuple)
                                 else (state * state).sum())
            return total

    unroll = Unroll(cell)
    grad = ops.GradOperation(get_all=True, get_by_list=True)(unroll, ParameterTuple(unroll.trainable_params()))
    case(label + " unrolled grads", lambda: grad(x, h, data(23, B, H)))

# --- errors -------------------------------------------------------------------------------------------------------
x = data(30, T, B, IN)
case("gru feature size", lambda: gru(data(31, T, B, 5)))
case("gru hx batch", lambda: gru(x, data(32, 4, 3, H)))
case("gru hx layers", lambda: gru(x, data(33, 2, B, H)))
case("rnn input rank 2", lambda: rnn(data(34, T, IN)))
case("rnn hx tuple", lambda: rnn(x, (data(35, 1, B, H), data(36, 1, B, H))))
case("rnn hx float16", lambda: rnn(x, data(37, 1, B, H).astype(ms.float16)))
case("lstm input rank 2", lambda: lstm(data(38, T, IN)))
case("lstm feature size", lambda: lstm(data(39, T, B, 5)))
case("lstm h batch", lambda: lstm(x, (data(40, 4, 3, H), data(41, 4, 3, H))))
case("lstm c shape", lambda: lstm(x, (data(42, 4, B, H), data(43, 4, 3, H))))
case("lstm hx tensor", lambda: lstm(x, data(44, 4, B, H)))
case("lstm hx 3 tensors", lambda: lstm(x, (data(45, 4, B, H),) * 3))
case("lstm seq_length float", lambda: lstm(x, None, Tensor(np.array([4.0, 2.0], np.float32))))
case("lstm seq_length size", lambda: lstm(x, None, Tensor(np.array([4, 2, 1], np.int32))))
case("lstmcell hx tensor", lambda: nn.LSTMCell(IN, H)(data(46, B, IN), data(47, B, H)))
case("grucell float64", lambda: nn.GRUCell(IN, H)(data(48, B, IN).astype(ms.float64), data(49, B, H)))
case("rnncell hx batch", lambda: nn.RNNCell(IN, H)(data(50, B, IN), data(51, 3, H)))
