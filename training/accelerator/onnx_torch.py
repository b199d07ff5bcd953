"""Executes an exported ONNX graph (graph.json + graph.bin from exportJob.ts) with PyTorch, node by
node, on any torch device. It covers the operators this project's training-step graphs use
(forward, loss, reverse-mode gradients and the Adam update: see training/autodiff and
training/step) and refuses any other with the operator's name. Shape-like operands (Reshape
shapes, Slice bounds, Pad amounts, Resize scales, axes) are read once from the initializers on
the host, so a step never waits on the device and can be captured in a CUDA graph.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"float32": (np.float32, torch.float32), "int64": (np.int64, torch.int64), "int32": (np.int32, torch.int32), "bool": (np.uint8, torch.bool)}


class UnsupportedOp(Exception):
    pass


def load_graph(json_path, bin_path):
    with open(json_path) as f:
        g = json.load(f)
    with open(bin_path, "rb") as f:
        blob = f.read()
    return g, blob


class GraphExecutor:
    def __init__(self, graph, blob, device):
        self.device = device
        self.nodes = graph["nodes"]
        self.outputs = graph["outputs"]
        self.host = {}  # initializer name -> numpy array (for shape-like operands)
        self.consts = {}  # initializer name -> device tensor
        for t in graph["initializers"]:
            np_dtype, torch_dtype = DTYPES[t["dtype"]]
            arr = np.frombuffer(blob, dtype=np_dtype, count=t["bytes"] // np.dtype(np_dtype).itemsize, offset=t["offset"]).reshape(t["dims"])
            self.host[t["name"]] = arr
            self.consts[t["name"]] = torch.from_numpy(arr.copy()).to(device=device, dtype=torch_dtype)
        for n in self.nodes:
            if not hasattr(self, "op_" + n["op"]):
                raise UnsupportedOp(f"operator {n['op']} (node {n['name']}) is not supported by the PyTorch executor")
        # last node index reading each value, so intermediates are freed as soon as possible
        self.last_use = {}
        for i, n in enumerate(self.nodes):
            for x in n["inputs"]:
                if x:
                    self.last_use[x] = i
        self.cache = {}

    # -- helpers -------------------------------------------------------------------------------
    def ints(self, name, env):
        if name in self.host:
            return [int(v) for v in self.host[name].reshape(-1)]
        return [int(v) for v in env[name].reshape(-1).tolist()]

    def floats(self, name, env):
        if name in self.host:
            return [float(v) for v in self.host[name].reshape(-1)]
        return [float(v) for v in env[name].reshape(-1).tolist()]

    def run(self, feeds):
        env = dict(self.consts)
        env.update(feeds)
        keep = set(self.outputs) | set(feeds) | set(self.consts)
        for i, n in enumerate(self.nodes):
            args = [env[x] if x else None for x in n["inputs"]]
            res = getattr(self, "op_" + n["op"])(n, args, env)
            if not isinstance(res, (list, tuple)):
                res = [res]
            for name, val in zip(n["outputs"], res):
                env[name] = val
            for x in n["inputs"]:
                if x and self.last_use.get(x) == i and x not in keep:
                    env.pop(x, None)
        return {k: env[k] for k in self.outputs}

    # -- elementwise ------------------------------------------------------------------------------
    def op_Add(self, n, a, env): return a[0] + a[1]
    def op_Sub(self, n, a, env): return a[0] - a[1]
    def op_Mul(self, n, a, env): return a[0] * a[1]
    def op_Div(self, n, a, env): return a[0] / a[1]
    def op_Pow(self, n, a, env): return torch.pow(a[0], a[1])
    def op_Sqrt(self, n, a, env): return torch.sqrt(a[0])
    def op_Abs(self, n, a, env): return torch.abs(a[0])
    def op_Sign(self, n, a, env): return torch.sign(a[0])
    def op_Neg(self, n, a, env): return -a[0]
    def op_Exp(self, n, a, env): return torch.exp(a[0])
    def op_Log(self, n, a, env): return torch.log(a[0])
    def op_Relu(self, n, a, env): return torch.relu(a[0])
    def op_Sigmoid(self, n, a, env): return torch.sigmoid(a[0])
    def op_Tanh(self, n, a, env): return torch.tanh(a[0])
    def op_LeakyRelu(self, n, a, env): return F.leaky_relu(a[0], n["attrs"].get("alpha", 0.01))
    def op_Identity(self, n, a, env): return a[0]
    def op_Greater(self, n, a, env): return a[0] > a[1]
    def op_Less(self, n, a, env): return a[0] < a[1]
    def op_Equal(self, n, a, env): return a[0] == a[1]
    def op_Not(self, n, a, env): return torch.logical_not(a[0])
    def op_Where(self, n, a, env): return torch.where(a[0], a[1], a[2])
    def op_Cast(self, n, a, env):
        to = n["attrs"]["to"]
        return a[0].to({1: torch.float32, 7: torch.int64, 6: torch.int32, 9: torch.bool}[to])

    def op_Sum(self, n, a, env):
        out = a[0]
        for x in a[1:]:
            out = out + x
        return out

    def op_Min(self, n, a, env):
        out = a[0]
        for x in a[1:]:
            out = torch.minimum(out, x)
        return out

    def op_Max(self, n, a, env):
        out = a[0]
        for x in a[1:]:
            out = torch.maximum(out, x)
        return out

    def op_Clip(self, n, a, env):
        lo = a[1] if len(a) > 1 and a[1] is not None else None
        hi = a[2] if len(a) > 2 and a[2] is not None else None
        return torch.clamp(a[0], min=lo, max=hi)

    # -- reductions -----------------------------------------------------------------------------
    def _axes(self, n, a, env, from_input):
        if from_input:
            if len(n["inputs"]) > 1 and n["inputs"][1]:
                return self.ints(n["inputs"][1], env)
            return None
        return n["attrs"].get("axes")

    def _reduce(self, fn, n, a, env, from_input):
        axes = self._axes(n, a, env, from_input)
        keep = bool(n["attrs"].get("keepdims", 1))
        x = a[0]
        if axes is None or len(axes) == 0:
            if n["attrs"].get("noop_with_empty_axes", 0) and axes is not None:
                return x
            r = fn(x)
            return r.reshape([1] * x.dim()) if keep else r
        axes = [ax % x.dim() for ax in axes]
        return fn(x, dim=axes, keepdim=keep)

    def op_ReduceSum(self, n, a, env):
        return self._reduce(torch.sum, n, a, env, from_input=True)

    @staticmethod
    def _axes_as_input(n):
        # From opset 18 on, ReduceMean/SumSquare/Max take axes as an input; before, an attribute.
        return len(n["inputs"]) > 1 and bool(n["inputs"][1])

    def op_ReduceMean(self, n, a, env):
        return self._reduce(torch.mean, n, a, env, from_input=self._axes_as_input(n))

    def op_ReduceSumSquare(self, n, a, env):
        return self._reduce(lambda x, **k: torch.sum(x * x, **k), n, a, env, from_input=self._axes_as_input(n))

    def op_ReduceMax(self, n, a, env):
        return self._reduce(lambda x, **k: torch.amax(x, **k), n, a, env, from_input=self._axes_as_input(n))

    # -- shape and layout -------------------------------------------------------------------------
    def op_Reshape(self, n, a, env):
        shape = self.ints(n["inputs"][1], env)
        x = a[0]
        if not n["attrs"].get("allowzero", 0):
            shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return x.reshape(shape)

    def op_Flatten(self, n, a, env):
        axis = n["attrs"].get("axis", 1) % max(1, a[0].dim())
        return a[0].reshape(int(np.prod(a[0].shape[:axis])), -1)

    def op_Transpose(self, n, a, env):
        perm = n["attrs"].get("perm") or list(reversed(range(a[0].dim())))
        return a[0].permute(perm)

    def op_Expand(self, n, a, env):
        shape = self.ints(n["inputs"][1], env)
        out = torch.broadcast_shapes(tuple(a[0].shape), tuple(shape))
        return a[0].expand(out)

    def op_Concat(self, n, a, env):
        return torch.cat([x for x in a if x is not None], dim=n["attrs"]["axis"])

    def op_Split(self, n, a, env):
        axis = n["attrs"].get("axis", 0)
        if len(n["inputs"]) > 1 and n["inputs"][1]:
            sizes = self.ints(n["inputs"][1], env)
        elif "split" in n["attrs"]:
            sizes = n["attrs"]["split"]
        else:
            k = len(n["outputs"])
            sizes = [a[0].shape[axis] // k] * k
        return list(torch.split(a[0], sizes, dim=axis))

    def op_Squeeze(self, n, a, env):
        axes = self.ints(n["inputs"][1], env) if len(n["inputs"]) > 1 and n["inputs"][1] else n["attrs"].get("axes")
        x = a[0]
        if axes is None:
            return x.squeeze()
        for ax in sorted([ax % x.dim() for ax in axes], reverse=True):
            x = x.squeeze(ax)
        return x

    def op_Unsqueeze(self, n, a, env):
        axes = self.ints(n["inputs"][1], env) if len(n["inputs"]) > 1 and n["inputs"][1] else n["attrs"]["axes"]
        x = a[0]
        rank = x.dim() + len(axes)
        for ax in sorted([ax % rank for ax in axes]):
            x = x.unsqueeze(ax)
        return x

    def op_Slice(self, n, a, env):
        x = a[0]
        starts = self.ints(n["inputs"][1], env)
        ends = self.ints(n["inputs"][2], env)
        axes = self.ints(n["inputs"][3], env) if len(n["inputs"]) > 3 and n["inputs"][3] else list(range(len(starts)))
        steps = self.ints(n["inputs"][4], env) if len(n["inputs"]) > 4 and n["inputs"][4] else [1] * len(starts)
        for s, e, ax, st in zip(starts, ends, axes, steps):
            ax %= x.dim()
            dim = x.shape[ax]
            if st > 0:
                s = max(0, min(dim, s + dim if s < 0 else s))
                e = max(0, min(dim, e + dim if e < 0 else e))
                idx = [slice(None)] * x.dim()
                idx[ax] = slice(s, e, st)
                x = x[tuple(idx)]
            else:
                s = max(-1, min(dim - 1, s + dim if s < 0 else s))
                e = max(-1, min(dim - 1, e + dim if e < 0 else e))
                if e < -1:
                    e = -1
                key = (n["name"], ax, s, e, st, str(x.device))
                index = self.cache.get(key)
                if index is None:
                    index = torch.tensor(list(range(s, e, st)), dtype=torch.long, device=x.device)
                    self.cache[key] = index
                x = torch.index_select(x, ax, index)
        return x

    def op_Pad(self, n, a, env):
        mode = n["attrs"].get("mode", "constant")
        pads = self.ints(n["inputs"][1], env) if len(n["inputs"]) > 1 and n["inputs"][1] else n["attrs"]["pads"]
        value = 0.0
        if len(n["inputs"]) > 2 and n["inputs"][2]:
            value = self.floats(n["inputs"][2], env)[0]
        r = len(pads) // 2
        tp = []
        for d in reversed(range(r)):
            tp += [pads[d], pads[d + r]]
        if mode == "constant":
            return F.pad(a[0], tp, mode="constant", value=value)
        return F.pad(a[0], tp, mode={"reflect": "reflect", "edge": "replicate"}[mode])

    def op_DepthToSpace(self, n, a, env):
        b = n["attrs"]["blocksize"]
        if n["attrs"].get("mode", "DCR") == "CRD":
            return F.pixel_shuffle(a[0], b)
        N, C, H, W = a[0].shape
        x = a[0].reshape(N, b, b, C // (b * b), H, W).permute(0, 3, 4, 1, 5, 2)
        return x.reshape(N, C // (b * b), H * b, W * b)

    def op_SpaceToDepth(self, n, a, env):
        b = n["attrs"]["blocksize"]
        N, C, H, W = a[0].shape
        x = a[0].reshape(N, C, H // b, b, W // b, b).permute(0, 3, 5, 1, 2, 4)
        return x.reshape(N, C * b * b, H // b, W // b)

    def op_Resize(self, n, a, env):
        x = a[0]
        mode = n["attrs"].get("mode", "nearest")
        ctm = n["attrs"].get("coordinate_transformation_mode", "half_pixel")
        if len(n["inputs"]) > 3 and n["inputs"][3]:
            size = self.ints(n["inputs"][3], env)[2:]
            kw = {"size": size}
        else:
            sc = self.floats(n["inputs"][2], env)
            kw = {"scale_factor": tuple(sc[2:])}
        if mode == "nearest":
            nm = n["attrs"].get("nearest_mode", "round_prefer_floor")
            if ctm != "asymmetric" or nm != "floor":
                raise UnsupportedOp(f"Resize nearest with {ctm}/{nm} (node {n['name']})")
            return F.interpolate(x, mode="nearest", **kw)
        if mode == "linear":
            if ctm == "half_pixel" or ctm == "pytorch_half_pixel":
                return F.interpolate(x, mode="bilinear", align_corners=False, **kw)
            if ctm == "align_corners":
                return F.interpolate(x, mode="bilinear", align_corners=True, **kw)
        raise UnsupportedOp(f"Resize {mode}/{ctm} (node {n['name']})")

    # -- linear algebra and convolution -----------------------------------------------------------
    def op_MatMul(self, n, a, env):
        return torch.matmul(a[0], a[1])

    def op_Gemm(self, n, a, env):
        at = n["attrs"]
        A = a[0].t() if at.get("transA", 0) else a[0]
        B = a[1].t() if at.get("transB", 0) else a[1]
        y = at.get("alpha", 1.0) * (A @ B)
        if len(a) > 2 and a[2] is not None:
            y = y + at.get("beta", 1.0) * a[2]
        return y

    @staticmethod
    def _conv_pads(n, x):
        pads = n["attrs"].get("pads", [0, 0, 0, 0])
        if pads[0] == pads[2] and pads[1] == pads[3]:
            return x, (pads[0], pads[1])
        return F.pad(x, [pads[1], pads[3], pads[0], pads[2]]), (0, 0)

    def op_Conv(self, n, a, env):
        at = n["attrs"]
        x, padding = self._conv_pads(n, a[0])
        bias = a[2] if len(a) > 2 else None
        return F.conv2d(x, a[1], bias, stride=tuple(at.get("strides", [1, 1])), padding=padding,
                        dilation=tuple(at.get("dilations", [1, 1])), groups=at.get("group", 1))

    def op_ConvTranspose(self, n, a, env):
        at = n["attrs"]
        pads = at.get("pads", [0, 0, 0, 0])
        if pads[0] != pads[2] or pads[1] != pads[3]:
            raise UnsupportedOp(f"ConvTranspose with asymmetric pads (node {n['name']})")
        bias = a[2] if len(a) > 2 else None
        return F.conv_transpose2d(a[0], a[1], bias, stride=tuple(at.get("strides", [1, 1])), padding=(pads[0], pads[1]),
                                  output_padding=tuple(at.get("output_padding", [0, 0])), groups=at.get("group", 1),
                                  dilation=tuple(at.get("dilations", [1, 1])))


def relative_error(a, b):
    a = a.detach().double().cpu()
    b = b.detach().double().cpu()
    return float((a - b).norm() / max(b.norm(), 1e-30))


__all__ = ["GraphExecutor", "UnsupportedOp", "load_graph", "relative_error"]
