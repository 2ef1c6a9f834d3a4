"""mindspore.common.initializer (MindSpore 2.10): shapes, dtypes, bounds and spreads of every initializer, fan
computations, string names, Constant/number inits, argument errors, layer defaults, and set_seed reproducibility.
Values are random, so only deterministic facts are printed."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor, Parameter
from mindspore.common.initializer import (initializer, Initializer, Normal, Uniform, HeUniform, HeNormal,
                                          XavierUniform, XavierNormal, TruncatedNormal, Zero, One, Constant)
from _probe import case

BIG = (200, 300)


def facts(t, bound=None, std=None, mean=0.0):
    """shape, dtype, and whether values lie within ``bound`` and have roughly the given std and mean."""
    a = t.asnumpy().astype(np.float64)
    out = [t.shape, str(t.dtype)]
    if bound is not None:
        out.append(bool(np.abs(a).max() <= bound * (1 + 1e-3)) and bool(np.abs(a).max() > 0.9 * bound))
    if std is not None:
        out.append(bool(abs(a.std() - std) < 0.05 * std) and bool(abs(a.mean() - mean) < 0.05 * std + 1e-3))
    return tuple(out)


# fan_in = shape[1] * receptive field, fan_out = shape[0] * receptive field
case("normal", lambda: facts(initializer("normal", BIG), std=0.01))
case("Normal(0.5, 2)", lambda: facts(initializer(Normal(0.5, 2.0), BIG), std=0.5, mean=2.0))
case("uniform", lambda: facts(initializer("uniform", BIG), bound=0.07, std=0.07 / np.sqrt(3)))
case("Uniform(2)", lambda: facts(initializer(Uniform(2), BIG), bound=2, std=2 / np.sqrt(3)))
for shape in [(200, 300), (64, 30, 3, 5), (50, 40, 6)]:
    receptive = int(np.prod(shape[2:]))
    fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
    case(f"he_uniform {shape}", lambda: facts(initializer("he_uniform", shape), bound=np.sqrt(6 / fan_in)))
    case(f"HeUniform sqrt5 {shape}", lambda: facts(initializer(HeUniform(np.sqrt(5)), shape),
                                                   bound=1 / np.sqrt(fan_in)))
    case(f"HeUniform fan_out relu {shape}", lambda: facts(
        initializer(HeUniform(mode="fan_out", nonlinearity="relu"), shape), bound=np.sqrt(6 / fan_out)))
    case(f"he_normal {shape}", lambda: facts(initializer("he_normal", shape), std=np.sqrt(2 / fan_in)))
    case(f"HeNormal tanh fan_out {shape}", lambda: facts(
        initializer(HeNormal(mode="fan_out", nonlinearity="tanh"), shape), std=5 / 3 / np.sqrt(fan_out)))
    case(f"xavier_uniform {shape}", lambda: facts(initializer("xavier_uniform", shape),
                                                  bound=np.sqrt(6 / (fan_in + fan_out))))
    case(f"XavierUniform(2) {shape}", lambda: facts(initializer(XavierUniform(2), shape),
                                                    bound=2 * np.sqrt(6 / (fan_in + fan_out))))
    case(f"xavier_normal {shape}", lambda: facts(initializer("xavier_normal", shape),
                                                 std=np.sqrt(2 / (fan_in + fan_out))))
case("HeUniform leaky 0.2", lambda: facts(initializer(HeUniform(0.2), BIG), bound=np.sqrt(6 / (1.04 * 300))))
case("HeUniform sigmoid", lambda: facts(initializer(HeUniform(nonlinearity="sigmoid"), BIG), bound=np.sqrt(3 / 300)))
case("HeUniform linear", lambda: facts(initializer(HeUniform(nonlinearity="linear"), BIG), bound=np.sqrt(3 / 300)))
case("truncatednormal", lambda: facts(initializer("truncatednormal", BIG), std=0.01))
case("TruncatedNormal(0.5) bounds", lambda: facts(initializer(TruncatedNormal(0.5), BIG), bound=2.0))
case("TruncatedNormal(1, 0, -1, 1)", lambda: facts(initializer(TruncatedNormal(1.0, 0.0, -1.0, 1.0), BIG),
                                                   bound=1.0, std=0.5396))
case("zeros", lambda: initializer("zeros", (2, 3)).asnumpy())
case("Zero", lambda: initializer(Zero(), [2]).asnumpy())
case("ones int32", lambda: initializer("ones", (2, 3), ms.int32).asnumpy())
case("One float16", lambda: initializer(One(), 3, ms.float16).asnumpy())
case("number", lambda: initializer(3, (2, 2)).asnumpy())
case("float number int32", lambda: initializer(2.5, (2,), ms.int32).asnumpy())
case("bool number", lambda: initializer(True, [2]).asnumpy())
case("Constant", lambda: initializer(Constant(7), [2]).asnumpy())
case("normal float64", lambda: facts(initializer("normal", BIG, ms.float64), std=0.01))
case("he_uniform float16", lambda: facts(initializer("he_uniform", BIG, ms.float16), bound=np.sqrt(6 / 300)))
case("tensor init", lambda: initializer(Tensor(np.ones((2, 3), np.float32)), (2, 3)))
for name in ["zeros", "zero", "ones", "one", "normal", "Normal", "uniform", "he_uniform", "heuniform", "he_normal",
             "henormal", "xavier_uniform", "xavieruniform", "xavier_normal", "xaviernormal", "truncatednormal",
             "constant", "truncated_normal", "foo"]:
    case(f"string {name}", lambda: facts(initializer(name, (20, 30))))
case("he_uniform 1-d", lambda: initializer("he_uniform", [5]).asnumpy())
case("xavier_uniform 1-d", lambda: initializer("xavier_uniform", [5]).asnumpy())
case("HeUniform bad mode", lambda: initializer(HeUniform(mode="foo"), [5, 5]).asnumpy())
case("HeUniform bad nonlinearity", lambda: initializer(HeUniform(nonlinearity="foo"), [5, 5]).asnumpy())
case("shape with 0", lambda: initializer("ones", (2, 0)))
case("shape negative", lambda: initializer("ones", (2, -1)))
case("shape int", lambda: initializer("ones", 3).asnumpy())
case("init list", lambda: initializer([1, 2], (2,)))
case("tensor init wrong shape", lambda: initializer(Tensor(np.ones((2, 3), np.float32)), (3, 3)))
print("attributes", Normal().sigma, Normal().mean, Uniform().scale, HeUniform().negative_slope, HeUniform().mode,
      HeUniform().nonlinearity, XavierUniform().gain, TruncatedNormal().a, TruncatedNormal().b, Constant(4).value)
print("is Initializer", isinstance(Normal(), Initializer), isinstance(Constant(1), Initializer))
arr = np.zeros((3, 4), np.float32)
print("call fills in place", One()(arr), arr.tolist())
arr = np.zeros((300, 400), np.float32)
Normal(1.0)(arr)
print("call normal", bool(abs(arr.std() - 1) < 0.05))
p = Parameter(initializer(Normal(0.02), [3, 4]), name="w")
print("parameter", p, bool(np.abs(p.asnumpy()).max() < 0.2))
print("tensor with init", Tensor(shape=(2, 2), dtype=ms.float32, init=One()).asnumpy().tolist())

# --- layer defaults: HeUniform(sqrt(5)) weights (bound 1/sqrt(fan_in)), Uniform(1/sqrt(fan_in)) biases -----------
dense = nn.Dense(300, 200)
case("Dense weight", lambda: facts(dense.weight, bound=1 / np.sqrt(300)))
case("Dense bias", lambda: facts(dense.bias, bound=1 / np.sqrt(300)))
conv = nn.Conv2d(30, 64, (3, 5), has_bias=True)
case("Conv2d weight", lambda: facts(conv.weight, bound=1 / np.sqrt(30 * 15)))
case("Conv2d bias", lambda: facts(conv.bias, bound=1 / np.sqrt(30 * 15)))
case("Dense normal init", lambda: facts(nn.Dense(300, 200, weight_init=Normal(0.02)).weight, std=0.02))

# --- set_seed ------------------------------------------------------------------------------------------------------
ms.set_seed(42)
first = [initializer("normal", (3, 4)).asnumpy(), nn.Dense(3, 4).weight.asnumpy(), nn.Conv2d(2, 2, 3).weight.asnumpy()]
ms.set_seed(42)
second = [initializer("normal", (3, 4)).asnumpy(), nn.Dense(3, 4).weight.asnumpy(), nn.Conv2d(2, 2, 3).weight.asnumpy()]
print("set_seed reproducible", [bool((a == b).all()) for a, b in zip(first, second)])
third = [initializer("normal", (3, 4)).asnumpy()]
print("later draws differ", bool((third[0] != first[0]).any()))
