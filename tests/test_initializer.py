"""mindspore.common.initializer: every initializer's distribution (bounds, means, spreads on large samples, checked
against the formulas MindSpore 2.10 uses, probed there), fan_in/fan_out for 2-d, 3-d and conv shapes, gains,
``initializer(...)`` arguments, string names (also as layer inits), set_seed reproducibility and errors."""
import math

import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn
from msjax.common.initializer import (Constant, HeNormal, HeUniform, Initializer, Normal, One, TruncatedNormal,
                                      Uniform, XavierNormal, XavierUniform, Zero, initializer)

BIG = (300, 400)  # fan_in 400, fan_out 300
SHAPES = [(300, 400), (64, 60, 3, 5), (100, 80, 12)]  # 2-d, conv (receptive field 15), 3-d (receptive field 12)


@pytest.fixture(autouse=True)
def seeded():
    ms.set_seed(11)  # the statistical checks below see fixed draws


def fans(shape):
    """fan_in = shape[1] * receptive field, fan_out = shape[0] * receptive field."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def draw(init, shape=BIG, dtype=ms.float32):
    return initializer(init, shape, dtype).asnumpy().astype(np.float64)


def assert_uniform(values, bound):
    """All draws within ±bound, reaching both ends, with the uniform's std bound/sqrt(3)."""
    assert np.abs(values).max() <= bound * (1 + 1e-6)
    assert values.max() > 0.99 * bound and values.min() < -0.99 * bound
    assert abs(values.std() - bound / math.sqrt(3)) < 0.02 * bound / math.sqrt(3)
    assert abs(values.mean()) < 0.03 * bound


def assert_normal(values, std, mean=0.0):
    assert abs(values.std() - std) < 0.02 * std  # >= 5 standard errors on these sample sizes
    assert abs(values.mean() - mean) < 0.03 * std
    assert np.abs(values - mean).max() > 3 * std  # not truncated


# --- defaults of the classes -----------------------------------------------------------------------------------

def test_default_arguments():
    he = HeUniform()
    assert (he.negative_slope, he.mode, he.nonlinearity) == (0, "fan_in", "leaky_relu")
    assert (Normal().sigma, Normal().mean, Uniform().scale) == (0.01, 0.0, 0.07)
    tn = TruncatedNormal()
    assert (tn.sigma, tn.mean, tn.a, tn.b) == (0.01, 0.0, -2.0, 2.0)
    assert XavierUniform().gain == 1 and XavierNormal().gain == 1
    assert Normal(0.5, 2.0).sigma == 0.5 and Normal(0.5, 2.0).mean == 2.0  # (sigma, mean) order


# --- distributions ---------------------------------------------------------------------------------------------

def test_normal_and_uniform():
    assert_normal(draw("normal"), 0.01)
    assert_normal(draw(Normal(0.5, 2.0)), 0.5, mean=2.0)
    assert_normal(draw(Normal(sigma=2.0, mean=1.0)), 2.0, mean=1.0)
    assert_uniform(draw("uniform"), 0.07)
    assert_uniform(draw(Uniform(2)), 2.0)


@pytest.mark.parametrize("shape", SHAPES)
def test_he_initializers_use_fan_and_gain(shape):
    fan_in, fan_out = fans(shape)
    # gain: leaky_relu sqrt(2 / (1 + slope^2)) (slope 0 by default), relu sqrt(2), tanh 5/3, linear-like 1
    assert_uniform(draw("he_uniform", shape), math.sqrt(6 / fan_in))
    assert_uniform(draw(HeUniform(mode="fan_out", nonlinearity="relu"), shape), math.sqrt(6 / fan_out))
    assert_uniform(draw(HeUniform(math.sqrt(5)), shape), 1 / math.sqrt(fan_in))  # the layers' default
    assert_uniform(draw(HeUniform(0.2), shape), math.sqrt(3) * math.sqrt(2 / 1.04) / math.sqrt(fan_in))
    for linear in ("sigmoid", "linear", "conv2d", "conv_transpose2d"):
        assert_uniform(draw(HeUniform(nonlinearity=linear), shape), math.sqrt(3 / fan_in))
    assert_normal(draw("he_normal", shape), math.sqrt(2 / fan_in))
    assert_normal(draw(HeNormal(negative_slope=1.0), shape), 1 / math.sqrt(fan_in))
    assert_normal(draw(HeNormal(mode="fan_out", nonlinearity="tanh"), shape), 5 / 3 / math.sqrt(fan_out))


