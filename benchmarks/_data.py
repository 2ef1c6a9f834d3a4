"""Inputs and initial weights shared by both sides of every workload (numpy only), so both compute the same."""
import numpy as np


def weights(shapes, seed=0):
    """Uniform in +-1/sqrt(fan_in) for weights (fan_in: all but the first axis), zeros for 1-d biases."""
    rng = np.random.RandomState(seed)
    out = []
    for shape in shapes:
        if len(shape) == 1:
            out.append(np.zeros(shape, np.float32))
        else:
            bound = 1 / np.sqrt(np.prod(shape[1:]))
            out.append(rng.uniform(-bound, bound, shape).astype(np.float32))
    return out


def normal(shape, seed=1):
    return np.random.RandomState(seed).standard_normal(shape).astype(np.float32)


def labels(batch, classes=10, seed=2):
    return np.random.RandomState(seed).randint(0, classes, batch).astype(np.int32)


TUTORIAL_X = np.array([1.0, 2.0, 5.0], np.float32)  # the tutorial's input
MATMUL_N = 256
MLP_SHAPES = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]  # nn.Dense layout: (out, in)
MLP_BATCH = 128
LENET_SHAPES = [(6, 1, 5, 5), (16, 6, 5, 5), (120, 400), (120,), (84, 120), (84,), (10, 84), (10,)]  # Conv2d: no bias
LENET_BATCH = 32
LR, MOMENTUM = 0.01, 0.9
