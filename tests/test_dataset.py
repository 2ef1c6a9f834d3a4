"""mindspore.dataset: MNIST idx files, sources, pipeline nodes, iterators, seeds, prefetch and transforms (the
behaviours recorded from MindSpore 2.10 in compat_tests/programs/dataset_basics.py, plus msjax's own mechanics)."""
import gc
import os
import sys
import threading
import time

import jax
import numpy as np
import pytest

import msjax as ms
import msjax.dataset as ds
from msjax import Tensor
from msjax._src.dataset import config, idx
from msjax.dataset import transforms, vision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "common"))
from make_mnist import make_mnist, read_idx, synthetic_digits  # noqa: E402


@pytest.fixture(scope="module")
def mnist(tmp_path_factory):
    return make_mnist(str(tmp_path_factory.mktemp("mnist")), train=100, test=30)


@pytest.fixture(autouse=True)
def _fresh_seeds():
    saved = config._seed, config._global_seed_at_set
    yield
    config._seed, config._global_seed_at_set = saved


def labels(dataset):
    return [int(row[1]) for row in dataset.create_tuple_iterator(output_numpy=True)]


def quick_start(directory, usage="train", batch_size=64, drop_remainder=False):
    data = ds.MnistDataset(directory, usage, shuffle=False)
    data = data.map(vision.Rescale(1.0 / 255.0, 0), "image").map(vision.Normalize((0.1307,), (0.3081,)), "image")
    data = data.map(vision.HWC2CHW(), "image").map(transforms.TypeCast(ms.int32), "label")
    return data.batch(batch_size, drop_remainder)


# --- idx files ---------------------------------------------------------------------------------------------------

def test_idx_round_trip_and_helper_agree(tmp_path):
    images, digits = synthetic_digits(5, seed=3)
    idx.write(tmp_path / "train-images-idx3-ubyte", images)
    idx.write(tmp_path / "train-labels-idx1-ubyte", digits)
    read = idx.read_images(tmp_path / "train-images-idx3-ubyte")
    assert read.shape == (5, 28, 28, 1) and read.dtype == np.uint8
    np.testing.assert_array_equal(read[..., 0], images)
    assert idx.read_labels(tmp_path / "train-labels-idx1-ubyte").dtype == np.uint32
    np.testing.assert_array_equal(read_idx(tmp_path / "train-images-idx3-ubyte"), images)


@pytest.mark.parametrize("damage, fragment", [
    (lambda b: b[:6], "should be 16 bytes"),
    (lambda b: b"\0\0\x08\x04" + b[4:], "magic number"),
    (lambda b: b[:1000], "data length"),
    (lambda b: b + b"\0", "data length"),
    (lambda b: b[:8] + (27).to_bytes(4, "big") + b[12:], "shape of image"),
])
def test_malformed_image_file_names_the_file(mnist, tmp_path, damage, fragment):
    for name in os.listdir(mnist):
        with open(os.path.join(mnist, name), "rb") as f:
            (tmp_path / name).write_bytes(f.read())
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(damage(path.read_bytes()))
    data = ds.MnistDataset(str(tmp_path), "train")  # files are read lazily, as in MindSpore
    for action in (data.get_dataset_size, lambda: next(iter(data))):
        with pytest.raises(RuntimeError, match=fragment) as info:
            action()
        assert str(path) in str(info.value)
    assert ds.MnistDataset(str(tmp_path), "test").get_dataset_size() == 30


def test_label_count_mismatch_and_missing_files(mnist, tmp_path):
    images, _ = synthetic_digits(4)
    idx.write(tmp_path / "train-images-idx3-ubyte", images)
    idx.write(tmp_path / "train-labels-idx1-ubyte", np.zeros(3, np.uint8))
    with pytest.raises(RuntimeError, match="num of images should be equal to num of labels"):
        ds.MnistDataset(str(tmp_path)).get_dataset_size()
    os.remove(tmp_path / "train-labels-idx1-ubyte")
    with pytest.raises(RuntimeError, match="train-labels-idx1-ubyte is missing"):
        ds.MnistDataset(str(tmp_path)).get_dataset_size()
    os.remove(tmp_path / "train-images-idx3-ubyte")
    assert ds.MnistDataset(str(tmp_path)).get_dataset_size() == 0
    with pytest.raises(RuntimeError, match="no data found"):
        next(iter(ds.MnistDataset(str(tmp_path))))
    with pytest.raises(ValueError, match="does not exist"):
        ds.MnistDataset(str(tmp_path / "nowhere"))