def test_he_mode_is_case_insensitive():
    assert_uniform(draw(HeUniform(mode="FAN_OUT")), math.sqrt(6 / 300))


@pytest.mark.parametrize("shape", SHAPES)
def test_xavier_initializers(shape):
    fan_in, fan_out = fans(shape)
    assert_uniform(draw("xavier_uniform", shape), math.sqrt(6 / (fan_in + fan_out)))
    assert_uniform(draw(XavierUniform(2), shape), 2 * math.sqrt(6 / (fan_in + fan_out)))
    assert_normal(draw("xavier_normal", shape), math.sqrt(2 / (fan_in + fan_out)))
    assert_normal(draw(XavierNormal(3), shape), 3 * math.sqrt(2 / (fan_in + fan_out)))


def truncated_moments(mean, sigma, low, high):
    """Mean and std of Normal(mean, sigma) restricted to [low, high]."""
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: (1 + math.erf(z / math.sqrt(2))) / 2  # noqa: E731
    alpha, beta = (low - mean) / sigma, (high - mean) / sigma
    mass = cdf(beta) - cdf(alpha)
    shift = (pdf(alpha) - pdf(beta)) / mass
    var = 1 + (alpha * pdf(alpha) - beta * pdf(beta)) / mass - shift ** 2
    return mean + sigma * shift, sigma * math.sqrt(var)


@pytest.mark.parametrize("init, low, high, mean, sigma", [
    (TruncatedNormal(1.0, 3.0, 2.0, 4.0), 2.0, 4.0, 3.0, 1.0),  # a, b are absolute bounds, not in sigmas
    (TruncatedNormal(1.0, 0.0, -0.5, 1.5), -0.5, 1.5, 0.0, 1.0),
    (TruncatedNormal(2.0), -2.0, 2.0, 0.0, 2.0),
    (TruncatedNormal(0.5, 1.0), -2.0, 2.0, 1.0, 0.5)])
def test_truncated_normal(init, low, high, mean, sigma):
    values = draw(init)
    assert values.min() >= low and values.max() <= high
    for bound, reached in ((low, values.min()), (high, values.max())):
        if abs(bound - mean) < 2 * sigma:  # a bound within reach of the samples is reached
            assert abs(reached - bound) < 0.01 * (high - low)
    want_mean, want_std = truncated_moments(mean, sigma, low, high)
    assert abs(values.mean() - want_mean) < 0.02 * want_std
    assert abs(values.std() - want_std) < 0.03 * want_std


def test_truncated_normal_default_is_a_narrow_normal():
    assert_normal(draw("truncatednormal"), 0.01)


def test_constants():
    assert initializer("zeros", (2, 2)).asnumpy().tolist() == [[0, 0], [0, 0]]
    assert initializer(One(), (2, 3)).asnumpy().tolist() == [[1, 1, 1], [1, 1, 1]]
    assert initializer(Zero(), 2).asnumpy().tolist() == [0, 0]
    assert initializer(Constant(3), [2, 3]).asnumpy().tolist() == [[3, 3, 3], [3, 3, 3]]
    assert initializer(2.5, (2,)).asnumpy().tolist() == [2.5, 2.5]
    ints = initializer(2, (2,), ms.int32)
    assert ints.dtype == ms.int32 and ints.asnumpy().tolist() == [2, 2]
    assert initializer(2.7, (2,), ms.int32).asnumpy().tolist() == [2, 2]  # toward zero
    assert initializer(-2.7, (2,), ms.int32).asnumpy().tolist() == [-2, -2]
    assert initializer(1, (2,), ms.bool_).asnumpy().tolist() == [True, True]


