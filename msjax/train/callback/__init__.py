"""``mindspore.train.callback``."""
from msjax._src.callbacks import (Callback, CheckpointConfig, EarlyStopping, History, LambdaCallback,
                                  LearningRateScheduler, LossMonitor, ModelCheckpoint, RunContext, TimeMonitor)

__all__ = ["Callback", "CheckpointConfig", "EarlyStopping", "History", "LambdaCallback", "LearningRateScheduler",
           "LossMonitor", "ModelCheckpoint", "RunContext", "TimeMonitor"]
