"""Training callbacks (``mindspore.train``): Callback, RunContext, LossMonitor, TimeMonitor, ModelCheckpoint with
CheckpointConfig, History, LambdaCallback, EarlyStopping, LearningRateScheduler — and msjax's per-epoch progress
line.

The protocol is MindSpore's: ``Model`` calls ``on_train_begin / on_train_epoch_begin / on_train_step_begin /
on_train_step_end / on_train_epoch_end / on_train_end`` (and the ``on_eval_*`` ones), each with a `RunContext` whose
``original_args()`` is a dict with attribute access (``cur_epoch_num``, ``cur_step_num`` — global —, ``batch_num``,
``net_outputs``, ``train_network``, ...). The base class forwards every ``on_train_X``/``on_eval_X`` to the older
name ``X`` (``begin``, ``epoch_end``, ``step_end``, ``end``, ...), so callbacks written either way work — and the
built-in ones that override an old name (TimeMonitor, ModelCheckpoint) also run during ``Model.eval``, as in
MindSpore.

Progress (msjax only): while ``Model.train`` runs, one line per finished epoch goes to stderr (``msjax: epoch 3/10
done, 469 steps in 2.1 s (4.5 ms/step), loss 0.1234``). It is on when stdout is a terminal, off otherwise;
``MSJAX_PROGRESS=0`` turns it off, ``MSJAX_PROGRESS=1`` on. It is written after the epoch's callbacks have run and
after flushing stdout, so it never splits a LossMonitor line.
"""
from __future__ import annotations

import math
import os
import stat
import sys
import time
from contextlib import ExitStack

import numpy as np

from . import dtype as mstype
from .cell import Cell
from .parameter import Parameter
from .tensor import Tensor


# --- argument checks with MindSpore's messages ------------------------------------------------------------------

def check_int(value, minimum=None, strict=False):
    """An int (not a bool) ``> minimum`` (strict) or ``>= minimum``; MindSpore's messages."""
    relation = "" if minimum is None else f" and must {'>' if strict else '>='} {minimum}"
    if isinstance(value, bool) and minimum is not None:
        raise TypeError(f"The input value must be int{relation}, but got '{value}' with type 'bool'.")
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"The input value must be int, but got '{type(value).__name__}'")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise ValueError(f"The input value must be int{relation}, but got '{value}' with type 'int'.")
    return value


def check_bool(value, name=None):
    if not isinstance(value, bool):
        if name:
            raise TypeError(f"The '{name}' must be a bool, but got {type(value).__name__}.")
        raise TypeError(f"The input value must be a bool, but got {type(value).__name__}.")
    return value


# --- protocol ----------------------------------------------------------------------------------------------------

class Callback:
    """Base class of callbacks; a context manager that ``Model`` enters around training or evaluation."""

    def __enter__(self):
        return self

    def __exit__(self, *err):
        """Nothing to release by default."""

    def begin(self, run_context):
        """Before training or evaluation (older name of ``on_train_begin`` / ``on_eval_begin``)."""

    def epoch_begin(self, run_context):
        """Before each epoch."""

    def epoch_end(self, run_context):
        """After each epoch."""

    def step_begin(self, run_context):
        """Before each step."""

    def step_end(self, run_context):
        """After each step."""

    def end(self, run_context):
        """After training or evaluation."""

    def on_train_begin(self, run_context):
        self.begin(run_context)

    def on_train_epoch_begin(self, run_context):
        self.epoch_begin(run_context)

    def on_train_epoch_end(self, run_context):
        self.epoch_end(run_context)

    def on_train_step_begin(self, run_context):
        self.step_begin(run_context)

    def on_train_step_end(self, run_context):
        self.step_end(run_context)

    def on_train_end(self, run_context):
        self.end(run_context)

    def on_eval_begin(self, run_context):
        self.begin(run_context)

    def on_eval_epoch_begin(self, run_context):
        self.epoch_begin(run_context)

    def on_eval_epoch_end(self, run_context):
        self.epoch_end(run_context)

    def on_eval_step_begin(self, run_context):
        self.step_begin(run_context)

    def on_eval_step_end(self, run_context):
        self.step_end(run_context)

    def on_eval_end(self, run_context):
        self.end(run_context)


