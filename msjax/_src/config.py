"""JAX settings msjax needs, applied once when msjax is imported (before any array exists).

* x64: MindSpore's Int64 and Float64 dtypes are visible everywhere (``Tensor(1)`` is Int64), and JAX would
  silently narrow them without it. Result dtypes never come from jnp's x64 promotion (see ``dtype.py``).
* full float32 matmul/conv precision: MindSpore computes float32 in float32; JAX would use TF32 on NVIDIA GPUs.

These are process-wide JAX settings: other JAX code in the same process sees them too.
"""
import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_default_matmul_precision", "float32")
