"""``mindspore.train.callback``."""
from msjax._src.callbacks import (Callback, CheckpointConfig, History, LambdaCallback, LossMonitor, ModelCheckpoint,
                                  RunContext, TimeMonitor)

__all__ = ["Callback", "CheckpointConfig", "History", "LambdaCallback", "LossMonitor", "ModelCheckpoint",
           "RunContext", "TimeMonitor"]
