"""Runs an accelerator job (written by `restore train --export-job`) on a PyTorch device for a
time budget and writes a checkpoint that `restore train --resume` (same options) validates and
publishes. The step graph is this project's own (forward, loss, gradients, Adam with clipping);
PyTorch only executes it (onnx_torch.py), captured once in a CUDA graph when the device allows.

Before training it checks the executor against ONNX Runtime's result for the same step
(check.bin, computed by the exporting side) and, where the `onnxruntime` package is installed,
against onnxruntime on the first batch; a mismatch stops the job.

usage: python3 run_job.py --job DIR --data DATA_ROOT --out CKPT [--minutes M] [--device cuda]
                          [--log FILE] [--no-cuda-graph]
The learning-rate schedule is the job's (linear warm-up, cosine to 5%), with its total number of
steps set from the measured step time so that the cosine ends when the budget does.
"""
import argparse
import contextlib
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_io import read_checkpoint, write_checkpoint  # noqa: E402
from data_torch import BatchMaker  # noqa: E402
from onnx_torch import GraphExecutor, load_graph, relative_error  # noqa: E402

# Relative errors allowed against ONNX Runtime (float32 sums in another order; TF32 on GPUs).
CHECK_TOL = {"cpu": 1e-3, "cuda": 2e-2}


def learning_rate(sched, step, total):
    base, warm, minf = sched["base"], sched["warmupSteps"], sched["minFactor"]
    if warm > 0 and step < warm:
        return base * (step + 1) / warm
    span = max(1, total - warm)
    p = min(1.0, max(0.0, (step - warm) / span))
    return base * (minf + (1 - minf) * 0.5 * (1 + math.cos(math.pi * p)))


class Log:
    def __init__(self, path, name):
        self.f = open(path, "a") if path else None
        self.name = name

    def __call__(self, **event):
        event = {"job": self.name, "time": round(time.time(), 1), **event}
        line = json.dumps(event)
        print(line, flush=True)
        if self.f:
            self.f.write(line + "\n")
            self.f.flush()


class Stepper:
    """Training state on the device and one step = one run of the step graph."""

    def __init__(self, exe, job, params, m, v, device):
        self.exe, self.job, self.device = exe, job, device
        io = job["io"]
        self.io = io
        self.state = {}
        for s in io["slots"]:
            self.state[s["name"]] = torch.from_numpy(params[s["name"]].reshape(self._dims(s["name"]))).to(device)
            self.state[s["m"]] = torch.from_numpy(m[s["name"]].reshape(self._dims(s["name"]))).to(device)
            self.state[s["v"]] = torch.from_numpy(v[s["name"]].reshape(self._dims(s["name"]))).to(device)
        self.lr = torch.zeros((), dtype=torch.float32, device=device)
        self.t = torch.zeros((), dtype=torch.float32, device=device)
        self.graph = None
        self.static_in = None
        self.static_out = None

    def _dims(self, name):
        for p in self.job["params"]:
            if p["name"] == name:
                return p["dims"]
        raise KeyError(name)

    def feeds(self, batch_inputs, target):
        f = dict(self.state)
        f.update(batch_inputs)
        f[self.io["target"]] = target
        f[self.io["lr"]] = self.lr
        f[self.io["t"]] = self.t
        return f

    def pairs(self):
        for s in self.io["slots"]:
            yield s["name"], s["pNext"]
            yield s["m"], s["mNext"]
            yield s["v"], s["vNext"]

    def run_eager(self, batch_inputs, target):
        return self.exe.run(self.feeds(batch_inputs, target))

    def _graph_body(self):
        out = self.exe.run(self.static_in)
        for cur, nxt in self.pairs():
            self.state[cur].copy_(out[nxt])
        return {self.io["loss"]: out[self.io["loss"]], self.io["gradNorm"]: out[self.io["gradNorm"]]}

    def capture(self, batch_inputs, target):
        """Captures one whole step (graph run + state update) in a CUDA graph; state is restored."""
        saved = {k: x.clone() for k, x in self.state.items()}
        self.static_in = self.feeds({k: x.clone() for k, x in batch_inputs.items()}, target.clone())
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(2):
                self._graph_body()
        torch.cuda.current_stream().wait_stream(side)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            self.static_out = self._graph_body()
        self.graph = g
        for k, x in saved.items():
            self.state[k].copy_(x)

    def step(self, batch_inputs, target, lr, t):
        self.lr.fill_(lr)
        self.t.fill_(t)
        if self.graph is not None:
            for k, x in batch_inputs.items():
                self.static_in[k].copy_(x)
            self.static_in[self.io["target"]].copy_(target)
            self.graph.replay()
            return self.static_out[self.io["loss"]], self.static_out[self.io["gradNorm"]]
        out = self.run_eager(batch_inputs, target)
        for cur, nxt in self.pairs():
            self.state[cur] = out[nxt]
        return out[self.io["loss"]], out[self.io["gradNorm"]]

    def snapshot(self):
        get = lambda k: self.state[k].detach().float().cpu().numpy().reshape(-1).copy()  # noqa: E731
        p = {s["name"]: get(s["name"]) for s in self.io["slots"]}
        m = {s["name"]: get(s["m"]) for s in self.io["slots"]}
        v = {s["name"]: get(s["v"]) for s in self.io["slots"]}
        return p, m, v


