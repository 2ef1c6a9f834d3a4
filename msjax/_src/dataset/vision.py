"""`mindspore.dataset.vision`: the quick start's image transforms (Rescale, Normalize, HWC2CHW, ToTensor).

Images are numpy arrays in HWC layout (MnistDataset's (28, 28, 1) UInt8); results are float32 as in MindSpore.
"""
from __future__ import annotations

import numbers

import numpy as np

from .transforms import TensorOperation, numpy_dtype
from .validators import check_type


class ImageTensorOperation(TensorOperation):
    """Vision transforms take numpy images only (MindSpore also takes PIL images, which msjax does not)."""

    def check_input(self, value):
        if not isinstance(value, np.ndarray):
            raise TypeError(f"Input should be NumPy or PIL image, got {type(value)}.")
        return value


class Rescale(ImageTensorOperation):
    """``image * rescale + shift`` in float32."""

    def __init__(self, rescale, shift):
        check_type(rescale, (numbers.Number,), "rescale")
        check_type(shift, (numbers.Number,), "shift")
        self.rescale, self.shift = rescale, shift

    def apply(self, image):
        return image.astype(np.float32) * np.float32(self.rescale) + np.float32(self.shift)


def _channel_values(values, name, low, high, open_low):
    check_type(values, (list, tuple), name)
    for index, value in enumerate(values):
        check_type(value, (numbers.Number,), f"{name}[{index}]")
        if not (low < value if open_low else low <= value) or value > high:
            interval = f"({low}, {high}]" if open_low else f"[{low}, {high}]"
            raise ValueError(f"Input {name}[{index}] is not within the required interval of {interval}.")
    return np.asarray(values, np.float32)


class Normalize(ImageTensorOperation):
    """``(image - mean) / std`` per channel in float32; one mean/std value applies to every channel."""

    def __init__(self, mean, std, is_hwc=True):
        self.mean = _channel_values(mean, "mean", 0, 255, open_low=False)
        self.std = _channel_values(std, "std", 0, 255, open_low=True)
        if len(self.mean) != len(self.std):
            raise ValueError("Length of mean and std must be equal.")
        check_type(is_hwc, (bool,), "is_hwc")
        self.is_hwc = is_hwc

    def apply(self, image):
        if image.ndim < 2:
            raise RuntimeError(f"Normalize: input tensor should have at least 2 dimensions, but got: {image.ndim}")
        axis = -1 if self.is_hwc else -3
        channels = image.shape[axis] if image.ndim >= 3 else 1
        if len(self.mean) not in (1, channels):
            raise RuntimeError(f"Normalize: number of channels does not match the size of mean and std vectors, "
                               f"got channels: {channels}, size of mean: {len(self.mean)}")
        shape = (-1,) if self.is_hwc or image.ndim < 3 else (-1, 1, 1)
        return (image.astype(np.float32) - self.mean.reshape(shape)) / self.std.reshape(shape)


class HWC2CHW(ImageTensorOperation):
    """(H, W, C) -> (C, H, W); an (H, W) image is returned as it is."""

    def apply(self, image):
        if image.ndim not in (2, 3):
            raise RuntimeError(f"HWC2CHW: image shape should be <H,W> or <H,W,C>, but got rank: {image.ndim}")
        return image.transpose(2, 0, 1).copy() if image.ndim == 3 else image.copy()


class ToTensor(ImageTensorOperation):
    """HWC image (or HW) -> CHW scaled by 1/255, as ``output_type`` (float32 by default)."""

    def __init__(self, output_type=np.float32):
        self.output_type = output_type
        self._np_dtype = numpy_dtype(output_type, "output_type")

    def apply(self, image):
        if image.ndim not in (2, 3):
            raise RuntimeError(f"ToTensor: image shape should be <H,W> or <H,W,C>, but got rank: {image.ndim}")
        chw = image[None] if image.ndim == 2 else image.transpose(2, 0, 1)
        work = np.float64 if self._np_dtype == np.float64 else np.float32
        return (chw.astype(work) * work(1 / 255)).astype(self._np_dtype)  # MindSpore multiplies by 1/255
