"""``mindspore.train.metrics``."""