# --- MnistDataset -------------------------------------------------------------------------------------------------

def test_mnist_columns_dtypes_and_order(mnist):
    data = ds.MnistDataset(mnist, "train", shuffle=False)
    assert data.get_col_names() == ["image", "label"]
    image, label = next(iter(data))
    assert isinstance(image, Tensor) and image.shape == (28, 28, 1) and image.dtype == ms.uint8
    assert label.shape == () and label.dtype == ms.uint32
    train = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte")).tolist()
    test = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")).tolist()
    assert labels(data) == train
    assert labels(ds.MnistDataset(mnist, shuffle=False)) == test + train  # 'all' reads t10k first
    assert sorted(labels(ds.MnistDataset(mnist, "train"))) == sorted(train)
    assert [ds.MnistDataset(mnist, u).get_dataset_size() for u in (None, "train", "test", "all")] == [130, 100, 30, 130]


def test_numpy_outputs_are_fresh_arrays(mnist):
    image, label = next(ds.MnistDataset(mnist, "train", shuffle=False).create_tuple_iterator(output_numpy=True))
    assert image.flags.writeable and label.dtype == np.uint32
    image[...] = 0  # must not reach the data set
    image2, _ = next(ds.MnistDataset(mnist, "train", shuffle=False).create_tuple_iterator(output_numpy=True))
    assert image2.any()


# --- the quick-start pipeline and batching -------------------------------------------------------------------------

def test_quick_start_pipeline(mnist):
    data = quick_start(mnist)
    assert data.get_dataset_size() == 2 and data.get_batch_size() == 64
    batches = list(data.create_tuple_iterator())
    assert [(b[0].shape, b[1].shape) for b in batches] == [((64, 1, 28, 28), (64,)), ((36, 1, 28, 28), (36,))]
    assert all(b[0].dtype == ms.float32 and b[1].dtype == ms.int32 for b in batches)
    assert isinstance(batches[0][0]._data, jax.Array)  # one device array per column per batch
    raw = idx.read_images(os.path.join(mnist, "train-images-idx3-ubyte"))[:64].astype(np.float32)
    expected = ((raw * np.float32(1 / 255) - np.float32(0.1307)) / np.float32(0.3081)).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(batches[0][0].asnumpy(), expected, rtol=1e-6, atol=1e-6)
    dropped = quick_start(mnist, drop_remainder=True)
    assert dropped.get_dataset_size() == 1 and [b[0].shape[0] for b in dropped] == [64]


def test_batch_rules():
    data = ds.NumpySlicesDataset({"a": np.arange(5, dtype=np.int32)}, shuffle=False)
    assert [r[0].tolist() for r in data.batch(2).create_tuple_iterator(output_numpy=True)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError):
        ds.NumpySlicesDataset([1]).batch(0)
    with pytest.raises(TypeError):
        ds.NumpySlicesDataset([1]).batch(2.0)
    mixed = ds.NumpySlicesDataset([1, 2.5], shuffle=False).batch(2)
    with pytest.raises(RuntimeError, match="different types in column 0"):
        list(mixed)


def test_repeat_batch_crosses_passes_and_sizes():
    data = ds.NumpySlicesDataset({"a": np.arange(4, dtype=np.int32)}, shuffle=False)
    got = [r[0].tolist() for r in data.repeat(2).batch(3).create_tuple_iterator(output_numpy=True)]
    assert got == [[0, 1, 2], [3, 0, 1], [2, 3]]
    base = ds.NumpySlicesDataset(list(range(4)), shuffle=False)
    assert base.repeat(3).get_dataset_size() == 12 and base.repeat(3).get_repeat_count() == 3
    assert ds.NumpySlicesDataset(list(range(4))).repeat().get_dataset_size() == 4


# --- sources ----------------------------------------------------------------------------------------------------

