"""``mindspore.nn.learning_rate_schedule``: the base class of dynamic learning rates."""
from msjax._src.learning_rate import LearningRateSchedule  # noqa: F401
