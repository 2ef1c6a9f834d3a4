"""nn.RNN / GRU / LSTM and RNNCell / GRUCell / LSTMCell: Parameter names and initial values, return structures,
seq_length semantics, dropout, the one-scan compilation of the time loop, float32 graphs and MindSpore 2.10's errors
(types and messages probed on real MindSpore). Values against MindSpore: compat_tests/programs/nn_recurrent.py."""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn

T, B, IN, H = 5, 2, 3, 4


def data(seed, *shape, dtype=np.float32):
    return Tensor(np.random.default_rng(seed).uniform(-1, 1, shape).astype(dtype))


def test_layer_parameter_names_order_and_shapes():
    lstm = nn.LSTM(IN, H, num_layers=2, bidirectional=True)
    got = [(name, p.name, p.shape) for name, p in lstm.parameters_and_names()]
    expected = []
    for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        for layer, suffix in ((0, ""), (0, "_reverse"), (1, ""), (1, "_reverse")):
            columns = {"weight_ih": (IN if layer == 0 else 2 * H,), "weight_hh": (H,)}.get(kind, ())
            name = f"{kind}_l{layer}{suffix}"
            expected.append((name, name, (4 * H,) + columns))
    assert got == expected
    assert [n for n, _ in nn.GRU(IN, H, has_bias=False).parameters_and_names()] == ["weight_ih_l0", "weight_hh_l0"]
    assert nn.RNN(IN, H).weight_hh_l0.shape == (H, H)

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(IN, H)

    assert list(Net().parameters_dict())[:2] == ["rnn.weight_ih_l0", "rnn.weight_hh_l0"]


def test_layer_initial_weights_come_from_numpys_global_generator():
    # MindSpore draws np.random.uniform(-1/sqrt(H), 1/sqrt(H)) per Parameter, in creation order
    np.random.seed(3)
    gru = nn.GRU(IN, H, bidirectional=True)
    np.random.seed(3)
    bound = 1 / np.sqrt(H)
    shapes = [(3 * H, IN), (3 * H, H), (3 * H,), (3 * H,)] * 2
    draws = [np.random.uniform(-bound, bound, s).astype(np.float32) for s in shapes]
    by_name = {p.name: p.asnumpy() for p in gru.get_parameters()}
    order = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    order += [n + "_reverse" for n in order]
    for name, expected in zip(order, draws):
        np.testing.assert_array_equal(by_name[name], expected)
        assert by_name[name].dtype == np.float32


def test_layer_attributes_and_repr():
    gru = nn.GRU(IN, H)
    assert (gru.hidden_size, gru.num_layers, gru.batch_first, gru.bidirectional, gru.has_bias, gru.dropout,
            gru.is_lstm) == (H, 1, False, False, True, 0.0, False)
    assert repr(nn.RNN(IN, H, nonlinearity="relu")) == ("RNN(\n  (rnn): _DynamicRNNRelu()\n  (dropout_op): "
                                                        "Dropout(p=0.0)\n)")
    assert repr(nn.LSTM(IN, H, num_layers=2, dropout=0.5)).splitlines()[1:3] == [
        "  (rnn): _DynamicLSTMCPUGPU()", "  (dropout_op): Dropout(p=0.5)"]
    assert [n for n, _ in nn.LSTM(IN, H).cells_and_names()] == ["", "rnn", "dropout_op"]
    assert nn.LSTM(IN, H, dtype=ms.float16).weight_ih_l0.dtype == ms.float16


@pytest.mark.parametrize("cls, chunks", [(nn.RNNCell, 1), (nn.GRUCell, 3), (nn.LSTMCell, 4)])
def test_cell_parameters(cls, chunks):
    cell = cls(IN, H)
    assert [(n, p.shape) for n, p in cell.parameters_and_names()] == [
        ("weight_ih", (chunks * H, IN)), ("weight_hh", (chunks * H, H)), ("bias_ih", (chunks * H,)),
        ("bias_hh", (chunks * H,))]
    for p in cell.get_parameters():
        assert np.abs(p.asnumpy()).max() <= 1 / np.sqrt(H) and p.dtype == ms.float32
    assert repr(cell) == f"{cls.__name__}()"
    bare = cls(IN, H, has_bias=False)
    assert bare.bias_ih is None and len(list(bare.get_parameters())) == 2


