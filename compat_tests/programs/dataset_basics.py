"""mindspore.dataset essentials (MindSpore 2.10): sources, map/batch/shuffle/repeat/project, iterators, transforms.

Writes a small synthetic MNIST (idx files, numpy only) into a temporary folder. Shuffled orders are MindSpore's own
random streams, so only order-free facts about them are printed (sorted contents, sizes, equality of two runs).
"""
import os
import shutil
import sys
import tempfile

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore.dataset import transforms, vision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "common"))
from make_mnist import make_mnist, read_idx, write_idx  # noqa: E402
from _probe import case  # noqa: E402

root = tempfile.mkdtemp(prefix="dataset_basics_")
mnist = make_mnist(os.path.join(root, "mnist"), train=100, test=30)
train_labels = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte")).tolist()
test_labels = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")).tolist()
train_images = read_idx(os.path.join(mnist, "train-images-idx3-ubyte"))


def summary(values):
    """dtype, shape and an order-free digest of each column value."""
    out = []
    for v in values:
        array = v if isinstance(v, np.ndarray) else v.asnumpy()
        out.append(f"{type(v).__name__} {v.dtype} {tuple(v.shape)} sum={array.astype(np.float64).sum():.6g}")
    return out


def labels_of(dataset, column=1):
    return [row[column].tolist() for row in dataset.create_tuple_iterator(output_numpy=True)]


def m(usage=None, **kwargs):
    return ds.MnistDataset(mnist, usage, **kwargs)


# --- MnistDataset ---------------------------------------------------------------------------------------------
case("mnist columns", lambda: ds.MnistDataset(mnist).get_col_names())
case("mnist sizes", lambda: [m(usage).get_dataset_size() for usage in (None, "train", "test", "all")])
case("mnist first row", lambda: summary(next(m("train", shuffle=False).create_tuple_iterator())))
case("mnist first row numpy", lambda: summary(next(m("train", shuffle=False).create_tuple_iterator(output_numpy=True))))
case("mnist first image matches file",
     lambda: bool((next(iter(m("train", shuffle=False)))[0].asnumpy()[:, :, 0] == train_images[0]).all()))
case("mnist train order", lambda: labels_of(m("train", shuffle=False)) == train_labels)
case("mnist all order (test first)", lambda: labels_of(m(shuffle=False)) == test_labels + train_labels)
case("mnist shuffled contents", lambda: sorted(labels_of(m("train"))) == sorted(train_labels))
case("mnist num_samples", lambda: [m(num_samples=n).get_dataset_size() for n in (7, 0, 1000)])
case("mnist num_samples no shuffle", lambda: labels_of(m("train", num_samples=5, shuffle=False)))
for shard in range(3):
    case(f"mnist shard {shard}/3", lambda: labels_of(m("test", shuffle=False, num_shards=3, shard_id=shard)))
    case(f"mnist shard {shard}/4 size", lambda: m("test", num_shards=4, shard_id=shard).get_dataset_size())
case("mnist shards disjoint",
     lambda: sorted(sum((labels_of(m("test", num_shards=3, shard_id=s)) for s in range(3)), [])) == sorted(test_labels))
case("mnist dict iterator", lambda: {k: (type(v).__name__, str(v.dtype), v.shape) for k, v in
                                     next(ds.MnistDataset(mnist, "test").create_dict_iterator()).items()})
case("mnist missing folder", lambda: ds.MnistDataset(os.path.join(root, "nowhere")))
case("mnist bad usage", lambda: ds.MnistDataset(mnist, "valid"))
case("mnist shard without id", lambda: ds.MnistDataset(mnist, num_shards=2))
os.makedirs(os.path.join(root, "empty"))
case("mnist empty folder size", lambda: ds.MnistDataset(os.path.join(root, "empty")).get_dataset_size())
case("mnist empty folder iterate", lambda: labels_of(ds.MnistDataset(os.path.join(root, "empty"))))
broken = shutil.copytree(mnist, os.path.join(root, "broken"))
with open(os.path.join(broken, "train-images-idx3-ubyte"), "rb") as f:
    head = f.read(1000)
with open(os.path.join(broken, "train-images-idx3-ubyte"), "wb") as f:
    f.write(head)  # truncated
case("mnist truncated file size", lambda: ds.MnistDataset(broken, "train").get_dataset_size())
case("mnist truncated file iterate", lambda: labels_of(ds.MnistDataset(broken, "train")))
case("mnist truncated, other usage", lambda: ds.MnistDataset(broken, "test").get_dataset_size())
write_idx(os.path.join(broken, "t10k-labels-idx1-ubyte"), np.zeros((29,), np.uint8))
case("mnist label count mismatch", lambda: ds.MnistDataset(broken, "test").get_dataset_size())

