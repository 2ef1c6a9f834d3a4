"""``mindspore.nn.wrap``."""