def test_return_structures_shapes_and_dtypes():
    x = data(0, T, B, IN)
    out, h = nn.RNN(IN, H, num_layers=2)(x)
    assert (out.shape, h.shape) == ((T, B, H), (2, B, H))
    out, (h, c) = nn.LSTM(IN, H, bidirectional=True, batch_first=True)(data(1, B, T, IN))
    assert (out.shape, h.shape, c.shape) == ((B, T, 2 * H), (2, B, H), (2, B, H))
    out, h = nn.GRU(IN, H)(data(2, T, B, IN, dtype=np.float64))
    assert (out.dtype, h.dtype) == (ms.float64, ms.float64)
    out, (h, c) = nn.LSTM(IN, H)(data(3, T, B, IN, dtype=np.float16))
    assert (out.dtype, h.dtype, c.dtype) == (ms.float16, ms.float16, ms.float16)
    assert nn.RNNCell(IN, H)(data(4, B, IN), data(5, B, H)).shape == (B, H)
    h, c = nn.LSTMCell(IN, H)(data(4, B, IN), (data(5, B, H), data(6, B, H)))
    assert (h.shape, c.shape) == ((B, H), (B, H))


def _lstm_reference(x, h, c, w_ih, w_hh, b):
    """numpy LSTM, gates i, f, g, o."""
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    outs = []
    for x_t in x:
        i, f, g, o = np.split(x_t @ w_ih.T + h @ w_hh.T + b, 4, axis=1)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs), h, c


def test_lstm_gate_order_and_initial_state():
    lstm = nn.LSTM(IN, H)
    x, h0, c0 = data(0, T, B, IN), data(1, 1, B, H), data(2, 1, B, H)
    out, (h, c) = lstm(x, (h0, c0))
    p = {q.name: q.asnumpy().astype(np.float64) for q in lstm.get_parameters()}
    ref = _lstm_reference(x.asnumpy(), h0.asnumpy()[0], c0.asnumpy()[0], p["weight_ih_l0"], p["weight_hh_l0"],
                          p["bias_ih_l0"] + p["bias_hh_l0"])
    for got, want in zip((out, h, c), ref):
        np.testing.assert_allclose(got.asnumpy().reshape(want.shape), want, rtol=1e-5, atol=1e-6)


