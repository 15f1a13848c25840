"""PyTorch side of `make bench-train` (Debian python3-torch / python3-torchvision; run with /usr/bin/python3).

Speed mode (default): PyTorch's own training loop on the network, batch and optimiser retrieval-train uses -- torchvision
ResNet with basic blocks (depths 2-2-2-3 for resnet18-cntk, 2-2-2-2 for resnet18) -> global average + max pooling
(summed) -> Linear -> L2 normalisation, MFCWMS with learnable mean fields in their own AdamW group (lr x ratio),
gradient clipping -- on one fixed random batch (C classes x m images). Prints one JSON line: images/s and process CPU
seconds per step of the timed steps.

Check mode (--check-weights W --check-input X --check-output Y): loads our converted backbone (safetensors, torchvision
names) into torchvision's ResNet and writes its eval-mode feature maps for the input tensor (raw float32) -- the
independent check that our backbone is torchvision's architecture.
"""
import argparse
import json
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock, ResNet

DEPTHS = {"resnet18": [2, 2, 2, 2], "resnet18-cntk": [2, 2, 2, 3]}


class Net(torch.nn.Module):
    def __init__(self, backbone, dim):
        super().__init__()
        r = ResNet(BasicBlock, DEPTHS[backbone])
        self.features = torch.nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4)
        self.resnet = r
        self.embedding = torch.nn.Linear(512, dim)

    def forward(self, x):
        f = self.features(x)
        return F.normalize(self.embedding(f.mean((2, 3)) + f.amax((2, 3))), dim=1)


def mfcwms(e, y, means, alpha=0.01, beta=80.0, lam=0.8):
    """MFCWMS over the C_B x C block of classes present in the batch (the formula of the C# loss)."""
    m = F.normalize(means, dim=0)
    s = e @ m
    classes, inverse, counts = torch.unique(y, return_inverse=True, return_counts=True)
    cb = len(classes)
    member = F.one_hot(inverse, cb).t().bool()
    log_n = counts.to(s.dtype).log()
    own = s.gather(1, y[:, None]).squeeze(1)
    pos = (-alpha * (own - lam))[None, :].masked_fill(~member, float("-inf")).logsumexp(1) - log_n
    positive = F.softplus(pos).sum() / (alpha * cb)
    neg = (beta * (s - lam))[None, :, :].masked_fill(~member[:, :, None], float("-inf")).logsumexp(1) - log_n[:, None]
    absent = torch.ones(s.shape[1], dtype=s.dtype).index_fill(0, classes, 0.0)
    block = neg[:, classes]
    both = torch.stack([torch.zeros_like(block), block, block.t()]).logsumexp(0) * (1 - torch.eye(cb, dtype=s.dtype))
    return positive + ((F.softplus(neg) * absent).sum() + both.sum() / 2) / (beta * cb)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        begin, end = t["data_offsets"]
        dtype = {"F32": np.float32, "I64": np.int64}[t["dtype"]]
        out[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype=dtype).reshape(t["shape"]).copy())
    return out


def check(a):
    net = Net(a.backbone, a.embedding_size)
    state = read_safetensors(a.check_weights)
    missing, unexpected = net.resnet.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith("fc.") and not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit(f"weights do not match torchvision's layout: missing {missing}, unexpected {unexpected}")
    x = torch.from_numpy(np.fromfile(a.check_input, dtype=np.float32).reshape(-1, 3, a.image_size, a.image_size))
    net.eval()
    with torch.no_grad():
        net.features(x).numpy().astype(np.float32).tofile(a.check_output)
    print(json.dumps({"checked": len(state)}))


def speed(a):
    torch.manual_seed(1)
    net = Net(a.backbone, a.embedding_size)
    means = torch.nn.Parameter(torch.randn(a.embedding_size, a.num_classes))
    opt = torch.optim.AdamW([{"params": net.parameters()}, {"params": [means], "lr": a.lr * a.loss_lr_ratio}], lr=a.lr, weight_decay=1e-4)
    batch = a.classes_per_batch * a.images_per_class
    x = torch.rand(batch, 3, a.image_size, a.image_size)
    y = torch.arange(a.classes_per_batch).repeat_interleave(a.images_per_class)
    params = list(net.parameters()) + [means]
    net.train()

    def step():
        loss = mfcwms(net(x), y, means)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": torch.get_num_threads(),
                      "images_per_second": a.steps * batch / wall, "cpu_seconds_per_step": cpu / a.steps, "wall_seconds": wall}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--backbone", default="resnet18-cntk", choices=sorted(DEPTHS))
    p.add_argument("--image-size", type=int, default=64)
    p.add_argument("--classes-per-batch", type=int, default=32)
    p.add_argument("--images-per-class", type=int, default=2)
    p.add_argument("--num-classes", type=int, default=816)
    p.add_argument("--embedding-size", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--loss-lr-ratio", type=float, default=100)
    p.add_argument("--check-weights")
    p.add_argument("--check-input")
    p.add_argument("--check-output")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    check(a) if a.check_weights else speed(a)


if __name__ == "__main__":
    main()