_HOOKS = ("begin", "epoch_begin", "epoch_end", "step_begin", "step_end", "end",
          "on_train_begin", "on_train_epoch_begin", "on_train_epoch_end", "on_train_step_begin",
          "on_train_step_end", "on_train_end", "on_eval_begin", "on_eval_epoch_begin", "on_eval_epoch_end",
          "on_eval_step_begin", "on_eval_step_end", "on_eval_end")


class CallbackManager(Callback):
    """Calls each hook on every callback in order; entering it enters every callback."""

    def __init__(self, callbacks):
        self._callbacks, self._stack = [], None
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        elif callbacks is not None and not isinstance(callbacks, list):
            raise TypeError("The 'callbacks' is not a Callback or a list of Callback.")
        for callback in callbacks or ():
            if not isinstance(callback, Callback):
                raise TypeError("When the 'callbacks' is a list, the elements in "
                                "'callbacks' must be Callback functions.")
            self._callbacks.append(callback)

    def __enter__(self):
        if self._stack is None:
            self._stack = ExitStack().__enter__()
            entered = []
            for callback in self._callbacks:
                target = self._stack.enter_context(callback)
                entered.append(target if isinstance(target, Callback) else callback)
            self._callbacks = entered
        return self

    def __exit__(self, *err):
        return self._stack.__exit__(*err)


def _dispatch(name):
    def hook(self, run_context):
        for callback in self._callbacks:
            getattr(callback, name)(run_context)
    hook.__name__ = name
    return hook


for _name in _HOOKS:
    setattr(CallbackManager, _name, _dispatch(_name))


class InternalCallbackParam(dict):
    """``run_context.original_args()``: a dict whose keys are also attributes (a missing one is a KeyError)."""

    def __getattr__(self, key):
        return self[key]

    def __setattr__(self, key, value):
        self[key] = value


class RunContext:
    """What callbacks receive: ``original_args()`` (the shared state dict) and ``request_stop()``."""

    def __init__(self, original_args):
        if not isinstance(original_args, dict):
            raise TypeError("The argument 'original_args' of RunContext should be dict type, "
                            f"but got {type(original_args)}.")
        self._original_args = original_args
        self._stop_requested = False

    def original_args(self):
        return self._original_args

    def request_stop(self):
        """Ask ``Model.train``/``eval`` to stop after the current step."""
        self._stop_requested = True

    def get_stop_requested(self):
        return self._stop_requested


def _loss_value(outputs):
    """The loss a monitor shows: a Tensor's mean as a Python float; the first Tensor of a tuple output as is."""
    if isinstance(outputs, (tuple, list)):
        if isinstance(outputs[0], Tensor):
            return outputs[0]
        return outputs
    if isinstance(outputs, Tensor):
        return float(np.mean(outputs.asnumpy()))
    return outputs


# --- monitors ----------------------------------------------------------------------------------------------------

class LossMonitor(Callback):
    """Prints ``epoch: E step: S, loss is L`` (S within the epoch) whenever the global step has advanced by
    ``per_print_times`` since the last print; 0 prints nothing. A NaN or infinite loss stops training."""

    def __init__(self, per_print_times=1):
        super().__init__()
        self._per_print_times = check_int(per_print_times, 0)
        self._last_print_time = 0

    def step_end(self, run_context):
        cb_params = run_context.original_args()
        epoch = cb_params.get("cur_epoch_num", 1)
        loss = _loss_value(cb_params.net_outputs)
        step_in_epoch = (cb_params.cur_step_num - 1) % cb_params.batch_num + 1
        if isinstance(loss, float) and (np.isnan(loss) or np.isinf(loss)):
            raise ValueError(f"In epoch: {epoch} step: {step_in_epoch}, loss is NAN or INF, training process cannot "
                             "continue, terminating training.")
        if not self._per_print_times:
            return
        while cb_params.cur_step_num <= self._last_print_time:  # the step counter went back (a new train call)
            self._last_print_time -= max(self._per_print_times,
                                         cb_params.batch_num if cb_params.dataset_sink_mode else 1)
        if cb_params.cur_step_num - self._last_print_time >= self._per_print_times:
            self._last_print_time = cb_params.cur_step_num
            print(f"epoch: {epoch} step: {step_in_epoch}, loss is {loss}", flush=True)

    def on_train_epoch_end(self, run_context):
        metrics = run_context.original_args().get("metrics")
        if metrics:
            print(f"Eval result: epoch {run_context.original_args().cur_epoch_num}, metrics: {metrics}")


