"""``mindspore.nn.layer``."""
