# The MindSpore 2.x tutorial "Per-sample-gradients" (tutorials/experts/source_en/func_programming/
# per_sample_gradients.md): the TD(0) pseudo-loss with ops.stop_gradient on the target, its gradient with grad,
# and per-sample gradients with vmap (batched theta, then in_axes=(None, 0, 0, 0)).
# Changes from the tutorial: ops.tensor_dot(theta, state, axes=1) is written as (theta * state).sum() because msjax
# has no ops.tensor_dot yet, and the last step (the same vmap under mindspore.jit) is left out because msjax has
# no jit yet. As in the tutorial, td_loss reads the globals r_tp1 and s_tp1, not its own arguments.
from mindspore import ops, Tensor, vmap, grad


def value_fn(theta, state):
    return (theta * state).sum()


theta = Tensor([0.2, -0.2, 0.1])

s_t = Tensor([2., 1., -2.])
r_tp1 = Tensor(2.)
s_tp1 = Tensor([1., 2., 0.])


def td_loss(theta, s_tm1, r_t, s_t):
    v_t = value_fn(theta, s_t)
    target = r_tp1 + value_fn(theta, s_tp1)
    return (ops.stop_gradient(target) - v_t) ** 2


td_update = grad(td_loss)
delta_theta = td_update(theta, s_t, r_tp1, s_tp1)
print(delta_theta)

batched_s_t = ops.stack([s_t, s_t])
batched_r_tp1 = ops.stack([r_tp1, r_tp1])
batched_s_tp1 = ops.stack([s_tp1, s_tp1])
batched_theta = ops.stack([theta, theta])

per_sample_grads = vmap(td_update)
batch_theta = ops.stack([theta, theta])
delta_theta = per_sample_grads(batched_theta, batched_s_t, batched_r_tp1, batched_s_tp1)
print(delta_theta)

inefficiecient_per_sample_grads = vmap(td_update, in_axes=(None, 0, 0, 0))
delta_theta = inefficiecient_per_sample_grads(theta, batched_s_t, batched_r_tp1, batched_s_tp1)
print(delta_theta)

# Different samples give different gradients (the tutorial's batch repeats one sample).
# td_loss differentiates through its last argument only (the tutorial passes s_tp1 there).
batched_s_t = Tensor([[2., 1., -2.], [0., 1., 1.], [1., -1., 3.]])
batched_r_tp1 = Tensor([2., 0., -1.])
batched_s_tp1 = Tensor([[1., 2., 0.], [0., 1., 1.], [1., -1., 3.]])
print(inefficiecient_per_sample_grads(theta, batched_s_t, batched_r_tp1, batched_s_tp1))