class TimeMonitor(Callback):
    """Prints ``Train epoch time: T ms, per step time: t ms`` after each epoch (``Eval ...`` in ``Model.eval``);
    ``data_time=True`` adds the mean time spent fetching data."""

    def __init__(self, data_size=None, data_time=False):
        super().__init__()
        self.data_size = data_size
        self.epoch_time = time.time()
        self.data_time = check_bool(data_time, "data_time")
        self.data_time_sum = 0.0
        self.data_time_start = 0.0

    def on_train_step_begin(self, run_context):
        if self.data_time:
            self.data_time_sum += time.time() - self.data_time_start

    def on_train_step_end(self, run_context):
        if self.data_time:
            self.data_time_start = time.time()

    def epoch_begin(self, run_context):
        self.epoch_time = time.time()
        if self.data_time:
            self.data_time_sum = 0.0
            self.data_time_start = time.time()

    def epoch_end(self, run_context):
        epoch_ms = (time.time() - self.epoch_time) * 1000
        cb_params = run_context.original_args()
        steps = self.data_size
        batch_num = cb_params.get("batch_num")
        if isinstance(batch_num, int) and batch_num > 0:
            steps = batch_num
        check_int(steps, 0, strict=True)
        line = f"{cb_params.get('mode', '').title()} epoch time: {epoch_ms:5.3f} ms, per step time: " \
               f"{epoch_ms / steps:5.3f} ms"
        if self.data_time:
            line += f" (data time: {self.data_time_sum * 1000 / steps:5.3f} ms)"
        print(line, flush=True)


