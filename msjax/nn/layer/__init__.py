"""``mindspore.nn.layer``."""
from msjax._src.layers_basic import Dense, Flatten, Dropout  # noqa: F401
from msjax._src.layers_activation import ReLU, ReLU6, Sigmoid, Tanh, Softmax, LogSoftmax, get_activation  # noqa: F401
from msjax._src.layers_conv import Conv2d  # noqa: F401
from msjax._src.layers_pooling import MaxPool2d, AvgPool2d  # noqa: F401
from msjax._src.layers_normalization import BatchNorm1d, BatchNorm2d  # noqa: F401
from msjax._src.layers_normalization import LayerNorm  # noqa: F401
from msjax._src.layers_normalization import GroupNorm  # noqa: F401
from msjax._src.layers_basic import Identity, Unflatten, Embedding  # noqa: F401
from msjax._src.layers_activation import GELU, SiLU, LeakyReLU  # noqa: F401
from msjax._src.layers_conv import Conv1d, Conv2dTranspose  # noqa: F401
from msjax._src.layers_pooling import AdaptiveAvgPool2d  # noqa: F401
from msjax._src.containers import CellDict  # noqa: F401
from msjax._src.containers import SequentialCell, CellList  # noqa: F401
from msjax._src.layers_recurrent import RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell  # noqa: F401
from msjax._src.layers_transformer import MultiheadAttention, TransformerEncoderLayer, TransformerEncoder  # noqa: F401
from msjax._src.layers_transformer import TransformerDecoderLayer, TransformerDecoder, Transformer  # noqa: F401