# --- the quick start's pipeline -------------------------------------------------------------------------------
def quick_start(usage="train", batch_size=64, drop_remainder=False):
    data = ds.MnistDataset(mnist, usage, shuffle=False)
    data = data.map(vision.Rescale(1.0 / 255.0, 0), "image").map(vision.Normalize((0.1307,), (0.3081,)), "image")
    data = data.map(vision.HWC2CHW(), "image").map(transforms.TypeCast(ms.int32), "label")
    return data.batch(batch_size, drop_remainder)


case("quick start size", lambda: [quick_start(drop_remainder=d).get_dataset_size() for d in (False, True)])
case("quick start columns", lambda: quick_start().get_col_names())
case("quick start batch size", lambda: quick_start().get_batch_size())
case("quick start batches", lambda: [summary(b) for b in quick_start().create_tuple_iterator()])
case("quick start drop_remainder", lambda: [summary(b) for b in quick_start(drop_remainder=True)])
case("quick start labels", lambda: [b[1].asnumpy().tolist() for b in quick_start("test", 16)])
case("quick start dict",
     lambda: [(k, str(v.dtype), v.shape) for k, v in next(quick_start().create_dict_iterator()).items()])
case("quick start values", lambda: next(iter(quick_start("test", 2)))[0].asnumpy()[1, 0, 10, 5:12].tolist())

# --- NumpySlicesDataset -----------------------------------------------------------------------------------------
def rows(dataset, **kwargs):
    return [[f"{v.dtype} {v.shape} {v.tolist()}" for v in row]
            for row in dataset.create_tuple_iterator(output_numpy=True, **kwargs)]


case("slices python ints", lambda: rows(ds.NumpySlicesDataset([1, 2, 3], shuffle=False)))
case("slices python floats", lambda: rows(ds.NumpySlicesDataset([1.5, 2.5], shuffle=False)))
case("slices nested list", lambda: rows(ds.NumpySlicesDataset([[1, 2], [3, 4]], shuffle=False)))
case("slices tuple", lambda: rows(ds.NumpySlicesDataset(([1, 2], [3.0, 4.0]), shuffle=False)))
case("slices tuple names", lambda: ds.NumpySlicesDataset(([1, 2], [3.0, 4.0])).get_col_names())
case("slices dict", lambda: rows(ds.NumpySlicesDataset({"b": [1, 2], "a": np.array([[1, 2], [3, 4]], np.float32)},
                                                        shuffle=False)))
case("slices dict names", lambda: ds.NumpySlicesDataset({"b": [1, 2], "a": [3, 4]}).get_col_names())
case("slices array", lambda: rows(ds.NumpySlicesDataset(np.arange(6, dtype=np.int16).reshape(3, 2), shuffle=False)))
case("slices column_names", lambda: ds.NumpySlicesDataset(([1, 2], [3, 4]), column_names=["x", "y"]).get_col_names())
case("slices default shuffles", lambda: sorted(r[0] for r in rows(ds.NumpySlicesDataset(list(range(10))))))
case("slices unequal", lambda: ds.NumpySlicesDataset(([1, 2], [3, 4, 5])))
case("slices too few names", lambda: ds.NumpySlicesDataset(([1, 2], [3, 4]), column_names=["x"]))
case("slices bad data", lambda: ds.NumpySlicesDataset(5))
for shards in (2, 3):
    for shard in range(shards):
        case(f"slices shard {shard}/{shards}",
             lambda: rows(ds.NumpySlicesDataset(list(range(7)), shuffle=False, num_shards=shards, shard_id=shard)))
case("slices shard without id", lambda: ds.NumpySlicesDataset([1, 2], num_shards=2))
case("slices shard id too big", lambda: ds.NumpySlicesDataset([1, 2], num_shards=2, shard_id=2))
case("slices num_samples", lambda: rows(ds.NumpySlicesDataset([1, 2, 3, 4], num_samples=2, shuffle=False)))
case("slices num_samples > size", lambda: ds.NumpySlicesDataset(list(range(10)), num_samples=20).get_dataset_size())
case("slices Tensor output", lambda: next(iter(ds.NumpySlicesDataset({"x": np.array([[1, 2]], np.int32)}))))


# --- GeneratorDataset -------------------------------------------------------------------------------------------
def generator():
    for i in range(5):
        yield i, float(i) / 2, np.full((2,), i, np.int16)


class RandomAccess:
    def __getitem__(self, index):
        return np.array([index], np.float32), int(index)

    def __len__(self):
        return 6