class History(Callback):
    """Records each epoch's network output (the loss) and any metrics into ``history``; ``epoch`` lists epochs."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = None

    def begin(self, run_context):
        self.epoch = {"epoch": []}

    def epoch_end(self, run_context):
        cb_params = run_context.original_args()
        self.epoch["epoch"].append(cb_params.get("cur_epoch_num", 1))
        output = cb_params.net_outputs
        if isinstance(output, (tuple, list)) and isinstance(output[0], Tensor):
            output = output[0]
        if isinstance(output, Tensor):
            output = np.mean(output.asnumpy())
        record = {"net_output": output}
        record.update(cb_params.get("metrics") or {})
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)


class LambdaCallback(Callback):
    """A callback made of the functions given for some of the ``on_train_*`` / ``on_eval_*`` hooks."""

    def __init__(self, on_train_epoch_begin=None, on_train_epoch_end=None, on_train_step_begin=None,
                 on_train_step_end=None, on_train_begin=None, on_train_end=None,
                 on_eval_epoch_begin=None, on_eval_epoch_end=None, on_eval_step_begin=None,
                 on_eval_step_end=None, on_eval_begin=None, on_eval_end=None):
        super().__init__()
        for name, fn in dict(locals()).items():
            if name.startswith("on_"):
                setattr(self, name, fn or _ignore)


def _ignore(run_context):
    """A hook LambdaCallback was not given."""


# The callbacks of ``mindspore.train.callback.__all__``: ``Model.fit`` leaves them (but TimeMonitor) out of its
# evaluations.
BUILTIN_CALLBACK_NAMES = ("Callback", "LossMonitor", "TimeMonitor", "ModelCheckpoint", "FlopsUtilizationCollector",
                          "SummaryCollector", "CheckpointConfig", "RunContext", "LearningRateScheduler",
                          "SummaryLandscape", "History", "LambdaCallback", "ReduceLROnPlateau", "EarlyStopping",
                          "OnRequestExit", "BackupAndRestore", "TrainFaultTolerance")


# --- early stopping and learning-rate scheduling ----------------------------------------------------------------

# Monitored quantities that improve by decreasing under mode='auto'.
_SMALLER_BETTER = ("hausdorff_distance", "mae", "mse", "loss", "perplexity", "mean_surface_distance",
                   "root_mean_square_distance", "eval_loss")


def _check_value_type(name, value, types, type_names):
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise TypeError(f"The type of '{name}' should be {type_names}, but got type '{type(value).__name__}'.")
    return value


class EarlyStopping(Callback):
    """``EarlyStopping(monitor='eval_loss', min_delta=0, patience=0, verbose=False, mode='auto', baseline=None,
    restore_best_weights=False)``: at each training epoch's end, stops training once ``monitor`` ('loss' — the
    train output —, or a key of the epoch's eval results: 'eval_loss' or a metric name, available under
    ``Model.fit`` with a ``valid_dataset``) has not improved by more than ``min_delta`` for ``patience`` epochs.

    MindSpore's quirks are kept: a truthy ``baseline`` is replaced by ``min_delta``; a monitored value of 0 (or a
    missing one) skips the epoch; the epoch counter grows before the comparison, so ``patience=0`` stops after the
    first epoch."""

    def __init__(self, monitor="eval_loss", min_delta=0, patience=0, verbose=False, mode="auto", baseline=None,
                 restore_best_weights=False):
        super().__init__()
        self.monitor = _check_value_type("monitor", monitor, (str,), "'str'")
        min_delta = _check_value_type("min_delta", min_delta, (float, int), "one of '['float', 'int']'")
        self.min_delta = abs(min_delta)
        self.patience = check_int(patience, 0)
        self.verbose = check_bool(verbose)
        self.mode = _check_value_type("mode", mode, (str,), "'str'")
        self.baseline = min_delta if baseline else None
        self.restore_best_weights = check_bool(restore_best_weights)
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights_param_dict = None
        if self.mode not in ("auto", "min", "max"):
            raise ValueError(f"mode should be 'auto', 'min' or 'max', but got {self.mode}.")
        self._minimize = self.mode == "min" or (self.mode == "auto" and self.monitor in _SMALLER_BETTER)
        self.best = np.inf if self._minimize else -np.inf

    def is_improvement(self, value, reference):
        if self._minimize:
            return np.less(value, reference - self.min_delta)
        return np.greater(value, reference + self.min_delta)

    def on_train_begin(self, run_context):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self._minimize else -np.inf
        self.best_weights_param_dict = None

    def on_train_epoch_end(self, run_context):
        cb_params = run_context.original_args()
        current = self._monitor_value(cb_params)
        if current is None:
            return
        network = cb_params.train_network
        if self.restore_best_weights and self.best_weights_param_dict is None:
            self.best_weights_param_dict = _copy_parameters(network)
        self.wait += 1
        if self.is_improvement(current, self.best):
            self.best = current
            if self.restore_best_weights:
                self.best_weights_param_dict = _copy_parameters(network)
            if self.baseline is None or self.is_improvement(current, self.baseline):
                self.wait = 0
        if self.wait >= self.patience:
            self.stopped_epoch = cb_params.get("cur_epoch_num")
            run_context.request_stop()
            if self.restore_best_weights and self.best_weights_param_dict is not None:
                if self.verbose:
                    print("Restoring model weights from the end of the best epoch.")
                from .checkpoint import load_param_into_net
                load_param_into_net(network, self.best_weights_param_dict)

    def on_train_end(self, run_context):
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch:05d}: early stopping")

    def _monitor_value(self, cb_params):
        candidates = {}
        if self.monitor == "loss":
            value = _loss_value(cb_params.get("net_outputs"))
        else:
            candidates = cb_params.get("eval_results", {})
            value = candidates.get(self.monitor)
        if value is None:
            print(f"[WARNING] Early stopping is conditioned on {self.monitor}, which is not available. Available "
                  f"choices are: {set(['loss'] + list(candidates))}", file=sys.stderr)
        if isinstance(value, Tensor):
            value = value.asnumpy()
        if isinstance(value, np.ndarray) and value.shape != ():
            raise ValueError("EarlyStopping only supports scalar monitor now.")
        return np.array(value) if value else None


def _copy_parameters(network):
    """``{name: Parameter}``: copies of the network's current values (what ``load_param_into_net`` restores)."""
    return {name: Parameter(Tensor(param.asnumpy()), name=name) for name, param in network.parameters_dict().items()}