def test_seq_length_masks_outputs_and_holds_states():
    gru = nn.GRU(IN, H, bidirectional=True)
    x = data(0, T, B, IN)
    out, h = gru(x, None, Tensor(np.array([T, 3], np.int32)))
    short_out, short_h = gru(Tensor(x.asnumpy()[:3]))
    # sequence 1 (length 3) is the short sequence run alone, backward direction included; later outputs are zero
    np.testing.assert_allclose(out.asnumpy()[:3, 1], short_out.asnumpy()[:, 1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(h.asnumpy()[:, 1], short_h.asnumpy()[:, 1], rtol=1e-6, atol=1e-6)
    assert not out.asnumpy()[3:, 1].any()
    out, h = nn.RNN(IN, H)(x, None, Tensor(np.array([0, 3], np.int64)))
    assert not out.asnumpy()[:, 0].any() and not h.asnumpy()[:, 0].any()


def test_dropout_between_layers_only_in_training():
    lstm = nn.LSTM(IN, H, num_layers=2, dropout=0.5)
    x = data(0, T, B, IN)
    first = lstm(x)[0].asnumpy()
    np.testing.assert_array_equal(lstm(x)[0].asnumpy(), first)
    lstm.set_train()
    assert not np.allclose(lstm(x)[0].asnumpy(), first)
    assert lstm(x)[0].shape == (T, B, H)


def _jaxpr(net, x):
    apply, params = ms.to_jax(net)
    return jax.make_jaxpr(apply)(params, x).jaxpr


def _eqn_count(jaxpr):
    count = 0
    for eqn in jaxpr.eqns:
        count += 1
        for param in eqn.params.values():
            inner = getattr(param, "jaxpr", None)
            if inner is not None and hasattr(inner, "eqns"):
                count += _eqn_count(inner)
    return count


@pytest.mark.parametrize("cls", [nn.RNN, nn.GRU, nn.LSTM])
def test_time_loop_is_one_scan_whatever_the_length(cls):
    net = cls(IN, H, num_layers=2, bidirectional=True)
    short, long = _jaxpr(net, np.zeros((3, B, IN), np.float32)), _jaxpr(net, np.zeros((40, B, IN), np.float32))
    names = [eqn.primitive.name for eqn in short.eqns]
    assert names.count("scan") == 4  # one per layer and direction, none per time step
    assert _eqn_count(short) == _eqn_count(long)

    def loss(params, x):
        out, _ = ms.to_jax(net)[0](params, x)
        return out[0].sum()

    params = ms.to_jax(net)[1]
    grad_short = jax.make_jaxpr(jax.grad(loss))(params, np.zeros((3, B, IN), np.float32)).jaxpr
    grad_long = jax.make_jaxpr(jax.grad(loss))(params, np.zeros((40, B, IN), np.float32)).jaxpr
    assert _eqn_count(grad_short) == _eqn_count(grad_long)


def test_float32_stays_float32():
    from tests.test_float32_graphs import _wide_values
    net = nn.LSTM(IN, H, bidirectional=True)
    apply, params = ms.to_jax(net)
    x, seq_length = np.zeros((T, B, IN), np.float32), np.array([T, 2], np.int32)

    def loss(params, x):
        return apply(params, x, None, seq_length)[0][0].sum()

    assert _wide_values(jax.make_jaxpr(loss)(params, x).jaxpr) == []
    assert _wide_values(jax.make_jaxpr(jax.grad(loss))(params, x).jaxpr) == []


def test_graph_mode_training_step_matches_pynative():
    def run():
        np.random.seed(0)
        net = nn.GRU(IN, H, batch_first=True)
        loss_net = nn.WithLossCell(_Last(net), nn.MSELoss())
        step = nn.TrainOneStepCell(loss_net, nn.SGD(net.trainable_params(), 0.1))
        return [float(step(data(0, B, T, IN), data(1, B, H)).asnumpy()) for _ in range(3)]

    pynative = run()
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        graph = run()
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    np.testing.assert_allclose(graph, pynative, rtol=1e-6)
    assert pynative[2] < pynative[0]


class _Last(nn.Cell):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def construct(self, x):
        return self.rnn(x)[1][0]


# --- errors (types and messages as MindSpore 2.10 raises them) ---------------------------------------------------

TENSOR_TYPE = "<class 'mindspore._c_expression.typing.TensorType'>"


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.RNN(IN, H, dropout=1.0), ValueError,
     "For 'RNN', the 'dropout' must be a number in range [0, 1) representing the probability of an element being "
     "zeroed, but got 1.0."),
    (lambda: nn.GRU(IN, H, dropout=1), TypeError, "For 'GRU', the type of 'dropout' must be 'float', but got 'int'."),
    (lambda: nn.LSTM(IN, 0), ValueError, "For 'LSTM', the 'hidden_size' must be int and must > 0, but got '0' with "
                                         "type 'int'."),
    (lambda: nn.RNN(3.0, H), TypeError, "For 'RNN', the 'input_size' must be int, but got 'float'"),
    (lambda: nn.RNN(IN, H, batch_first=1), TypeError,
     "For 'RNN', the type of 'batch_first' should be 'bool', but got type 'int'."),
    (lambda: nn.RNN(IN, H, nonlinearity="gelu"), ValueError,
     "For 'RNN', the 'nonlinearity' must be in ['tanh', 'relu'], but got gelu."),
    (lambda: nn.GRU(IN, H, bias=True), TypeError, "_RNNBase.__init__() got an unexpected keyword argument 'bias'"),
    (lambda: nn.LSTMCell(IN, H, True, ms.float32), ValueError,
     "The arguments of `nn.LSTMCell` from old MindSpore version(<1.6) are detected"),
    (lambda: nn.GRUCell(IN, H, has_bias=1), TypeError,
     "For 'GRUCell', the type of 'has_bias' should be 'bool', but got type 'int'."),
])
def test_constructor_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


_RNN, _GRU, _LSTM = nn.RNN(IN, H, num_layers=2), nn.GRU(IN, H, num_layers=2), nn.LSTM(IN, H, num_layers=2)
_X = data(0, T, B, IN)