class Iterable:
    def __iter__(self):
        return iter([(np.int8(1),), (np.int8(2),)])


ABC = ["a", "b", "c"]


def bad_generator():
    yield 1
    raise KeyError("boom")


case("generator rows", lambda: rows(ds.GeneratorDataset(generator, ["a", "b", "c"])))
case("generator keeps order with shuffle",
     lambda: rows(ds.GeneratorDataset(generator, ["a", "b", "c"], shuffle=True), columns=["a"]))
case("generator size", lambda: ds.GeneratorDataset(generator, ["a", "b", "c"]).get_dataset_size())
case("generator num_samples", lambda: [ds.GeneratorDataset(generator, ABC, num_samples=2).get_dataset_size(),
                                       rows(ds.GeneratorDataset(generator, ABC, num_samples=2), columns=["a"])])
case("random access shuffled", lambda: sorted(r[1] for r in rows(ds.GeneratorDataset(RandomAccess(), ["x", "y"]))))
case("random access in order", lambda: rows(ds.GeneratorDataset(RandomAccess(), ["x", "y"], shuffle=False))[:2])
case("random access shard",
     lambda: rows(ds.GeneratorDataset(RandomAccess(), ["x", "y"], shuffle=False, num_shards=4, shard_id=3)))
case("iterable", lambda: rows(ds.GeneratorDataset(Iterable(), "v")))
case("list source", lambda: rows(ds.GeneratorDataset([(1, 2.5), (3, 4.5)], ["a", "b"], shuffle=False)))
case("generator no column names", lambda: ds.GeneratorDataset(generator))
case("generator too few names", lambda: rows(ds.GeneratorDataset(generator, ["a", "b"])))
case("generator raises", lambda: rows(ds.GeneratorDataset(bad_generator, ["a"])))
case("generator shard without getitem",
     lambda: ds.GeneratorDataset(generator, ABC, num_shards=2, shard_id=0))
case("generator unbatchable shapes", lambda: rows(ds.GeneratorDataset(RandomAccess(), ["x", "y"], shuffle=False).map(
    lambda x: np.zeros((int(x[0]) % 2 + 1,), np.float32), "x").batch(2)))


# --- map ----------------------------------------------------------------------------------------------------------
def base():
    return ds.NumpySlicesDataset({"a": np.arange(4, dtype=np.int32), "b": np.arange(8, dtype=np.float32).reshape(4, 2)},
                                 shuffle=False)


def plus_one(x):
    return x + np.int32(1)


def split(x):
    return x, x * np.int32(2)


def double(x):
    return x * 2


def join(x, y):
    return x.astype(np.float32) + y.sum()


case("map first column by default", lambda: rows(base().map(plus_one))[:2])
case("map list of functions", lambda: rows(base().map([plus_one, plus_one], "a"))[:1])
case("map one to two", lambda: [base().map(split, "a", ["a1", "a2"]).get_col_names(),
                                rows(base().map(split, "a", ["a1", "a2"]))[1]])
case("map one to two (second column)", lambda: base().map(split, "b", ["b1", "b2"]).get_col_names())
case("map two to one", lambda: [base().map(join, ["a", "b"], ["c"]).get_col_names(),
                                rows(base().map(join, ["a", "b"], ["c"]))[1]])
case("map rename in place", lambda: base().map(plus_one, "a", "z").get_col_names())
case("map output replaces a column",
     lambda: ds.NumpySlicesDataset(([1], [2], [3]), ["x", "y", "z"]).map(plus_one, "x", "z").get_col_names())
case("map returns python values", lambda: rows(base().map(lambda x: (3, 2.5), "a", ["i", "f"]))[0])
case("map missing column names", lambda: base().map(plus_one, "zz").get_col_names())
case("map missing column iterate", lambda: rows(base().map(plus_one, "zz")))
case("map missing column size", lambda: base().map(plus_one, "zz").get_dataset_size())
case("map output count mismatch", lambda: rows(base().map(split, "a")))
case("map not callable", lambda: base().map(5, "a"))
case("map class not instance", lambda: base().map(vision.HWC2CHW, "a"))
case("map duplicate columns", lambda: base().map(plus_one, ["a", "a"]))
case("map function raises", lambda: rows(base().map(lambda x: x[10], "a")))
case("map transform fails", lambda: rows(base().map(vision.Normalize((0.5,), (0.2,)), "a")))