class LearningRateScheduler(Callback):
    """``LearningRateScheduler(learning_rate_function)``: after each step, sets the optimizer's learning rate to
    ``learning_rate_function(lr, cur_step_num)`` (``lr`` the current rate as a Python float) when it changed."""

    def __init__(self, learning_rate_function):
        super().__init__()
        self.learning_rate_function = learning_rate_function

    def step_end(self, run_context):
        cb_params = run_context.original_args()
        learning_rate = cb_params.optimizer.learning_rate
        # the float32 rate as numpy prints it, as MindSpore reads it (0.1, not 0.10000000149011612)
        lr = float(np.array2string(learning_rate.asnumpy()))
        new_lr = self.learning_rate_function(lr, cb_params.cur_step_num)
        if not math.isclose(lr, new_lr, rel_tol=1e-10):
            from .functional import assign
            assign(learning_rate, Tensor(new_lr, mstype.float32))


# --- checkpoints -------------------------------------------------------------------------------------------------

_APPEND_INFO_NAMES = ["epoch_num", "step_num"]


class CheckpointConfig:
    """When ``ModelCheckpoint`` saves (every ``save_checkpoint_steps`` steps, or every ``save_checkpoint_seconds``)
    and how many files it keeps (``keep_checkpoint_max``, or one per ``keep_checkpoint_per_n_minutes``)."""

    def __init__(self, save_checkpoint_steps=1, save_checkpoint_seconds=0, keep_checkpoint_max=5,
                 keep_checkpoint_per_n_minutes=0, integrated_save=True, async_save=False, saved_network=None,
                 append_info=None, enc_key=None, enc_mode="AES-GCM", exception_save=False, crc_check=False,
                 remove_redundancy=False, format="ckpt", **kwargs):
        steps, seconds, keep_max, keep_minutes = (
            None if v is None else check_int(v, 0)
            for v in (save_checkpoint_steps, save_checkpoint_seconds, keep_checkpoint_max,
                      keep_checkpoint_per_n_minutes))
        if saved_network is not None and not isinstance(saved_network, Cell):
            raise TypeError("For 'CheckpointConfig', the type of 'saved_network' must be None or Cell, "
                            f"but got {type(saved_network)}.")
        if not steps and not seconds and not keep_max and not keep_minutes:
            raise ValueError("For 'CheckpointConfig', the input arguments 'save_checkpoint_steps', "
                             "'save_checkpoint_seconds', 'keep_checkpoint_max' and 'keep_checkpoint_per_n_minutes' "
                             "can't be all None or 0.")
        self.exception_save = check_bool(exception_save)
        self._save_checkpoint_steps = steps
        self._save_checkpoint_seconds = None if steps else seconds  # steps win over seconds
        self._keep_checkpoint_max = keep_max
        self._keep_checkpoint_per_n_minutes = keep_minutes
        if keep_max:
            self._keep_checkpoint_per_n_minutes = None  # a file count wins over a time policy
        elif not keep_minutes:
            self._keep_checkpoint_max = 1
        self._integrated_save = check_bool(integrated_save)
        if not isinstance(async_save, (bool, str)):
            raise TypeError("For 'save_checkpoint', the parameter 'async_save' must be bool or str, "
                            f"but got {type(async_save)}.")
        if isinstance(async_save, str) and async_save not in ("process", "thread"):
            raise ValueError("For 'save_checkpoint', the argument 'async_save' can only be 'process' or 'thread',"
                             f"but got {async_save}.")
        self._async_save = async_save
        self._saved_network = saved_network
        self._append_dict = self._handle_append_info(append_info)
        self._enc_key = _check_type("enc_key", enc_key, (type(None), bytes))
        self._enc_mode = _check_type("enc_mode", enc_mode, str)
        self._crc_check = _check_type("crc_check", crc_check, bool)
        self._format = _check_type("format", format, str)
        self._map_param_inc = kwargs.get("incremental", False)
        self.enable_redundance = kwargs.get("enable_redundance", False)
        self.remove_redundancy = _check_type("remove_redundancy", remove_redundancy, bool)
        if format == "safetensors" and (enc_key is not None or enc_mode != "AES-GCM" or crc_check or exception_save
                                        or self._map_param_inc):
            raise ValueError("For 'save_checkpoint', when format is 'safetensors', other param must be default.")

    save_checkpoint_steps = property(lambda self: self._save_checkpoint_steps)
    save_checkpoint_seconds = property(lambda self: self._save_checkpoint_seconds)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_per_n_minutes = property(lambda self: self._keep_checkpoint_per_n_minutes)
    integrated_save = property(lambda self: self._integrated_save)
    async_save = property(lambda self: self._async_save)
    saved_network = property(lambda self: self._saved_network)
    enc_key = property(lambda self: self._enc_key)
    enc_mode = property(lambda self: self._enc_mode)
    crc_check = property(lambda self: self._crc_check)
    format = property(lambda self: self._format)
    append_dict = property(lambda self: self._append_dict)
    map_param_inc = property(lambda self: self._map_param_inc)

    def get_checkpoint_policy(self):
        return {"save_checkpoint_steps": self.save_checkpoint_steps,
                "save_checkpoint_seconds": self.save_checkpoint_seconds,
                "keep_checkpoint_max": self.keep_checkpoint_max,
                "keep_checkpoint_per_n_minutes": self.keep_checkpoint_per_n_minutes,
                "saved_network": self.saved_network}

    @staticmethod
    def _handle_append_info(append_info):
        if append_info is None or append_info == []:
            return None
        if not isinstance(append_info, list):
            raise TypeError(f"For 'CheckpointConfig', the type of 'append_info' must be list,but got "
                            f"{type(append_info)}.")
        handled = {name: 0 for name in _APPEND_INFO_NAMES if name in append_info}
        dicts = 0
        for element in append_info:
            if not isinstance(element, (str, dict)):
                raise TypeError("For 'CheckpointConfig', the type of 'append_info' element must be str or dict,"
                                f"but got {type(element)}.")
            if isinstance(element, str) and element not in _APPEND_INFO_NAMES:
                raise ValueError("For 'CheckpointConfig', the value of element in the argument 'append_info' must "
                                 f"be in {_APPEND_INFO_NAMES}, but got {element}.")
            if isinstance(element, dict):
                dicts += 1
                if dicts > 1:
                    raise TypeError("For 'CheckpointConfig', the element of 'append_info' must has only one dict, "
                                    "but got {dict_num}")
                for key, value in element.items():
                    if not (isinstance(key, str) and isinstance(value, (int, float, bool, str, Parameter, Tensor))):
                        raise TypeError("For 'CheckpointConfig', the key type of the dict 'append_info' must be "
                                        "string, the value type must be int or float or bool, but got key type "
                                        f"{type(key)}, value type {type(value)}")
                    handled[key] = value
        return handled