def test_numpy_slices_dtypes_and_names():
    rows = next(ds.NumpySlicesDataset(([1, 2], [1.5, 2.5], [True, False]), shuffle=False)
                .create_tuple_iterator(output_numpy=True))
    assert [r.dtype for r in rows] == [np.int64, np.float64, np.bool_]
    assert ds.NumpySlicesDataset({"b": [1], "a": [2]}).get_col_names() == ["b", "a"]
    with pytest.raises(ValueError, match="Num of input column names is 1, but required is 2"):
        ds.NumpySlicesDataset(([1], [2]), column_names=["x"])


def test_generator_copies_what_it_yields():
    buffer = np.zeros(2, np.float32)

    def reuse():
        for i in range(3):
            buffer[:] = i
            yield (buffer,)
    batch = next(iter(ds.GeneratorDataset(reuse, ["x"]).batch(3)))[0].asnumpy()
    np.testing.assert_array_equal(batch[:, 0], [0, 1, 2])


def test_generator_errors_name_the_problem():
    def three():
        yield 1, 2, 3
    with pytest.raises(RuntimeError, match="size of column_names is:2 and number of returned NumPy array is:3"):
        list(ds.GeneratorDataset(three, ["a", "b"]))

    def broken():
        raise KeyError("boom")
        yield  # noqa
    with pytest.raises(RuntimeError, match="KeyError"):
        list(ds.GeneratorDataset(broken, ["a"]))


def test_generator_object_can_be_iterated_again():
    data = ds.GeneratorDataset((i for i in range(3)), ["a"])
    assert labels_of_first(data) == [0, 1, 2] and labels_of_first(data) == [0, 1, 2]


def labels_of_first(dataset):
    return [int(r[0]) for r in dataset.create_tuple_iterator(output_numpy=True)]


def test_shards_are_strided_padded_and_disjoint():
    strided = [labels_of_first(ds.NumpySlicesDataset(list(range(7)), shuffle=False, num_shards=3, shard_id=s))
               for s in range(3)]
    assert strided == [[0, 3, 6], [1, 4, 0], [2, 5, 1]]
    shuffled = [labels_of_first(ds.NumpySlicesDataset(list(range(8)), num_shards=2, shard_id=s)) for s in range(2)]
    assert sorted(shuffled[0] + shuffled[1]) == list(range(8))  # unseeded shards still agree on one permutation


def test_num_samples_with_shuffle_draws_with_replacement():
    ds.config.set_seed(1)
    drawn = labels_of_first(ds.NumpySlicesDataset(list(range(50)), num_samples=50))
    assert len(drawn) == 50 and len(set(drawn)) < 50


# --- seeds, epochs, iterators --------------------------------------------------------------------------------------

def test_seed_fixes_order_and_epochs_reshuffle():
    ds.config.set_seed(5)
    first = labels_of_first(ds.NumpySlicesDataset(list(range(20))))
    assert first == labels_of_first(ds.NumpySlicesDataset(list(range(20)))) and first != list(range(20))
    iterator = ds.NumpySlicesDataset(list(range(20))).create_tuple_iterator(output_numpy=True)
    epoch1, epoch2 = [int(r[0]) for r in iterator], [int(r[0]) for r in iterator]
    assert epoch1 == first and epoch2 != epoch1 and sorted(epoch2) == list(range(20))


def test_mindspore_set_seed_sets_the_dataset_seed():
    ds.config.set_seed(3)
    assert ds.config.get_seed() == 3
    ms.set_seed(11)
    assert ds.config.get_seed() == 11
    ds.config.set_seed(4)
    assert ds.config.get_seed() == 4


