"""`mindspore.dataset` in pure Python/numpy: sources, pipeline nodes, iterators and the quick start's transforms.

  config.py      seed (shared with `mindspore.set_seed`), worker/prefetch settings
  idx.py         MNIST idx files: reading with MindSpore's checks (errors name the file), writing
  validators.py  argument checks with MindSpore's messages
  datasets.py    Dataset (tree, one consumer per node) and map / batch / shuffle / repeat / project
  sources.py     GeneratorDataset, NumpySlicesDataset, MnistDataset; MindSpore's sampling and sharding rule
  iterators.py   TupleIterator / DictIterator: epochs, Tensor conversion once per batch, background prefetch
  local_shards.py  data parallel, one process driving k devices: the k local ranks' shards as one global batch
  transforms.py, vision.py   TypeCast, Compose, OneHot; Rescale, Normalize, HWC2CHW, ToTensor

Differences from MindSpore 2.10:
- Shuffled orders come from numpy's generators, not MindSpore's: the same seed gives the same order run after run
  in msjax, but not MindSpore's order. The rules are MindSpore's (each iterator starts from the seed, each epoch
  reshuffles, every shard draws the same permutation, a shuffled source with ``num_samples`` draws with replacement).
- Pipeline errors have MindSpore's exception types; messages name the file or column but carry no C++ context.
- Not supported: ``sampler=``, GeneratorDataset ``schema``/``column_types``/``batch_sampler``, ``batch``'s
  ``per_batch_map``/``pad_info``, dict values and PIL images as column values, and the Dataset methods beyond
  map/batch/shuffle/repeat/project (zip, concat, take, skip, rename, filter, split, ...). ``num_parallel_workers``
  and ``python_multiprocessing`` are accepted and ignored.
- Float Tensors fresh from an iterator print like any msjax Tensor; MindSpore prints them numpy-style
  (``value= [1.5, 2. ]``) until an op produces a new Tensor from them.
- String columns come out of iterators as numpy arrays (msjax Tensors hold numbers only).
- Data parallel with one process driving k devices (MindSpore has one process per rank): the k local ranks'
  pipelines run in this process, their user Python functions called in turn (rank by rank, step by step), so a
  function keeping state across calls sees the k ranks' rows interleaved. Unbatched 0-d columns cannot be split
  over the devices (RuntimeError).
"""
