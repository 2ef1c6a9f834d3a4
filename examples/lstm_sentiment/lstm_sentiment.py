# Sentiment classification with an LSTM, in the spirit of MindSpore's RNN sentiment-analysis tutorial (IMDB with
# GloVe embeddings): Embedding (padding_idx) -> 2-layer bidirectional LSTM (batch_first) -> the last layer's final
# forward and backward hidden states -> Dense -> BCEWithLogitsLoss, trained with Adam through value_and_grad, then
# evaluated with the tutorial's binary accuracy. Instead of IMDB, the reviews are generated token sequences (seeded
# numpy, no downloads): words 1-5 are "positive", 6-10 "negative", 11-19 neutral, 0 pads; a review is positive when
# it has more positive than negative words. Every weight is set from numpy's RandomState (dropout 0), so MindSpore
# and msjax compute the same numbers step for step.
import math

import numpy as np
import mindspore as ms
from mindspore import nn, ops
from mindspore.common.initializer import HeUniform, Uniform

VOCAB, PAD, SEQ_LEN, BATCH = 20, 0, 12, 16


def make_reviews(count, seed):
    rng = np.random.RandomState(seed)
    tokens = rng.randint(1, VOCAB, size=(count, SEQ_LEN))
    lengths = rng.randint(6, SEQ_LEN + 1, size=count)
    tokens[np.arange(SEQ_LEN)[None, :] >= lengths[:, None]] = PAD  # shorter reviews are padded at the end
    positive = ((tokens >= 1) & (tokens <= 5)).sum(1)
    negative = ((tokens >= 6) & (tokens <= 10)).sum(1)
    labels = (positive > negative).astype(np.float32)[:, None]
    return tokens.astype(np.int32), labels


class RNN(nn.Cell):
    def __init__(self, embeddings, hidden_dim, output_dim, n_layers, bidirectional, pad_idx):
        super().__init__()
        vocab_size, embedding_dim = embeddings.shape
        self.embedding = nn.Embedding(vocab_size, embedding_dim, embedding_table=ms.Tensor(embeddings),
                                      padding_idx=pad_idx)
        self.rnn = nn.LSTM(embedding_dim, hidden_dim, num_layers=n_layers, bidirectional=bidirectional,
                           batch_first=True)
        weight_init = HeUniform(math.sqrt(5))
        bias_init = Uniform(1 / math.sqrt(hidden_dim * 2))
        self.fc = nn.Dense(hidden_dim * 2, output_dim, weight_init=weight_init, bias_init=bias_init)

    def construct(self, inputs):
        embedded = self.embedding(inputs)
        _, (hidden, _) = self.rnn(embedded)
        hidden = ops.concat((hidden[-2, :, :], hidden[-1, :, :]), axis=1)
        return self.fc(hidden)


rng = np.random.RandomState(0)
embeddings = rng.normal(0, 0.5, (VOCAB, 8)).astype(np.float32)
model = RNN(embeddings, hidden_dim=8, output_dim=1, n_layers=2, bidirectional=True, pad_idx=PAD)
for param in model.trainable_params():  # the embedding keeps its table; everything else from the same RandomState
    if param.name != "embedding.embedding_table":
        bound = 1 / math.sqrt(param.shape[-1])
        param.set_data(ms.Tensor(rng.uniform(-bound, bound, param.shape).astype(np.float32)))
print([(p.name, p.shape) for p in model.trainable_params()])

loss_fn = nn.BCEWithLogitsLoss(reduction="mean")
optimizer = nn.Adam(model.trainable_params(), learning_rate=0.05)


def forward_fn(data, label):
    logits = model(data)
    return loss_fn(logits, label)


grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters)


def train_step(data, label):
    loss, grads = grad_fn(data, label)
    optimizer(grads)
    return loss


def binary_accuracy(preds, y):
    rounded_preds = np.around(ops.sigmoid(preds).asnumpy())
    correct = (rounded_preds == y).astype(np.float32)
    return correct.sum() / len(correct)


train_tokens, train_labels = make_reviews(64, seed=1)
test_tokens, test_labels = make_reviews(64, seed=2)
print("positive reviews: train", int(train_labels.sum()), "test", int(test_labels.sum()))

model.set_train()
for epoch in range(5):
    for step in range(len(train_tokens) // BATCH):
        batch = slice(step * BATCH, (step + 1) * BATCH)
        loss = train_step(ms.Tensor(train_tokens[batch]), ms.Tensor(train_labels[batch]))
        print(f"epoch: {epoch + 1} step: {step + 1}, loss is {float(loss.asnumpy()):.6f}")

model.set_train(False)
predictions = model(ms.Tensor(test_tokens))
print("test loss:", float(loss_fn(predictions, ms.Tensor(test_labels)).asnumpy()))
print("test accuracy:", float(binary_accuracy(predictions, test_labels)))
print("fc.bias:", model.fc.bias.asnumpy())
