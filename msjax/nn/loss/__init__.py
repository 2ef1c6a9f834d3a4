"""``mindspore.nn.loss``."""