@pytest.mark.parametrize("call, error, message", [
    (lambda: _RNN(data(1, T, IN)), ValueError, "MatMul inputs should have the same dimension size and equal to 2"),
    (lambda: _GRU(data(1, T, B, 6)), ValueError,
     "For 'MatMul' the input dimensions must be equal, but got 'x1_col': 6 and 'x2_row': 3."),
    (lambda: _GRU(_X, data(1, 2, 3, H)), ValueError, "For 'AddExt', input.shape and other.shape need to broadcast."),
    (lambda: _RNN(_X, data(1, 2, B, 5)), ValueError,
     "For 'MatMul' the input dimensions must be equal, but got 'x1_col': 5 and 'x2_row': 4."),
    (lambda: _RNN(_X, data(1, 1, B, H)), IndexError, "index 1 is out of bounds for dimension with size 1"),
    (lambda: _GRU(_X, data(1, 3, B, H)), ValueError,
     "proposed_shape '[const vector]{3, 2, 4}' is invalid for input of size 16"),
    (lambda: _LSTM(data(1, T, IN)), ValueError,
     "For primitive[LSTM], the x_shape.size() must be equal to 3, but got 2."),
    (lambda: _LSTM(data(1, T, B, 6)), ValueError, "For primitive[LSTM], the x_shape[2] must be equal to 3, but got 6."),
    (lambda: _LSTM(_X, (data(1, 2, 3, H), data(2, 2, 3, H))), ValueError,
     "For primitive[LSTM], the h_shape[1] must be equal to 2, but got 3."),
    (lambda: _LSTM(_X, (data(1, 2, B, 5), data(2, 2, B, 5))), ValueError,
     "For primitive[LSTM], the h_shape[2] must be equal to 4, but got 5."),
    (lambda: _LSTM(_X, (data(1, B, H), data(2, B, H))), ValueError,
     "For primitive[LSTM], the h_shape.size() must be equal to 3, but got 2."),
    (lambda: _LSTM(_X, (data(1, 2, B, H), data(2, 2, 3, H))), ValueError,
     "For primitive[LSTM], the h_shape: [1,2,4,] must be equal to [1,3,4,]"),
    (lambda: _LSTM(_X, (data(1, 2, 3, H), data(2, 2, 3, H)), Tensor(np.array([5, 3], np.int32))), ValueError,
     "For 'AddExt', input.shape and other.shape need to broadcast."),
    (lambda: _RNN(_X, (data(1, 2, B, H), data(2, 2, B, H))), TypeError,
     f"For 'RNN', the 'h' must be '{TENSOR_TYPE}', but got 'Tuple[Tensor[Float32]*2]'"),
    (lambda: _GRU(np.ones((T, B, IN), np.float32)), TypeError,
     f"For 'GRU', the 'x' must be '{TENSOR_TYPE}', but got 'External'"),
    (lambda: _LSTM(_X, data(1, 2, B, H)), TypeError,
     "For 'LSTM', the 'hx' must be '<class 'mindspore._c_expression.typing.Tuple'>', but got 'Tensor[Float32]'"),
    (lambda: _LSTM(_X, (data(1, 2, B, H),) * 3), TypeError, "For 'LSTM', the length of 'hx' must be '2', but got '3'"),
    (lambda: _RNN(_X, data(1, 2, B, H, dtype=np.float16)), TypeError,
     "For 'RNN', the type of 'hx' should be same as 'x', but got 'x' with type Float32 and 'hx' with type Float16."),
    (lambda: _LSTM(data(1, T, B, IN, dtype=np.float64), (data(1, 2, B, H, dtype=np.float64),) * 2), TypeError,
     "For 'LSTM', the element of 'x' must be one of Float32, Float16, but got Float64."),
    (lambda: _GRU(_X, None, Tensor(np.array([5.0, 3.0], np.float32))), TypeError,
     "For 'GRU', the 'seq_length' should be one of [mindspore.int32, mindspore.int64], but got 'mindspore.float32'."),
    (lambda: _LSTM(_X, None, Tensor(np.array([5, 3, 2], np.int32))), ValueError,
     "For 'LSTM' batch size of x and seq_length must be equal, but got 2 of x and 3 of seq_length."),
    (lambda: _RNN(Tensor(np.ones((T, B, IN), np.int32))), TypeError, "Select CPU operator[Tanh] fail!"),
])
def test_layer_call_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.RNNCell(IN, H)(data(1, IN), data(2, H)), ValueError,
     "MatMul inputs should have the same dimension size and equal to 2"),
    (lambda: nn.GRUCell(IN, H)(data(1, B, 5), data(2, B, H)), ValueError,
     "For 'MatMul' the input dimensions must be equal, but got 'x1_col': 5 and 'x2_row': 3."),
    (lambda: nn.LSTMCell(IN, H)(data(1, B, IN), (data(2, 3, H), data(3, 3, H))), ValueError,
     "For 'AddExt', input.shape and other.shape need to broadcast."),
    (lambda: nn.GRUCell(IN, H)(data(1, B, IN)), TypeError,
     "GRUCell.construct() missing 1 required positional argument: 'hx'"),
    (lambda: nn.RNNCell(IN, H)(data(1, B, IN, dtype=np.float64), data(2, B, H)), TypeError,
     "For 'RNNCell', the 'x' should be one of [mindspore.float32, mindspore.float16], but got 'mindspore.float64'."),
    (lambda: nn.GRUCell(IN, H)(data(1, B, IN, dtype=np.float16), data(2, B, H, dtype=np.float16)), TypeError,
     "For 'MatMul', the type of 'x2' should be same as 'x1', but got 'x1' with type Tensor[Float16] and 'x2' with "
     "type Tensor[Float32]."),
    (lambda: nn.LSTMCell(IN, H)(data(1, B, IN), data(2, B, H)), TypeError,
     "For 'LSTMCell', the 'hx' must be '<class 'mindspore._c_expression.typing.Tuple'>', but got 'Tensor[Float32]'"),
    (lambda: nn.GRUCell(IN, H)(data(1, B, IN), (data(2, B, H), data(3, B, H))), TypeError,
     f"For 'GRUCell', the 'hx' must be '{TENSOR_TYPE}', but got 'Tuple[Tensor[Float32]*2]'"),
])
def test_cell_call_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)