def _check_type(name, value, types):
    if not isinstance(value, types):
        raise ValueError(f"The parameter '{name}' must be isinstance of {types}, but got {value}.")
    return value


def _make_directory(path):
    """The absolute path of ``path``, created (mode 0700) if missing."""
    if not isinstance(path, str):
        raise TypeError("The path is invalid, the type should be string.")
    if path.strip() == "":
        raise ValueError("The path is invalid, it should be non-blank.")
    path = os.path.realpath(path)
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise NotADirectoryError(f"The path({path}) is a file path, it should be a directory path.")
    else:
        os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _unused_prefix(directory, prefix):
    """``prefix``, or ``prefix_N`` when checkpoints named ``prefix-...`` (or ``prefix_K-...``) are already there, so
    a new run never overwrites or prunes an old run's files."""
    suffix = 0
    for filename in os.listdir(directory):
        if os.path.splitext(filename)[1] not in (".ckpt", ".safetensors") or filename.endswith("_breakpoint.ckpt"):
            continue
        if not filename.startswith(prefix) or len(filename) == len(prefix) or filename[len(prefix)].isalpha():
            continue
        rest = filename[len(prefix):]
        dash = rest.find("-")
        if dash == 0:
            suffix = max(suffix, 1)
        elif dash != -1 and rest[1:dash].isdigit():
            suffix = max(suffix, int(rest[1:dash]) + 1)
    return f"{prefix}_{suffix}" if suffix else prefix


