"""``mindspore.nn.optim``."""
