"""``mindspore.train.serialization``: checkpoints."""
