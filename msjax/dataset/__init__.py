"""``mindspore.dataset``: sources, pipeline operations, iterators, ``config``, ``vision`` and ``transforms``."""
from msjax._src.dataset.datasets import (Dataset, MapDataset, BatchDataset, ShuffleDataset,  # noqa: F401
                                         RepeatDataset, ProjectDataset)
from msjax._src.dataset.sources import GeneratorDataset, NumpySlicesDataset, MnistDataset  # noqa: F401
from msjax._src.dataset.iterators import TupleIterator, DictIterator  # noqa: F401
from msjax._src.dataset.config import get_seed, set_seed  # noqa: F401
from msjax.dataset import config, transforms, vision  # noqa: F401

__all__ = ["Dataset", "GeneratorDataset", "NumpySlicesDataset", "MnistDataset", "MapDataset", "BatchDataset",
           "ShuffleDataset", "RepeatDataset", "ProjectDataset", "TupleIterator", "DictIterator", "config",
           "transforms", "vision"]