def test_num_epochs_and_next_semantics():
    data = ds.NumpySlicesDataset(list(range(3)), shuffle=False)
    iterator = data.create_tuple_iterator(num_epochs=1, output_numpy=True)
    assert [int(next(iterator)[0]) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(StopIteration):
        next(iterator)
    with pytest.raises(RuntimeError, match="beyond the specified number of epochs"):
        next(iterator)
    endless = data.create_dict_iterator(output_numpy=True)
    assert [int(r["column_0"]) for r in endless] == [0, 1, 2] == [int(r["column_0"]) for r in endless]


def test_one_consumer_per_node():
    data = ds.NumpySlicesDataset(list(range(3)))
    left, _ = data.batch(1), data.batch(2)
    with pytest.raises(ValueError, match="not a tree"):
        left.get_dataset_size()
    assert data.get_dataset_size() == 3  # the shared node itself may still be read


# --- map --------------------------------------------------------------------------------------------------------

def test_map_column_layout_and_errors():
    data = ds.NumpySlicesDataset(([1], [2], [3]), ["x", "y", "z"], shuffle=False)
    assert data.map(lambda v: (v, v), "y", ["y1", "y2"]).get_col_names() == ["y1", "y2", "x", "z"]
    data = ds.NumpySlicesDataset(([1], [2], [3]), ["x", "y", "z"], shuffle=False)
    assert data.map(lambda a, b: a + b, ["z", "x"], ["s"]).get_col_names() == ["s", "y"]
    data = ds.NumpySlicesDataset(([1], [2], [3]), ["x", "y", "z"], shuffle=False)
    assert data.map(lambda v: v, "x", "z").get_col_names() == ["z", "y"]
    data = ds.NumpySlicesDataset(([1], [2]), ["x", "y"], shuffle=False)
    with pytest.raises(RuntimeError, match="input column name: q doesn't exist"):
        data.map(lambda v: v, "q").get_col_names()
    with pytest.raises(ValueError, match="missing parentheses"):
        ds.NumpySlicesDataset([1]).map(vision.HWC2CHW)
    failing = ds.NumpySlicesDataset({"a": np.array([1], np.uint8)}).map(vision.Normalize((0.5,), (0.2,)), "a")
    with pytest.raises(RuntimeError, match=r"\[Normalize\] failed"):
        list(failing)


# --- prefetch ------------------------------------------------------------------------------------------------------

def test_native_pipelines_prefetch_in_a_thread_and_stop_when_dropped(mnist):
    iterator = quick_start(mnist).create_tuple_iterator()
    next(iterator)
    assert any(t.name == "msjax-dataset-prefetch" for t in threading.enumerate())
    del iterator
    gc.collect()
    deadline = time.time() + 5
    while any(t.name == "msjax-dataset-prefetch" for t in threading.enumerate()) and time.time() < deadline:
        time.sleep(0.02)
    assert not any(t.name == "msjax-dataset-prefetch" for t in threading.enumerate())


def test_user_code_runs_in_the_consumer_thread():
    seen = []

    def source():
        seen.append(threading.current_thread())
        yield 1
    for _ in ds.GeneratorDataset(source, ["a"]).map(lambda v: seen.append(threading.current_thread()) or v):
        pass
    assert seen == [threading.main_thread()] * 2


# --- transforms ----------------------------------------------------------------------------------------------------

def test_transforms_eagerly():
    image = (np.arange(12) * 20).astype(np.uint8).reshape(2, 2, 3)
    rescaled = vision.Rescale(1 / 255, 0)(image)
    assert rescaled.dtype == np.float32
    np.testing.assert_array_equal(rescaled, image.astype(np.float32) * np.float32(1 / 255))
    normalized = vision.Normalize((1.0, 2.0, 3.0), (2.0, 2.0, 2.0))(image)
    np.testing.assert_array_equal(normalized, (image - np.array([1.0, 2.0, 3.0], np.float32)) / np.float32(2))
    assert vision.HWC2CHW()(image).shape == (3, 2, 2) and vision.ToTensor()(image).dtype == np.float32
    with pytest.raises(TypeError, match="NumPy or PIL"):
        vision.Rescale(2, 0)([1, 2])
    assert transforms.TypeCast(ms.uint8)(np.array([300, -1])).tolist() == [44, 255]
    assert transforms.OneHot(3)(np.array(2, np.uint32)).dtype == np.uint32
    assert transforms.OneHot(4, 0.2)(np.array(1)).tolist() == pytest.approx([0.05, 0.85, 0.05, 0.05])
    with pytest.raises(RuntimeError, match="bigger than num classes"):
        transforms.OneHot(3)(np.array(5))
    composed = transforms.Compose([vision.Rescale(1 / 255, 0), vision.HWC2CHW()])(image)
    assert composed.shape == (3, 2, 2) and composed.dtype == np.float32