# --- batch, repeat, shuffle, project -------------------------------------------------------------------------
case("batch", lambda: rows(base().batch(3)))
case("batch drop_remainder", lambda: rows(base().batch(3, drop_remainder=True)))
case("batch sizes", lambda: [base().batch(n, d).get_dataset_size() for n, d in ((3, False), (3, True), (5, True))])
case("batch of batches", lambda: rows(base().batch(2).batch(2)))
case("batch python floats", lambda: rows(ds.NumpySlicesDataset([1.5, 2.5], shuffle=False).batch(2)))
case("batch bools", lambda: rows(ds.NumpySlicesDataset({"a": np.array([True, False, True])}, shuffle=False).batch(2)))
case("batch mixed types", lambda: rows(ds.NumpySlicesDataset([1, 2.5], shuffle=False).batch(2)))
case("batch zero", lambda: base().batch(0))
case("batch float", lambda: base().batch(2.0))
case("repeat", lambda: [r[0] for r in rows(base().repeat(2))])
case("repeat then batch", lambda: [r[0] for r in rows(base().repeat(2).batch(3))])
case("repeat sizes", lambda: [base().repeat(3).get_dataset_size(), base().batch(3).repeat(2).get_dataset_size(),
                              base().repeat(3).batch(5).get_dataset_size(), base().repeat().get_dataset_size()])
case("repeat counts",
     lambda: [base().repeat(3).get_repeat_count(), base().get_repeat_count(),
              base().batch(2).repeat(2).get_batch_size()])
case("repeat zero", lambda: base().repeat(0))
case("shuffle contents", lambda: sorted(r[0] for r in rows(base().shuffle(3))))
case("shuffle size", lambda: base().shuffle(2).get_dataset_size())
case("shuffle buffer 1", lambda: base().shuffle(1))
case("project", lambda: [base().project(["b", "a"]).get_col_names(), rows(base().project(["b", "a"]))[0]])
case("project one", lambda: base().project("b").get_col_names())
case("project missing", lambda: base().project(["q"]).get_col_names())
case("project duplicate", lambda: base().project(["a", "a"]))
case("length", lambda: [len(base()), len(base().batch(3))])
case("output shapes and types",
     lambda: [base().batch(3).output_shapes(), [str(t) for t in base().batch(3).output_types()]])

# --- iterators ------------------------------------------------------------------------------------------------
case("tuple iterator columns", lambda: rows(base(), columns=["b"])[0])
case("tuple iterator missing column", lambda: rows(base(), columns=["zz"]))
case("tuple iterator bad num_epochs", lambda: base().create_tuple_iterator(num_epochs=-2))
case("tuple iterator bad output_numpy", lambda: base().create_tuple_iterator(output_numpy=1))
case("dict iterator", lambda: {k: v.tolist() for k, v in next(base().create_dict_iterator(output_numpy=True)).items()})
case("dict iterator order", lambda: list(next(base().project(["b", "a"]).create_dict_iterator()).keys()))
case("row types", lambda: [type(next(iter(base()))).__name__, [type(v).__name__ for v in next(iter(base()))]])
iterator = base().create_tuple_iterator(output_numpy=True)
case("epoch 1", lambda: [r[0].tolist() for r in iterator])
case("epoch 2", lambda: [r[0].tolist() for r in iterator])
single = base().create_tuple_iterator(output_numpy=True, num_epochs=1)
case("num_epochs=1 first", lambda: [r[0].tolist() for r in single])
case("num_epochs=1 again", lambda: [r[0].tolist() for r in single])
stepper = base().create_tuple_iterator(output_numpy=True)
case("next past the end", lambda: [next(stepper)[0].tolist() for _ in range(5)])
case("next starts the next epoch", lambda: next(stepper)[0].tolist())
case("direct iteration twice", lambda: [len(list(base())), len(list(base()))])
shared = base()
left, right = shared.map(plus_one, "a"), shared.map(split, "a", ["p", "q"])
case("two consumers iterate", lambda: rows(left))
case("two consumers size", lambda: right.get_dataset_size())
parent = base()
child = parent.batch(2)
case("parent of one consumer", lambda: len(rows(parent)))

# --- seeds ----------------------------------------------------------------------------------------------------
ds.config.set_seed(58)
case("seed", lambda: ds.config.get_seed())
case("seeded order repeats", lambda: labels_of(m("train")) == labels_of(m("train")))
seeded = ds.NumpySlicesDataset(list(range(12))).create_tuple_iterator(output_numpy=True)
first, second = [r[0].tolist() for r in seeded], [r[0].tolist() for r in seeded]
case("seeded epochs differ", lambda: [first != second, sorted(first) == sorted(second) == list(range(12))])
case("set_seed negative", lambda: ds.config.set_seed(-1))
case("set_seed float", lambda: ds.config.set_seed(1.5))
ms.set_seed(9)
case("mindspore.set_seed sets the dataset seed", lambda: ds.config.get_seed())

