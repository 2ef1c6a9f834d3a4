"""``mindspore.train.callback``."""