def test_initializer_fills_a_numpy_array_in_place():
    arr = np.zeros((2,), np.float32)
    assert One()(arr) is None
    assert arr.tolist() == [1.0, 1.0]


# --- initializer(...) arguments --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, cls", [
    ("zeros", Zero), ("zero", Zero), ("ones", One), ("one", One), ("normal", Normal), ("uniform", Uniform),
    ("truncatednormal", TruncatedNormal), ("he_uniform", HeUniform), ("heuniform", HeUniform),
    ("he_normal", HeNormal), ("henormal", HeNormal), ("xavier_uniform", XavierUniform),
    ("xavieruniform", XavierUniform), ("xavier_normal", XavierNormal), ("xaviernormal", XavierNormal)])
def test_string_names(name, cls):
    # each MindSpore alias gives its class's default draw: compare the spread with the class instance's
    by_name, by_class = draw(name, (200, 300)), draw(cls(), (200, 300))
    assert by_name.std() == pytest.approx(by_class.std(), rel=0.03, abs=1e-12)
    assert np.abs(by_name).max() == pytest.approx(np.abs(by_class).max(), rel=0.4, abs=1e-12)
    upper = draw(name.upper(), (200, 300))  # names are case-insensitive
    assert upper.std() == pytest.approx(by_class.std(), rel=0.03, abs=1e-12)


def test_shapes_dtypes_and_result_type():
    assert initializer("ones", 3).shape == (3,)
    assert initializer("ones", [2, 3]).shape == (2, 3)
    assert initializer("ones", (2, 3)).shape == (2, 3)
    assert initializer("ones", ()).shape == ()
    assert initializer("ones", (True, 2)).shape == (1, 2)  # a bool is an int
    assert type(initializer("ones", (2, 2))) is Tensor
    assert initializer("normal", (2, 3)).dtype == ms.float32
    assert initializer("normal", (2, 3), ms.float16).dtype == ms.float16
    assert initializer("normal", (2, 3), ms.float64).dtype == ms.float64
    uniform_ints = initializer(Uniform(5), (2000,), ms.int32).asnumpy()
    assert uniform_ints.dtype == np.int32 and uniform_ints.max() == 4 and uniform_ints.min() == -4
    param = Parameter(initializer("ones", [2]), name="w")
    assert repr(param) == "Parameter (name=w, shape=(2,), dtype=Float32, requires_grad=True)"
    assert param.asnumpy().tolist() == [1.0, 1.0]


def test_tensor_init_is_returned_as_is():
    tensor = Tensor(np.ones((2, 3), np.float32))
    assert initializer(tensor, (2, 3)) is tensor
    assert initializer(tensor, [2, 3]) is tensor


# --- string and object inits passed to layers ------------------------------------------------------------------

def test_layer_string_inits():
    def dense(weight_init, bias_init="zeros"):
        return nn.Dense(200, 300, weight_init=weight_init, bias_init=bias_init)

    assert not dense("zeros").weight.asnumpy().any()
    assert (dense("ones", "ones").bias.asnumpy() == 1).all()
    assert_normal(dense("normal").weight.asnumpy(), 0.01)
    assert_uniform(dense("uniform").weight.asnumpy(), 0.07)
    assert_uniform(dense("he_uniform").weight.asnumpy(), math.sqrt(6 / 200))
    assert_normal(dense("he_normal").weight.asnumpy(), math.sqrt(2 / 200))
    assert_uniform(dense("xavier_uniform").weight.asnumpy(), math.sqrt(6 / 500))
    assert_normal(dense("xavier_normal").weight.asnumpy(), math.sqrt(2 / 500))
    assert_normal(dense(Normal(0.02)).weight.asnumpy(), 0.02)
    assert dense("zeros", 0.5).bias.asnumpy().tolist() == [0.5] * 300
    conv = nn.Conv2d(64, 64, 3, weight_init="he_normal")
    assert_normal(conv.weight.asnumpy(), math.sqrt(2 / (64 * 9)))  # fan_in = in_channels * kh * kw
    assert_uniform(nn.Conv2d(64, 64, 3, weight_init="XAVIER_UNIFORM").weight.asnumpy(),
                   math.sqrt(6 / (2 * 64 * 9)))
    bn = nn.BatchNorm2d(3, gamma_init="zeros", beta_init=0.5, moving_var_init=2.0)
    assert (bn.gamma.asnumpy().tolist(), bn.beta.asnumpy().tolist(), bn.moving_variance.asnumpy().tolist()) == (
        [0, 0, 0], [0.5] * 3, [2.0] * 3)


