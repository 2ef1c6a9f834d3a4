# A small Transformer-encoder sequence classifier (nn.Embedding + a sinusoidal positional term + a 2-layer
# batch-first nn.TransformerEncoder + masked mean pooling + nn.Dense), trained with the MindSpore 2.x functional loop
# (value_and_grad + Momentum) on generated data: sequences of 4 to 8 tokens, padded with token 0 (masked out through
# src_key_padding_mask), labelled with the token among 1, 2 and 3 they hold most often. Weights are set from numpy's
# RandomState and dropout is 0, so MindSpore and msjax compute the same numbers step for step.
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor

VOCAB, SEQ, D_MODEL, CLASSES = 12, 8, 16, 3


def make_data(count, seed):
    rng = np.random.RandomState(seed)
    tokens = np.zeros((count, SEQ), np.int32)
    labels = np.zeros(count, np.int32)
    for i in range(count):
        length = rng.randint(4, SEQ + 1)
        row = rng.randint(1, VOCAB, length)
        counts = [(row == token).sum() for token in (1, 2, 3)]
        while counts.count(max(counts)) > 1:  # one clear majority among tokens 1, 2, 3
            row[rng.randint(length)] = rng.randint(1, 4)
            counts = [(row == token).sum() for token in (1, 2, 3)]
        tokens[i, :length] = row
        labels[i] = int(np.argmax(counts))
    return tokens, labels


def positional_term():
    position = np.arange(SEQ)[:, None]
    rate = np.exp(np.arange(0, D_MODEL, 2) * (-np.log(10000.0) / D_MODEL))
    table = np.zeros((SEQ, D_MODEL), np.float32)
    table[:, 0::2] = np.sin(position * rate)
    table[:, 1::2] = np.cos(position * rate)
    return Tensor(table)


class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, D_MODEL)
        self.position = positional_term()
        layer = nn.TransformerEncoderLayer(D_MODEL, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Dense(D_MODEL, CLASSES)

    def construct(self, tokens):
        padding = tokens == 0
        x = self.embedding(tokens) + self.position
        x = self.encoder(x, src_key_padding_mask=padding)
        keep = ops.expand_dims(ops.logical_not(padding).astype(ms.float32), -1)
        pooled = (x * keep).sum(1) / keep.sum(1)
        return self.head(pooled)


def classifier_with_fixed_weights():
    net = Classifier()
    rng = np.random.RandomState(0)
    for param in net.trainable_params():  # uniform in +-1/sqrt(fan_in); biases zero; LayerNorm keeps ones and zeros
        if param.name.endswith("bias"):
            param.set_data(Tensor(np.zeros(param.shape, np.float32)))
        elif not param.name.endswith(("gamma", "beta")):
            bound = 1 / np.sqrt(param.shape[-1])
            param.set_data(Tensor(rng.uniform(-bound, bound, param.shape).astype(np.float32)))
    return net


train_tokens, train_labels = make_data(128, seed=1)
test_tokens, test_labels = make_data(64, seed=2)
net = classifier_with_fixed_weights()
print("parameters:", len(net.trainable_params()), [p.name for p in net.trainable_params()][:6])
loss_fn = nn.CrossEntropyLoss()
optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.05, momentum=0.9)


def forward_fn(data, label):
    logits = net(data)
    return loss_fn(logits, label), logits


grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)


def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    optimizer(grads)
    return loss


net.set_train()
step = 0
for epoch in range(4):
    for start in range(0, len(train_tokens), 32):
        step += 1
        loss = train_step(Tensor(train_tokens[start:start + 32]), Tensor(train_labels[start:start + 32]))
        print(f"epoch {epoch + 1} step {step}: loss {float(loss.asnumpy()):.6f}")
net.set_train(False)
predicted = net(Tensor(test_tokens)).argmax(1).asnumpy()
print("test accuracy:", float((predicted == test_labels).mean()))
print("head.bias:", net.head.bias.asnumpy())