@contextlib.contextmanager
def exact_float32():
    """TF32 off for the reference checks: near convergence the gradients are small and TF32
    convolutions moved a resumed job's gradient norm 6% from float32 (training keeps TF32 on)."""
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def check_against_reference(job_dir, job, stepper, device, log):
    """Compares one executor step with ONNX Runtime's (check.bin from the exporting side)."""
    with open(os.path.join(job_dir, "check.json")) as f:
        check = json.load(f)
    tol = CHECK_TOL["cuda" if str(device).startswith("cuda") else "cpu"]
    if check.get("data") is None:
        log(event="check", source="check.json", skipped="reference batch too large to ship; see the onnxruntime check")
        return
    raw = np.fromfile(os.path.join(job_dir, "check.bin"), dtype="<f4")
    off = 0
    feeds = {}
    shapes = dict(job["inputShapes"])
    shapes[job["io"]["target"]] = job["targetShape"]
    for name in check["data"]["feeds"]:
        n = int(np.prod(shapes[name]))
        feeds[name] = torch.from_numpy(raw[off:off + n].reshape(shapes[name]).copy()).to(device)
        off += n
    target = feeds.pop(job["io"]["target"])
    stepper.lr.fill_(check["lr"])
    stepper.t.fill_(check["t"])
    out = stepper.run_eager(feeds, target)
    errs = {"loss": abs(float(out[job["io"]["loss"]]) - check["loss"]) / max(1e-12, abs(check["loss"])),
            "gradNorm": abs(float(out[job["io"]["gradNorm"]]) - check["gradNorm"]) / max(1e-12, abs(check["gradNorm"]))}
    worst = 0.0
    for s in job["io"]["slots"]:
        n = int(np.prod(stepper._dims(s["name"])))
        ref = torch.from_numpy(raw[off:off + n].copy())
        off += n
        got = out[s["mNext"]].detach().cpu().reshape(-1)
        worst = max(worst, relative_error(got, ref) if float(ref.norm()) > 0 else float(got.norm()))
    errs["gradients"] = worst
    ok = all(e <= tol for e in errs.values())
    log(event="check", source="check.bin (onnxruntime, exporting side)", ok=ok, tol=tol, **{k: float(f"{e:.3g}") for k, e in errs.items()})
    if not ok:
        raise SystemExit(f"executor disagrees with onnxruntime: {errs}")