# --- set_seed --------------------------------------------------------------------------------------------------

def test_set_seed_makes_initial_weights_reproducible():
    def weights(seed):
        ms.set_seed(seed)
        return [nn.Dense(5, 4).weight.asnumpy(), nn.Conv2d(2, 3, 3).weight.asnumpy(),
                initializer("normal", (4, 4)).asnumpy(), initializer(TruncatedNormal(1.0), (4, 4)).asnumpy()]

    first, again, other = weights(7), weights(7), weights(8)
    for a, b, c in zip(first, again, other):
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
    assert not np.array_equal(first[2], first[3])


# --- errors ----------------------------------------------------------------------------------------------------

def test_errors():
    with pytest.raises(ValueError, match="For 'initializer', the class corresponding to 'foo' was not found."):
        initializer("foo", (2, 3))
    with pytest.raises(ValueError, match="the class corresponding to 'constant' was not found"):
        initializer("constant", (2,))
    with pytest.raises(ValueError, match="the class corresponding to 'foo' was not found"):
        nn.Dense(2, 3, weight_init="foo")
    with pytest.raises(ValueError, match="the class corresponding to 'foo' was not found"):
        nn.Conv2d(2, 3, 3, weight_init="foo")
    for bad in ([1, 2], None, np.ones(2)):
        with pytest.raises(TypeError, match="For 'initializer', the type of the 'init' argument should be 'Tensor', "
                                            "'number', 'string' or 'initializer', but got"):
            initializer(bad, (2,))
    for shape in ((2, 0), (-1, 2), (2.0, 2), "ab"):
        with pytest.raises(ValueError, match="For 'initializer', the argument 'shape' is invalid, the value of "
                                             "'shape' must be positive integer"):
            initializer("ones", shape)
    with pytest.raises(AttributeError, match="'One' object has no attribute 'shape'"):
        initializer("ones")
    with pytest.raises(ValueError, match=r"For 'initializer', the shape of the 'init' argument should be same as the "
                                         r"argument 'shape', but got the 'init' shape \[2, 3\] and the 'shape' "
                                         r"\(3, 2\)."):
        initializer(Tensor(np.ones((2, 3), np.float32)), (3, 2))
    for init in ("he_uniform", "xavier_uniform", "he_normal", "xavier_normal"):
        with pytest.raises(ValueError, match="'fan_in' and 'fan_out' can not be computed for tensor with fewer than 2 "
                                             "dimensions, but got dimensions 1."):
            initializer(init, (5,)).asnumpy()
    with pytest.raises(ValueError, match=r"'mode' fan_avg not supported, please use one of \['fan_in', 'fan_out'\]"):
        initializer(HeUniform(mode="fan_avg"), (5, 3)).asnumpy()
    with pytest.raises(ValueError, match="For 'HeUniform', the argument 'nonlinearity' should be one of"):
        initializer(HeUniform(nonlinearity="selu"), (5, 3)).asnumpy()
    with pytest.raises(ValueError, match="For 'HeUniform', 'negative_slope' a is not a valid number."):
        initializer(HeUniform(negative_slope="a"), (5, 3)).asnumpy()
    for init in (Normal(-1.0), TruncatedNormal(-1.0)):
        with pytest.raises(ValueError, match="sigma < 0"):
            initializer(init, (5, 3)).asnumpy()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'value'"):
        Constant()
    with pytest.raises(NotImplementedError, match="Must be overridden!"):
        initializer(Initializer(), (2,)).asnumpy()
