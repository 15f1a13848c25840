"""PyTorch's own training loop for `make bench-train`: the network, batch and optimiser retrieval-train uses.

torchvision resnet18 backbone -> global average + max pooling (summed) -> Linear -> L2 normalisation, MFCWMS with
learnable mean fields in their own AdamW group (lr x ratio), gradient clipping; random images of a fixed batch
(C classes x m images). Prints one JSON line: images/s and process CPU seconds of the timed steps.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
import torchvision


class Net(torch.nn.Module):
    def __init__(self, dim):
        super().__init__()
        r = torchvision.models.resnet18()
        self.features = torch.nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4)
        self.embedding = torch.nn.Linear(512, dim)

    def forward(self, x):
        f = self.features(x)
        return F.normalize(self.embedding(f.mean((2, 3)) + f.amax((2, 3))), dim=1)


def mfcwms(e, y, means, alpha=0.01, beta=80.0, lam=0.8):
    """MFCWMS over the C_B x C block of classes present in the batch (the same formula as the C# loss)."""
    m = F.normalize(means, dim=0)
    s = e @ m
    classes, inverse, counts = torch.unique(y, return_inverse=True, return_counts=True)
    cb = len(classes)
    member = F.one_hot(inverse, cb).t().bool()                      # [C_B, B]
    log_n = counts.to(s.dtype).log()
    own = s.gather(1, y[:, None]).squeeze(1)
    pos = (-alpha * (own - lam))[None, :].masked_fill(~member, float("-inf")).logsumexp(1) - log_n
    positive = F.softplus(pos).sum() / (alpha * cb)
    neg = (beta * (s - lam))[None, :, :].masked_fill(~member[:, :, None], float("-inf")).logsumexp(1) - log_n[:, None]   # [C_B, C]
    absent = torch.ones(s.shape[1], dtype=s.dtype).index_fill(0, classes, 0.0)
    with_absent = (F.softplus(neg) * absent).sum()
    block = neg[:, classes]
    both = torch.stack([torch.zeros_like(block), block, block.t()]).logsumexp(0) * (1 - torch.eye(cb, dtype=s.dtype))
    return positive + (with_absent + both.sum() / 2) / (beta * cb)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image-size", type=int, default=64)
    p.add_argument("--classes-per-batch", type=int, default=32)
    p.add_argument("--images-per-class", type=int, default=2)
    p.add_argument("--num-classes", type=int, default=800)
    p.add_argument("--embedding-size", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--loss-lr-ratio", type=float, default=100)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = Net(a.embedding_size)
    means = torch.nn.Parameter(torch.randn(a.embedding_size, a.num_classes))
    opt = torch.optim.AdamW([{"params": net.parameters()}, {"params": [means], "lr": a.lr * a.loss_lr_ratio}], lr=a.lr, weight_decay=1e-4)
    batch = a.classes_per_batch * a.images_per_class
    x = torch.rand(batch, 3, a.image_size, a.image_size)
    y = torch.arange(a.classes_per_batch).repeat_interleave(a.images_per_class)
    net.train()

    def step():
        loss = mfcwms(net(x), y, means)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(net.parameters()) + [means], 10.0)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"engine": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "images_per_second": a.steps * batch / wall, "cpu_seconds_per_step": cpu / a.steps, "wall_seconds": wall}))


if __name__ == "__main__":
    main()
