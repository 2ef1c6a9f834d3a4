# MindSpore's quick start (tutorials/source_en/beginner/quick_start.md, MindSpore 2.x): an MLP trained on MNIST with
# value_and_grad and nn.SGD, tested each epoch, saved to model.ckpt, reloaded and used for prediction.
# Changes from the tutorial, so that it runs offline and MindSpore and msjax can be compared step for step:
#  - the MNIST download is replaced by a small synthetic MNIST in the standard idx format, written by
#    examples/common/make_mnist.py into a temporary directory WORK, where model.ckpt is written too;
#  - MnistDataset(..., shuffle=False): MindSpore and msjax shuffle with different random streams;
#  - the initial weights are set from numpy's RandomState (the same distribution as Dense's default initializer),
#    since the two frameworks' random initializers draw different numbers.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from make_mnist import make_mnist  # noqa: E402

WORK = tempfile.mkdtemp(prefix="quick_start_")
make_mnist(os.path.join(WORK, "MNIST_Data/train"), train=1920, test=0)
make_mnist(os.path.join(WORK, "MNIST_Data/test"), train=0, test=320)

import mindspore  # noqa: E402
from mindspore import nn  # noqa: E402
from mindspore.dataset import vision, transforms  # noqa: E402
from mindspore.dataset import MnistDataset  # noqa: E402

train_dataset = MnistDataset(os.path.join(WORK, 'MNIST_Data/train'), shuffle=False)
test_dataset = MnistDataset(os.path.join(WORK, 'MNIST_Data/test'), shuffle=False)

print(train_dataset.get_col_names())


def datapipe(dataset, batch_size):
    image_transforms = [
        vision.Rescale(1.0 / 255.0, 0),
        vision.Normalize(mean=(0.1307,), std=(0.3081,)),
        vision.HWC2CHW()
    ]

    label_transform = transforms.TypeCast(mindspore.int32)

    dataset = dataset.map(image_transforms, 'image')
    dataset = dataset.map(label_transform, 'label')
    dataset = dataset.batch(batch_size)
    return dataset


train_dataset = datapipe(train_dataset, 64)
test_dataset = datapipe(test_dataset, 64)

for image, label in test_dataset.create_tuple_iterator():
    print(f"Shape of image [N, C, H, W]: {image.shape} {image.dtype}")
    print(f"Shape of label: {label.shape} {label.dtype}")
    break

for data in test_dataset.create_dict_iterator():
    print(f"Shape of image [N, C, H, W]: {data['image'].shape} {data['image'].dtype}")
    print(f"Shape of label: {data['label'].shape} {data['label'].dtype}")
    break


# Define model
class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28*28, 512),
            nn.ReLU(),
            nn.Dense(512, 512),
            nn.ReLU(),
            nn.Dense(512, 10)
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits


model = Network()
print(model)

# (not in the tutorial) fixed initial weights: uniform in +-1/sqrt(fan_in), like Dense's default initializer
rng = np.random.RandomState(0)
for param in model.trainable_params():  # each Dense's weight (out, in), then its bias
    if param.name.endswith("weight"):
        bound = 1 / np.sqrt(param.shape[1])
    param.set_data(mindspore.Tensor(rng.uniform(-bound, bound, param.shape).astype(np.float32)))

# Instantiate loss function and optimizer
loss_fn = nn.CrossEntropyLoss()
optimizer = nn.SGD(model.trainable_params(), 1e-2)


# 1. Define forward function
def forward_fn(data, label):
    logits = model(data)
    loss = loss_fn(logits, label)
    return loss, logits


# 2. Get gradient function
grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)


# 3. Define function of one-step training
def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    optimizer(grads)
    return loss


def train(model, dataset):
    size = dataset.get_dataset_size()
    model.set_train()
    for batch, (data, label) in enumerate(dataset.create_tuple_iterator()):
        loss = train_step(data, label)

        if batch % 100 == 0:
            loss, current = loss.asnumpy(), batch
            print(f"loss: {loss:>7f}  [{current:>3d}/{size:>3d}]")


def test(model, dataset, loss_fn):
    num_batches = dataset.get_dataset_size()
    model.set_train(False)
    total, test_loss, correct = 0, 0, 0
    for data, label in dataset.create_tuple_iterator():
        pred = model(data)
        total += len(data)
        test_loss += loss_fn(pred, label).asnumpy()
        correct += (pred.argmax(1) == label).asnumpy().sum()
    test_loss /= num_batches
    correct /= total
    print(f"Test: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


epochs = 3
for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train(model, train_dataset)
    test(model, test_dataset, loss_fn)
print("Done!")

# Save checkpoint
mindspore.save_checkpoint(model, os.path.join(WORK, "model.ckpt"))
print("Saved Model to model.ckpt")

# Instantiate a random initialized model
model = Network()
# Load checkpoint and load parameter to model
param_dict = mindspore.load_checkpoint(os.path.join(WORK, "model.ckpt"))
param_not_load, _ = mindspore.load_param_into_net(model, param_dict)
print(param_not_load)

model.set_train(False)
for data, label in test_dataset:
    pred = model(data)
    predicted = pred.argmax(1)
    print(f'Predicted: "{predicted[:10]}", Actual: "{label[:10]}"')
    break
