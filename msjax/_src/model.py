"""``mindspore.train.Model``: the high-level train / fit / eval / predict loops over a network, a loss and an
optimizer (``fit`` is ``train`` with an evaluation after chosen epochs).

As in MindSpore, ``Model`` wraps the network once at construction — ``amp.build_train_network(network,
optimizer, loss_fn, amp_level, ...)`` for training (``TrainOneStepCell(WithLossCell(network, loss_fn), optimizer)``
at O0; the amp levels convert ``network`` in place, so evaluation and prediction run the converted network),
``WithEvalCell(network, loss_fn)`` for metrics — and then only iterates datasets and runs callbacks. Each step
calls the wrapped Cell, so the execution mode decides how it runs: in GRAPH_MODE the step is compiled once per
input signature (a dataset whose last batch is smaller gives two) and reused; in PYNATIVE_MODE it runs op by op,
as MindSpore does (Python side effects in ``construct`` happen every step), except in data-parallel mode, where
the step always runs compiled, per device (see jit.py); evaluation and prediction run as one program over the
whole batch (their per-sample outputs are not averaged over devices). ``dataset_sink_mode=True`` is accepted and
runs like ``False`` (MindSpore does the same on CPU).
"""
from __future__ import annotations

import copy
from collections.abc import Iterable

from . import callbacks as cb
from . import context, jit, parallel
from .amp import build_train_network
from .auto_parallel_context import get_auto_parallel_context
from .cell import Cell
from .metrics import Loss, get_metrics
from .tensor import Tensor
from .wrappers import WithEvalCell, WithLossCell, run_compiled

_KWARGS = ("loss_scale_manager", "keep_batchnorm_fp32", "boost_config_dict", "acc_level")


def _should_eval(epoch, valid_frequency):
    return epoch % valid_frequency == 0 if isinstance(valid_frequency, int) else epoch in valid_frequency


