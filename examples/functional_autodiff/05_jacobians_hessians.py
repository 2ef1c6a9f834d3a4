# The MindSpore 2.x tutorial "Computing Jacobian and Hessian Matrices Using Functional Transformations"
# (tutorials/experts/source_en/func_programming/Jacobians_Hessians.md): a Jacobian row by row with vjp, then
# jacrev (grad_position=2 and (0, 1)), Hessians from every jacfwd/jacrev combination, batch Jacobians and
# Hessians with vmap, and Hessian-vector products by forward-over-reverse (jvp of grad) and reverse-over-reverse
# (vjp of grad).
# Changes from the tutorial: small fixed tensors instead of ops.randn (so outputs are reproducible), values printed
# beside the shapes, and no timing section; ops.dense(x, weight, bias) is written as (weight * x).sum(1) + bias and
# ops.eye as a numpy identity, because msjax has no ops.dense / ops.eye yet. (ops.matmul(weight, x) + bias would not
# do: MindSpore 2.10's jacrev of tanh(matmul(...)) with a 1-D x fails with "Rank of x(3) and dout(2) not equal,
# primitive name: TanhGrad".)
from mindspore import ops, Tensor
from mindspore import jacrev, jacfwd, vmap, vjp, jvp, grad
import numpy as np


def forecast(weight, bias, x):
    return ((weight * x).sum(1) + bias).tanh()


D = 4
weight = Tensor(np.array([[0.3, -0.2, 0.1, 0.4], [-0.5, 0.2, 0.3, 0.1], [0.2, 0.4, -0.3, 0.2],
                          [0.1, -0.1, 0.2, -0.4]], np.float32))
bias = Tensor(np.array([0.1, -0.2, 0.05, 0.3], np.float32))
x = Tensor(np.array([0.5, -1.0, 1.5, 0.8], np.float32))


def partial_forecast(x):
    return ((weight * x).sum(1) + bias).tanh()


_, vjp_fn = vjp(partial_forecast, x)


def compute_jac_matrix(unit_vectors):
    jacobian_rows = [vjp_fn(vec)[0] for vec in unit_vectors]
    return ops.stack(jacobian_rows)


unit_vectors = Tensor(np.eye(D, dtype=np.float32))
jacobian = compute_jac_matrix(unit_vectors)
print(jacobian.shape)
print(jacobian[0])

jacrev_jacobian = jacrev(forecast, grad_position=2)(weight, bias, x)
assert np.allclose(jacrev_jacobian.asnumpy(), jacobian.asnumpy())
print(jacrev_jacobian)

jacrev_weight, jacrev_bias = jacrev(forecast, grad_position=(0, 1))(weight, bias, x)
print(jacrev_weight.shape)
print(jacrev_bias.shape)
print(jacrev_weight[1])
print(jacrev_bias)

# jacfwd and jacrev agree.
jacfwd_jacobian = jacfwd(forecast, grad_position=2)(weight, bias, x)
print(np.allclose(jacfwd_jacobian.asnumpy(), jacrev_jacobian.asnumpy()))

# Computing the Hessian Matrix
Din = 3
Dout = 2
weight = Tensor(np.array([[0.4, -0.3, 0.2], [0.1, 0.5, -0.2]], np.float32))
bias = Tensor(np.array([0.2, -0.1], np.float32))
x = Tensor(np.array([0.7, -0.4, 1.1], np.float32))

hess1 = jacfwd(jacfwd(forecast, grad_position=2), grad_position=2)(weight, bias, x)
hess2 = jacfwd(jacrev(forecast, grad_position=2), grad_position=2)(weight, bias, x)
hess3 = jacrev(jacfwd(forecast, grad_position=2), grad_position=2)(weight, bias, x)
hess4 = jacrev(jacrev(forecast, grad_position=2), grad_position=2)(weight, bias, x)

print(np.allclose(hess1.asnumpy(), hess2.asnumpy()))
print(np.allclose(hess2.asnumpy(), hess3.asnumpy()))
print(np.allclose(hess3.asnumpy(), hess4.asnumpy()))
print(hess1.shape)
print(hess1)

# Computing the Batch Jacobian Matrix and the Batch Hessian Matrix
batch_size = 3
x = Tensor(np.array([[0.7, -0.4, 1.1], [0.0, 0.3, -0.6], [-1.0, 0.8, 0.2]], np.float32))

compute_batch_jacobian = vmap(jacrev(forecast, grad_position=2), in_axes=(None, None, 0))
batch_jacobian = compute_batch_jacobian(weight, bias, x)
print(batch_jacobian.shape)
print(batch_jacobian)

hessian = jacrev(jacrev(forecast, grad_position=2), grad_position=2)
compute_batch_hessian = vmap(hessian, in_axes=(None, None, 0))
batch_hessian = compute_batch_hessian(weight, bias, x)
print(batch_hessian.shape)
print(batch_hessian[2])


# Computing the Hessian-vector Product
def hvp_revfwd(f, inputs, vector):
    return jvp(grad(f), inputs, vector)[1]


def f(x):
    return x.sin().sum()


inputs = Tensor(np.linspace(-2.0, 2.0, 8, dtype=np.float32))
vector = Tensor(np.linspace(1.0, 0.3, 8, dtype=np.float32))

result_hvp_revfwd = hvp_revfwd(f, inputs, vector)
print(result_hvp_revfwd.shape)
print(result_hvp_revfwd)


def hvp_revrev(f, inputs, vector):
    _, vjp_fn = vjp(grad(f), *inputs)
    return vjp_fn(*vector)


result_hvp_revrev = hvp_revrev(f, (inputs,), (vector,))
print(result_hvp_revrev[0].shape)

assert np.allclose(result_hvp_revfwd.asnumpy(), result_hvp_revrev[0].asnumpy())
# The Hessian of sum(sin(x)) is diag(-sin(x)).
print(np.allclose(result_hvp_revfwd.asnumpy(), -np.sin(inputs.asnumpy()) * vector.asnumpy(), atol=1e-6))
