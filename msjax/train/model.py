"""``mindspore.train.model``."""
