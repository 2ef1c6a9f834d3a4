"""``mindspore.ops.operations`` (usually imported as ``P``): the Primitive op classes."""
from msjax._src.primitive import Primitive  # noqa: F401
from msjax._src.math_ops import (  # noqa: F401
    Sin, Cos, Tan, Exp, Log, Log1p, Expm1, Tanh, Sigmoid, Erf, Asin, Acos, Atan, Sinh, Cosh, Softplus, Sqrt, Rsqrt,
    Reciprocal, Floor, Ceil, Round, Neg, Abs, Square, Sign, ReLU, IsNan, IsInf, IsFinite, LogicalNot, Add, Sub, Mul,
    RealDiv, Div, DivMod, FloorDiv, FloorMod, Pow, Atan2, Maximum, Minimum, Equal, NotEqual, Greater, GreaterEqual,
    Less, LessEqual, LogicalAnd, LogicalOr, BitwiseAnd, BitwiseOr, BitwiseXor, MatMul, BatchMatMul, MatMulExt,
    ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceAll, ReduceAny, SumExt, ProdExt, Cast, AddN,
)
from msjax._src.array_ops import (  # noqa: F401
    Reshape, Transpose, ExpandDims, Squeeze, Concat, Stack, Split, Tile, BroadcastTo, Flatten, OnesLike, ZerosLike,
    Fill, Shape, Rank, Size, Select, Identity, Argmax, Argmin, ArgMaxWithValue, ArgMinWithValue, OneHot, Gather,
    Assign, Depend, Print, StopGradient,
)
from msjax._src.nn_ops import Softmax, LogSoftmax, ReLU6  # noqa: F401
from msjax._src.hooks import HookBackward  # noqa: F401
from msjax._src.custom_op import Custom  # noqa: F401
from msjax._src.nn_ops import (  # noqa: F401,E402
    Conv2D, BiasAdd, MaxPool, AvgPool, MaxPoolWithArgmaxV2, MaxPool3DWithArgmax, AvgPool3D, BatchNorm, Dropout,
)
from msjax._src.nn_ops import (  # noqa: F401,E402
    LayerNorm, GeLU, Conv2DBackpropInput, Conv2DTranspose, AdaptiveAvgPool2D,
)
from msjax._src.loss_ops import (  # noqa: F401,E402
    SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits, BCEWithLogitsLoss, SmoothL1Loss,
    BinaryCrossEntropy, KLDivLoss,
)