class _CheckpointFiles:
    """The checkpoint files of one prefix in a directory; removes the oldest ones."""

    def __init__(self, fmt="ckpt"):
        self.files = []
        self._format = fmt

    def refresh(self, directory, prefix):
        extension = f".{self._format}"
        self.files = []
        for filename in os.listdir(directory):
            if os.path.splitext(filename)[1] == extension and filename.startswith(prefix + "-"):
                middle = filename[len(prefix):-len(extension)]
                if not any(char.isalpha() for char in middle):
                    self.files.append(os.path.join(directory, filename))

    def remove(self, path):
        try:
            os.chmod(path, stat.S_IWRITE)  # checkpoints are written read-only
            os.remove(path)
            self.files.remove(path)
        except (OSError, ValueError) as error:
            print(f"[WARNING] failed to remove the older ckpt file {path}: {error}", file=sys.stderr)

    def remove_oldest(self):
        self.remove(min(self.files, key=os.path.getmtime))

    def keep_one_per_minutes(self, minutes, now):
        recent = [f for f in self.files if now - os.path.getmtime(f) < 60 * minutes]
        oldest = min(recent, key=os.path.getmtime, default=None)
        for path in recent:
            if path != oldest:
                self.remove(path)


class ModelCheckpoint(Callback):
    """Saves the training network (weights and optimizer state) as ``<prefix>-<epoch>_<step>.ckpt`` in
    ``directory`` (the current directory by default) on the schedule of ``config``, and once more at the end of
    training; old files beyond the config's limit are deleted."""

    def __init__(self, prefix="CKP", directory=None, config=None):
        super().__init__()
        self._latest_ckpt_file_name = ""
        self._last_time = time.time()
        self._last_time_for_keep = time.time()
        self._last_triggered_step = 0
        if not callable(prefix) and (not isinstance(prefix, str) or "/" in prefix):
            raise ValueError("For 'ModelCheckpoint', the argument 'prefix' for checkpoint file name is invalid, it "
                             f"must be callable or string that does not contain '/', but got {prefix}.")
        self._prefix = prefix
        self._prefix_func = prefix if callable(prefix) else None
        self._directory_func = directory if callable(directory) else None
        if directory is None:
            self._directory = os.getcwd()
        elif not callable(directory):
            self._directory = _make_directory(directory)
        if config is None:
            config = CheckpointConfig()
        elif not isinstance(config, CheckpointConfig):
            raise TypeError("For 'ModelCheckpoint', the type of argument 'config' should be 'CheckpointConfig', "
                            f"but got {type(config)}.")
        self._config = config
        self._files = _CheckpointFiles(config.format)
        if not callable(directory) and not callable(prefix):
            self._prefix = _unused_prefix(self._directory, self._prefix)
        self._append_dict = config.append_dict or {}
        self._append_epoch_num = self._append_dict.get("epoch_num", 0)
        self._append_step_num = self._append_dict.get("step_num", 0)

    def step_end(self, run_context):
        cb_params = run_context.original_args()
        if self._prefix_func:
            self._prefix = self._prefix_func(cb_params)
            if not isinstance(self._prefix, str) or "/" in self._prefix:
                raise ValueError("For 'ModelCheckpoint', the argument 'prefix' for checkpoint file name is "
                                 "callable, it must return a string that does not contain '/', but got "
                                 f"{self._prefix}.")
        if self._directory_func:
            self._directory = _make_directory(self._directory_func(cb_params))
        self._save(cb_params)

    def end(self, run_context):
        self._save(run_context.original_args(), force=True)

    def _due(self, cb_params, force):
        config = self._config
        if config.save_checkpoint_steps:
            return force or cb_params.cur_step_num >= self._last_triggered_step + config.save_checkpoint_steps
        if config.save_checkpoint_seconds:
            now = time.time()
            if now - self._last_time > config.save_checkpoint_seconds or force:
                self._last_time = now
                return True
        return False

    def _save(self, cb_params, force=False):
        if cb_params.cur_step_num == self._last_triggered_step or not self._due(cb_params, force):
            return
        config = self._config
        step_in_epoch = (cb_params.cur_step_num - 1) % cb_params.batch_num + 1
        if self._prefix_func:
            filename = f"{self._prefix}.{config.format}"
        else:
            filename = f"{self._prefix}-{cb_params.cur_epoch_num}_{step_in_epoch}.{config.format}"
        self._files.refresh(self._directory, self._prefix)
        if config.keep_checkpoint_max and 0 < config.keep_checkpoint_max <= len(self._files.files):
            self._files.remove_oldest()
        elif config.keep_checkpoint_per_n_minutes:
            now = time.time()
            if now - self._last_time_for_keep < config.keep_checkpoint_per_n_minutes * 60:
                self._files.keep_one_per_minutes(config.keep_checkpoint_per_n_minutes, now)
        path = os.path.join(self._directory, filename)
        self._last_time_for_keep = time.time()
        self._last_triggered_step = cb_params.cur_step_num
        if "epoch_num" in self._append_dict:
            self._append_dict["epoch_num"] = self._append_epoch_num + cb_params.cur_epoch_num
        if "step_num" in self._append_dict:
            self._append_dict["step_num"] = self._append_step_num + cb_params.cur_step_num
        network = config.saved_network if config.saved_network is not None else cb_params.train_network
        from .checkpoint import save_checkpoint
        save_checkpoint(network, path, config.integrated_save, config.async_save, self._append_dict,
                        config.enc_key, config.enc_mode, crc_check=config.crc_check, format=config.format)
        self._latest_ckpt_file_name = path

    @property
    def latest_ckpt_file_name(self):
        """The path of the last checkpoint written."""
        return self._latest_ckpt_file_name