def check_against_onnxruntime(job_dir, job, stepper, batch_inputs, target, device, log, step, lr):
    try:
        import onnxruntime as ort
    except ImportError:
        log(event="check", source="onnxruntime", skipped="onnxruntime not installed")
        return
    model = os.path.join(job_dir, "step.onnx")
    if not os.path.exists(model):
        log(event="check", source="onnxruntime", skipped="no step.onnx in the job")
        return
    t0 = time.time()
    so = ort.SessionOptions()
    so.intra_op_num_threads = max(1, (os.cpu_count() or 2) // 2)
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    feeds = {k: x.detach().cpu().numpy() for k, x in stepper.feeds(batch_inputs, target).items()}
    feeds[job["io"]["lr"]] = np.array(lr, dtype=np.float32)
    feeds[job["io"]["t"]] = np.array(step + 1, dtype=np.float32)
    names = [job["io"]["loss"], job["io"]["gradNorm"]]
    ref = dict(zip(names, sess.run(names, feeds)))
    stepper.lr.fill_(lr)
    stepper.t.fill_(step + 1)
    out = stepper.run_eager(batch_inputs, target)
    errs = {k: abs(float(out[k]) - float(ref[k])) / max(1e-12, abs(float(ref[k]))) for k in names}
    tol = CHECK_TOL["cuda" if str(device).startswith("cuda") else "cpu"]
    ok = all(e <= tol for e in errs.values())
    log(event="check", source="onnxruntime CPU, first batch", ok=ok, tol=tol, seconds=round(time.time() - t0, 1),
        loss=float(out[names[0]]), ortLoss=float(ref[names[0]]), **{("err_" + k.split("/")[-1]): float(f"{e:.3g}") for k, e in errs.items()})
    if not ok:
        raise SystemExit(f"executor disagrees with onnxruntime on the first batch: {errs}")


def read_start(job_dir, job):
    """Starting state: init.ckpt (a resumed run) or init-params.bin with zero moments (fresh)."""
    ck = os.path.join(job_dir, "init.ckpt")
    if os.path.exists(ck):
        meta, names, params, m, v, _best = read_checkpoint(ck)
        return meta, names, params, m, v
    raw = np.fromfile(os.path.join(job_dir, "init-params.bin"), dtype="<f4")
    names, params, off = [], {}, 0
    for p in job["params"]:
        params[p["name"]] = raw[off:off + p["size"]].copy()
        names.append(p["name"])
        off += p["size"]
    if off != raw.size:
        raise SystemExit(f"{job_dir}/init-params.bin: {raw.size} values, the job's parameters need {off}")
    zeros = lambda: {n: np.zeros_like(x) for n, x in params.items()}  # noqa: E731
    return dict(job["initMeta"]), names, params, zeros(), zeros()


# A file brought back from the device machine may be 16 MiB at most: larger weights go in parts.
PARAMS_PART_BYTES = 15 * 1024 * 1024


def write_params(path, blob):
    """The weights at `path`, or, over PARAMS_PART_BYTES, at path.1, path.2, ... (params_to_ckpt.py
    takes the parts in order); each file replaced atomically."""
    parts = [blob] if len(blob) <= PARAMS_PART_BYTES else [blob[i:i + PARAMS_PART_BYTES] for i in range(0, len(blob), PARAMS_PART_BYTES)]
    for k, part in enumerate(parts):
        target = path if len(parts) == 1 else f"{path}.{k + 1}"
        with open(f"{target}.tmp", "wb") as f:
            f.write(part)
        os.replace(f"{target}.tmp", target)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--log")
    ap.add_argument("--name", default=None)
    ap.add_argument("--no-cuda-graph", action="store_true")
    ap.add_argument("--params-out", help="also write the weights alone (float32 in job order, as init-params.bin) at every checkpoint: small enough to bring back; over 15 MiB in parts FILE.1, FILE.2, ...")
    ap.add_argument("--checkpoint-seconds", type=float, default=60)
    ap.add_argument("--log-every", type=int, default=100)
    a = ap.parse_args()
    t_start = time.time()
    deadline = t_start + a.minutes * 60
    log = Log(a.log, a.name or os.path.basename(os.path.normpath(a.job)))
    device = torch.device(a.device)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    with open(os.path.join(a.job, "job.json")) as f:
        job = json.load(f)
    graph, blob = load_graph(os.path.join(a.job, "graph.json"), os.path.join(a.job, "graph.bin"))
    exe = GraphExecutor(graph, blob, device)
    meta, names, params, m, v = read_start(a.job, job)
    stepper = Stepper(exe, job, params, m, v, device)
    log(event="start", device=str(device), gpu=torch.cuda.get_device_name(0) if device.type == "cuda" else None,
        torch=torch.__version__, task=job["task"], batch=job["batch"], patch=job["patch"], params=sum(int(p["size"]) for p in job["params"]),
        nodes=len(graph["nodes"]), startStep=job["startStep"], minutes=a.minutes)
    with exact_float32():
        check_against_reference(a.job, job, stepper, device, log)

    seed = (int(job["seed"]) * 1000003 + int(job["startStep"])) % (2 ** 31)
    data = BatchMaker(job, a.data, device, seed, a.job)
    log(event="data", images=len(data.images), seconds=round(time.time() - t_start, 1))
    step = int(job["startStep"])
    sched = job["schedule"]
    first_inputs, first_target = data.next()
    with exact_float32():
        check_against_onnxruntime(a.job, job, stepper, first_inputs, first_target, device, log, step, learning_rate(sched, step, sched["totalSteps"]))

    if device.type == "cuda" and not a.no_cuda_graph:
        try:
            stepper.lr.fill_(learning_rate(sched, step, sched["totalSteps"]))
            stepper.t.fill_(step + 1)
            eager = stepper.run_eager(first_inputs, first_target)
            eager_loss = float(eager[job["io"]["loss"]])
            del eager
            stepper.capture(first_inputs, first_target)
            saved = {k: x.clone() for k, x in stepper.state.items()}
            g_loss, _ = stepper.step(first_inputs, first_target, learning_rate(sched, step, sched["totalSteps"]), step + 1)
            g_loss = float(g_loss)
            for k, x in saved.items():
                stepper.state[k].copy_(x)
            del saved
            ok = abs(g_loss - eager_loss) <= 1e-4 * max(1e-12, abs(eager_loss))
            log(event="cuda-graph", ok=ok, eagerLoss=eager_loss, graphLoss=g_loss)
            if not ok:
                stepper.graph = None
        except Exception as e:  # noqa: BLE001 (any capture failure falls back to eager execution)
            stepper.graph = None
            log(event="cuda-graph", ok=False, error=str(e).split("\n")[0][:300])

    total = int(sched["totalSteps"])
    budget_start = time.time()
    t_last_plan = budget_start
    plan_steps0 = step
    last_ckpt = time.time()
    loss_acc = torch.zeros((), dtype=torch.float64, device=device)
    n_acc = 0
    history = list(meta.get("history") or [])
    seconds_before = float(meta.get("seconds") or 0)
    pending = (first_inputs, first_target)

    def save(final=False):
        p, mm, vv = stepper.snapshot()
        out_meta = dict(meta)
        out_meta.update({
            "step": step, "bestPsnr": None, "bestStep": step, "roundsWithoutImprovement": 0,
            "seconds": seconds_before + (time.time() - t_start), "history": history[-10000:],
        })
        write_checkpoint(a.out, out_meta, names, p, mm, vv, p)
        if a.params_out:
            write_params(a.params_out, b"".join(np.ascontiguousarray(p[n], dtype="<f4").tobytes() for n in names))
        log(event="checkpoint", step=step, path=a.out, final=final)

    while True:
        now = time.time()
        if now >= deadline - 5:
            break
        # Re-plan the schedule's length from the measured speed during the first 70% of the budget.
        if now - t_last_plan > 10 and now < budget_start + 0.7 * (deadline - budget_start):
            rate = (step - plan_steps0) / (now - budget_start)
            if rate > 0:
                total = max(step + 1, int(step + rate * (deadline - 5 - now)))
            t_last_plan = now
        inputs, target = pending if pending is not None else data.next()
        pending = None
        lr = learning_rate(sched, step, total)
        loss, _gn = stepper.step(inputs, target, lr, step + 1)
        step += 1
        loss_acc += loss.double()
        n_acc += 1
        if step % a.log_every == 0:
            mean_loss = float(loss_acc) / n_acc
            if not math.isfinite(mean_loss):
                log(event="error", step=step, message="training diverged (loss not finite)")
                raise SystemExit(1)
            history.append({"step": step, "loss": mean_loss})
            el = time.time() - budget_start
            log(event="progress", step=step, total=total, loss=mean_loss, lr=lr, stepsPerSec=round((step - plan_steps0) / el, 2),
                mpixPerSec=round((step - plan_steps0) * job["batch"] * int(np.prod(job["targetShape"][2:])) / el / 1e6, 2))
            loss_acc.zero_()
            n_acc = 0
        if time.time() - last_ckpt > a.checkpoint_seconds:
            save()
            last_ckpt = time.time()
    if device.type == "cuda":
        torch.cuda.synchronize()
    save(final=True)
    log(event="done", step=step, steps=step - int(job["startStep"]), seconds=round(time.time() - t_start, 1),
        trainSeconds=round(time.time() - budget_start, 1))


if __name__ == "__main__":
    main()