class Model:
    """``Model(network, loss_fn=None, optimizer=None, metrics=None, eval_network=None, eval_indexes=None,
    amp_level='O0', boost_level='O0', **kwargs)``."""

    def __init__(self, network, loss_fn=None, optimizer=None, metrics=None, eval_network=None, eval_indexes=None,
                 amp_level="O0", boost_level="O0", **kwargs):
        self._network = network
        self._loss_fn = loss_fn
        self._optimizer = optimizer
        for name in kwargs:
            if name not in _KWARGS:
                raise ValueError("The argument in 'kwargs' should be 'loss_scale_manager' or 'keep_batchnorm_fp32' "
                                 f"or 'boost_config_dict' or 'acc_level', but got '{name}'.")
        self._kwargs = kwargs
        self._loss_scale_manager = kwargs.get("loss_scale_manager")
        self._amp_level = amp_level
        self._boost_level = kwargs.get("acc_level", boost_level)
        self._eval_network = eval_network
        self._metrics = metrics
        if optimizer is None and amp_level != "O0":
            raise ValueError("Auto mixed precision will not work because 'optimizer' is None.Please set "
                             "amp_level='O0' to disable auto mixed precision or set 'optimizer' not be None to use "
                             "auto mixed precision.")
        if self._boost_level != "O0":
            raise NotImplementedError(f"msjax does not implement boost_level={self._boost_level!r}; use 'O0'.")
        self._train_network = self._build_train_network()
        self._metric_fns = get_metrics(metrics)
        self._eval_indexes = None
        self._build_eval_network(eval_network, eval_indexes)
        self._predict_network = network
        self._backbone_is_train = True
        self.batch_num = -1

    # --- construction -------------------------------------------------------------------------------------------

    def _build_train_network(self):
        network = self._network
        if not isinstance(network, Cell):
            raise TypeError(f"The type of 'network' should be 'Cell', but got type '{type(network).__name__}'.")
        if self._loss_scale_manager is not None and self._optimizer is None:
            raise ValueError("The argument 'optimizer' can not be None when set 'loss_scale_manager'.")
        if self._loss_fn is not None and not isinstance(self._loss_fn, Cell):
            raise AttributeError(f"'{type(self._loss_fn).__name__}' object has no attribute 'get_inputs'")
        if self._optimizer is not None:
            # a given manager (even None) overrides the level's default; keep_batchnorm_fp32=None does not
            config = {key: value for key, value in self._kwargs.items()
                      if key == "loss_scale_manager" or (key == "keep_batchnorm_fp32" and value is not None)}
            return build_train_network(network, self._optimizer, self._loss_fn, level=self._amp_level,
                                       boost_level=self._boost_level, **config)
        if self._loss_fn is not None:
            return WithLossCell(network, self._loss_fn)
        return network

    def _build_eval_network(self, eval_network, eval_indexes):
        if not self._metric_fns:
            return
        if eval_network is not None:
            if eval_indexes is not None and not (isinstance(eval_indexes, list) and len(eval_indexes) == 3):
                raise ValueError("The argument 'eval_indexes' must be a list or None. If 'eval_indexes' is a list, "
                                 f"length of it must be three. But got 'eval_indexes' {eval_indexes}")
            self._eval_indexes = eval_indexes
            return
        if self._loss_fn is None:
            raise ValueError("If `metrics` is set, `eval_network` must not be None. Do not set `metrics` if you"
                             " don't want an evaluation.\n"
                             "If evaluation is required, you need to specify `eval_network`, which will be used in"
                             " the framework to evaluate the model.\n"
                             "For the simple scenarios with one data, one label and one logits, `eval_network` is"
                             " optional, and then you can set `eval_network` or `loss_fn`. For the latter case,"
                             " framework will automatically build an evaluation network with `network` and"
                             " `loss_fn`.")
        # the train network's conversion changed ``network`` in place; O2/O3 outputs are cast back to float32
        self._eval_network = WithEvalCell(self._network, self._loss_fn, self._amp_level in ("O2", "O3", "auto"))
        self._eval_indexes = [0, 1, 2]

    @property
    def train_network(self):
        return self._train_network

    @property
    def predict_network(self):
        return self._predict_network

    @property
    def eval_network(self):
        return self._eval_network

    # --- helpers ------------------------------------------------------------------------------------------------

    @staticmethod
    def _callback_list(callbacks):
        if callbacks is None:
            return []
        if isinstance(callbacks, Iterable):
            return list(callbacks)
        return [callbacks]

    def _check_network_mode(self, network, is_train):
        if self._backbone_is_train != is_train:
            network.set_train(is_train)
            self._backbone_is_train = is_train
        if not is_train:
            network.set_grad(False)

    def _prepare(self, network, is_train):
        network.set_train(is_train)
        self._backbone_is_train = is_train

    def _check_reuse_dataset(self, dataset):
        owner = getattr(dataset, "__model_hash__", None)
        if owner is None:
            dataset.__model_hash__ = owner = hash(self)
        if owner != hash(self):
            raise RuntimeError("The dataset object had been used in other model by model.train(...), "
                               "please create a new dataset.")

    # --- train --------------------------------------------------------------------------------------------------

    def train(self, epoch, train_dataset, callbacks=None, dataset_sink_mode=False, sink_size=-1, initial_epoch=0):
        """Train for ``epoch`` epochs (starting after ``initial_epoch``) over ``train_dataset``."""
        cb.check_bool(dataset_sink_mode)
        cb.check_int(sink_size)
        sink_size = self._check_train_args("Model.train", epoch, train_dataset, sink_size, initial_epoch)
        self._train(epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch, None)

    def fit(self, epoch, train_dataset, valid_dataset=None, valid_frequency=1, callbacks=None,
            dataset_sink_mode=False, valid_dataset_sink_mode=False, sink_size=-1, initial_epoch=0):
        """Train as ``train`` does and, after every ``valid_frequency``-th epoch (an int, or a list of epochs),
        evaluate the metrics on ``valid_dataset``: callbacks then see ``metrics`` and ``eval_results`` (the metrics
        and ``eval_loss``, the loss of the last evaluation batch, as in MindSpore) at that epoch's end."""
        cb.check_bool(dataset_sink_mode)
        cb.check_bool(valid_dataset_sink_mode)
        cb.check_int(sink_size)
        sink_size = self._check_train_args("Model.fit", epoch, train_dataset, sink_size, initial_epoch)
        if not isinstance(valid_frequency, (int, list)):
            raise TypeError(f"For 'Model.fit', the type of 'valid_frequency' must be a list or an integer, but got "
                            f"type {type(valid_frequency)}.")
        if valid_dataset is not None and not self._metric_fns:
            raise ValueError("For 'Model.fit', if valid_dataset is not None, the model argument 'metrics' can not be"
                             "None or empty, you should set the argument 'metrics' for model.")
        valid = None if valid_dataset is None else (valid_dataset, valid_frequency)
        self._train(epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch, valid)

    @staticmethod
    def _check_train_args(who, epoch, train_dataset, sink_size, initial_epoch):
        """MindSpore's checks of ``train``/``fit``; returns the effective sink size."""
        cb.check_int(epoch, 0, strict=True)
        cb.check_int(initial_epoch, 0)
        if initial_epoch >= epoch:
            raise ValueError(f"For '{who}', the parameter 'epoch' must bigger than parameter 'initial_epoch',"
                             f" but got the parameter 'epoch' is {epoch}, 'initial_epoch' is {initial_epoch}.")
        dataset_size = train_dataset.get_dataset_size()
        if dataset_size == 0:
            raise ValueError("There is no valid data in dataset, please check dataset file firstly.")
        if sink_size == -1:
            sink_size = dataset_size
        if sink_size < -1 or sink_size == 0:
            raise ValueError(f"For '{who}', The argument 'sink_size' must be -1 or positive, but got {sink_size}.")
        return sink_size

    def _train(self, epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch, valid):
        dataset_size = train_dataset.get_dataset_size()
        callbacks = self._callback_list(callbacks)
        cb_params = cb.InternalCallbackParam()
        cb_params.cur_step_num = 0
        cb_params.train_network = self._train_network
        cb_params.epoch_num = epoch - initial_epoch
        cb_params.batch_num = sink_size if dataset_sink_mode else dataset_size
        self.batch_num = cb_params.batch_num
        cb_params.mode = "train"
        cb_params.loss_fn = self._loss_fn
        cb_params.optimizer = self._optimizer
        mesh = parallel.data_parallel_mesh()
        cb_params.parallel_mode = get_auto_parallel_context("parallel_mode")
        cb_params.device_number = 1 if mesh is None else mesh.size
        cb_params.train_dataset = train_dataset
        cb_params.list_callback = callbacks
        cb_params.train_dataset_element = None
        cb_params.network = self._network
        cb_params.last_save_ckpt_step = None
        cb_params.latest_ckpt_file = None
        cb_params.loss_scale_mananger = self._loss_scale_manager  # (sic: MindSpore's key)
        cb_params.initial_step = None
        with cb.CallbackManager(callbacks) as list_callback:
            self._check_reuse_dataset(train_dataset)
            self._train_process(epoch, train_dataset, list_callback, cb_params, initial_epoch, valid)

    def _train_process(self, epoch, dataset, list_callback, cb_params, initial_epoch, valid):
        callbacks = cb_params.list_callback
        iterator = dataset.create_tuple_iterator(num_epochs=epoch)  # one pass over it per epoch, as in MindSpore
        self._prepare(self._train_network, True)
        progress = cb.Progress(epoch) if cb.progress_enabled() else None
        cb_params.dataset_sink_mode = False
        run_context = cb.RunContext(cb_params)
        list_callback.on_train_begin(run_context)
        for index in range(initial_epoch, epoch):
            cb_params.cur_epoch_num = index + 1
            list_callback.on_train_epoch_begin(run_context)
            if progress:
                progress.on_train_epoch_begin(run_context)
            for element in iterator:
                count = len(element)
                element = (element,) if isinstance(element, Tensor) else element
                if self._loss_fn and count != 2:
                    raise ValueError("When 'loss_fn' is not None, 'train_dataset' should return two elements, but "
                                     f"got {count}, please check the number of elements returned by "
                                     "'train_dataset'")
                cb_params.cur_step_num += 1
                cb_params.train_dataset_element = element
                list_callback.on_train_step_begin(run_context)
                self._check_network_mode(self._train_network, True)
                cb_params.net_outputs = outputs = self._train_step(element)
                manager = self._loss_scale_manager
                if manager is not None and manager.get_drop_overflow_update():
                    # a loss-scaled step gives (loss, overflow, scale): the manager follows the scale on the host
                    manager.update_loss_scale(bool(outputs[1].asnumpy().all()))
                list_callback.on_train_step_end(run_context)
                if run_context.get_stop_requested():
                    break
            if valid is not None and _should_eval(cb_params.cur_epoch_num, valid[1]):
                self._eval_during_train(valid[0], cb_params, callbacks)
            list_callback.on_train_epoch_end(run_context)
            if progress:
                progress.on_train_epoch_end(run_context)
            cb_params.pop("metrics", None)
            cb_params.pop("eval_results", None)
            if run_context.get_stop_requested():
                break
        list_callback.on_train_end(run_context)

    def _train_step(self, element):
        if context.is_pynative() and parallel.data_parallel_mesh() is not None:
            return run_compiled(self._train_network, element)  # per-device semantics need the compiled step
        return self._train_network(*element)

    # --- eval ---------------------------------------------------------------------------------------------------

    def eval(self, valid_dataset, callbacks=None, dataset_sink_mode=False):
        """Evaluate the metrics over ``valid_dataset``: ``{name: value}``."""
        cb.check_bool(dataset_sink_mode)
        if not self._metric_fns:
            raise ValueError("For Model.eval, the model argument 'metrics' can not be None or empty, "
                             "you should set the argument 'metrics' for model.")
        cb_params = cb.InternalCallbackParam()
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = valid_dataset
        cb_params.batch_num = valid_dataset.get_dataset_size()
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        cb_params.list_callback = self._callback_list(callbacks)
        cb_params.network = self._network
        for metric in self._metric_fns.values():
            metric.clear()
        with cb.CallbackManager(cb_params.list_callback) as list_callback:
            return self._eval_process(valid_dataset, list_callback, cb_params)

    def _eval_during_train(self, valid_dataset, cb_params, callbacks):
        """``fit``'s evaluation: MindSpore's own callbacks other than TimeMonitor sit it out; the training state in
        ``cb_params`` is restored afterwards (``metrics`` and ``eval_results`` stay until the epoch's end)."""
        saved = {key: cb_params.get(key) for key in ("cur_step_num", "batch_num", "dataset_sink_mode", "net_outputs")}
        eval_callbacks = [c for c in callbacks
                          if type(c).__name__ not in cb.BUILTIN_CALLBACK_NAMES or isinstance(c, cb.TimeMonitor)]
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = valid_dataset
        cb_params.batch_num = valid_dataset.get_dataset_size()
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        for metric in self._metric_fns.values():
            metric.clear()
        with cb.CallbackManager(eval_callbacks) as list_callback:
            self._eval_process(valid_dataset, list_callback, cb_params, add_eval_loss=True)
        cb_params.mode = "train"
        cb_params.update(saved)

    def _eval_process(self, dataset, list_callback, cb_params, add_eval_loss=False):
        run_context = cb.RunContext(cb_params)
        cb_params.dataset_sink_mode = False
        list_callback.on_eval_begin(run_context)
        iterator = dataset.create_tuple_iterator(num_epochs=1)
        self._prepare(self._eval_network, False)
        list_callback.on_eval_epoch_begin(run_context)
        for element in iterator:
            cb_params.cur_step_num += 1
            element = (element,) if isinstance(element, Tensor) else element
            cb_params.eval_dataset_element = element
            list_callback.on_eval_step_begin(run_context)
            self._check_network_mode(self._eval_network, False)
            with jit.whole_program():
                outputs = self._eval_network(*element)
            cb_params.net_outputs = outputs
            list_callback.on_eval_step_end(run_context)
            self._update_metrics(outputs)
            if add_eval_loss:
                eval_loss = Loss()  # a new one per batch, as in MindSpore: 'eval_loss' is the last batch's loss
                eval_loss.update(outputs[self._eval_indexes[0]])
            if run_context.get_stop_requested():
                break
        list_callback.on_eval_epoch_end(run_context)
        metrics = {name: metric.eval() for name, metric in self._metric_fns.items()}
        cb_params.metrics = metrics
        if add_eval_loss:
            cb_params.eval_results = {**copy.deepcopy(metrics), "eval_loss": eval_loss.eval()}
        list_callback.on_eval_end(run_context)
        return metrics

    def _update_metrics(self, outputs):
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        if not isinstance(outputs, tuple):
            raise ValueError(f"The argument 'outputs' should be tuple, but got {type(outputs)}.")
        indexes = self._eval_indexes
        if indexes is not None and len(outputs) < 3:
            raise ValueError(f"The length of 'outputs' must be >= 3, but got {len(outputs)}")
        for metric in self._metric_fns.values():
            if indexes is None:
                metric.update(*outputs)
            elif isinstance(metric, Loss):
                metric.update(outputs[indexes[0]])
            else:
                metric.update(outputs[indexes[1]], outputs[indexes[2]])

    # --- predict ------------------------------------------------------------------------------------------------

    def predict(self, *predict_data, backend=None, config=None):
        """The network's output for ``predict_data`` (run in inference mode)."""
        if backend not in ("lite", None):
            raise ValueError(f"For Model.predict, `backend` should be 'lite' or None, but got {backend}")
        self._check_network_mode(self._predict_network, False)
        for item in predict_data:
            if item is None:
                continue
            if isinstance(item, Tensor):
                if item.size == 0:
                    raise ValueError("The input data can not be empty.")
                continue
            if not isinstance(item, (int, float, str)):
                kinds = "Tensor, None, int, float, str"
                raise TypeError(f"The types of input data must be in the Union({kinds}, tuple[{kinds}], "
                                f"list[{kinds}], dict[{kinds}]), but got type {type(item).__name__}.")
        with jit.whole_program():
            result = self._predict_network(*predict_data)
        if result is None:
            raise RuntimeError("The output data can not be None, please check your net or input data.")
        return result