# --- msjax's progress line --------------------------------------------------------------------------------------

def progress_enabled() -> bool:
    """MSJAX_PROGRESS=0/1 decides; unset, progress shows when stdout is a terminal."""
    setting = os.environ.get("MSJAX_PROGRESS", "").strip()
    if setting:
        return setting not in ("0", "false", "False", "off")
    return sys.stdout.isatty()


class Progress(Callback):
    """One stderr line per finished training epoch (msjax only; see the module docstring)."""

    def __init__(self, total_epochs, stream=None):
        self._total = total_epochs
        self._stream = stream
        self._start = 0.0
        self._first_step = 0

    def on_train_epoch_begin(self, run_context):
        self._start = time.perf_counter()
        self._first_step = run_context.original_args().cur_step_num

    def on_train_epoch_end(self, run_context):
        cb_params = run_context.original_args()
        seconds = time.perf_counter() - self._start
        steps = cb_params.cur_step_num - self._first_step
        line = f"msjax: epoch {cb_params.cur_epoch_num}/{self._total} done, {steps} steps in " \
               f"{seconds:.1f} s ({1000 * seconds / max(steps, 1):.1f} ms/step)"
        loss = _loss_value(cb_params.get("net_outputs"))
        if isinstance(loss, float):
            line += f", loss {loss:.4f}"
        sys.stdout.flush()
        stream = self._stream or sys.stderr
        print(line, file=stream, flush=True)