# --- transforms, eagerly --------------------------------------------------------------------------------------
image = (np.arange(12) * 20).astype(np.uint8).reshape(2, 2, 3)
gray = (np.arange(4) * 60).astype(np.uint8).reshape(2, 2, 1)
case("Rescale", lambda: vision.Rescale(1 / 255, 0)(image))
case("Rescale float64 input", lambda: vision.Rescale(0.5, 1)(image.astype(np.float64)))
case("Rescale list input", lambda: vision.Rescale(2, 0)([1, 2]))
case("Rescale bad argument", lambda: vision.Rescale("a", 0))
case("Rescale two inputs", lambda: vision.Rescale(2, 0)(image, image))
case("Normalize", lambda: vision.Normalize((0.1307,), (0.3081,))(gray))
case("Normalize rgb", lambda: vision.Normalize((1.0, 2.0, 3.0), (2.0, 2.0, 2.0))(image))
case("Normalize chw", lambda: vision.Normalize([1.0, 2.0, 3.0], [2.0] * 3, is_hwc=False)(image.transpose(2, 0, 1)))
case("Normalize one value, three channels", lambda: vision.Normalize([1.0], [2.0])(image))
case("Normalize 2-D", lambda: vision.Normalize([1.0], [2.0])(gray[:, :, 0]))
case("Normalize channel mismatch", lambda: vision.Normalize((1.0, 2.0), (2.0, 2.0))(image))
case("Normalize 1-D", lambda: vision.Normalize((1.0,), (2.0,))(np.array([1, 2], np.uint8)))
case("Normalize std 0", lambda: vision.Normalize((1.0,), (0.0,)))
case("Normalize mean 300", lambda: vision.Normalize((300.0,), (1.0,)))
case("HWC2CHW", lambda: vision.HWC2CHW()(image))
case("HWC2CHW 2-D", lambda: vision.HWC2CHW()(gray[:, :, 0]))
case("HWC2CHW 4-D", lambda: vision.HWC2CHW()(image[None]))
case("ToTensor", lambda: vision.ToTensor()(image))
case("ToTensor 2-D", lambda: vision.ToTensor()(gray[:, :, 0]))
case("ToTensor float64", lambda: vision.ToTensor(ms.float64)(gray).dtype.name)
case("TypeCast", lambda: transforms.TypeCast(ms.int32)(np.array([1.7, -2.5])))
case("TypeCast wraps", lambda: transforms.TypeCast(ms.uint8)(np.array([300, -1])))
case("TypeCast numpy dtype", lambda: transforms.TypeCast(np.float16)(np.array([1, 2])))
case("TypeCast python scalar", lambda: transforms.TypeCast(ms.float32)(3))
case("OneHot", lambda: transforms.OneHot(3)(np.array(1)))
case("OneHot keeps uint32", lambda: transforms.OneHot(3)(np.array(2, np.uint32)))
case("OneHot vector", lambda: transforms.OneHot(3)(np.array([0, 2])))
case("OneHot python int", lambda: transforms.OneHot(3)(1))
case("OneHot smoothing", lambda: transforms.OneHot(4, 0.2)(np.array(1)))
case("OneHot out of range", lambda: transforms.OneHot(3)(np.array(5)))
case("OneHot float input", lambda: transforms.OneHot(3)(np.array(1.0)))
case("OneHot zero classes", lambda: transforms.OneHot(0))
case("Compose", lambda: transforms.Compose([vision.Rescale(1 / 255, 0), vision.HWC2CHW()])(image))
case("Compose with function", lambda: transforms.Compose([vision.Rescale(2, 0), double])(gray))
case("Compose empty", lambda: transforms.Compose([]))
case("Compose not a list", lambda: transforms.Compose(vision.HWC2CHW()))
case("Compose bad element", lambda: transforms.Compose([5]))
images = {"image": np.stack([image, image])}
case("map Compose", lambda: summary(next(iter(ds.NumpySlicesDataset(images, shuffle=False).map(
    transforms.Compose([vision.Rescale(1 / 255, 0), vision.HWC2CHW()]), "image")))))
case("map OneHot", lambda: rows(ds.NumpySlicesDataset({"label": np.array([1, 2], np.uint32)}, shuffle=False)
                                .map(transforms.OneHot(3), "label")))
case("map ToTensor",
     lambda: summary(next(iter(ds.NumpySlicesDataset(images, shuffle=False).map(vision.ToTensor(), "image")))))
shutil.rmtree(root)
