#!/usr/bin/python3
"""PyTorch side of dpm4j's image benchmark (org.dpm4j.bench.ImageBench writes the export this reads).
The same network as org.dpm4j.nn.conv.ImageNetwork (multi-scale convolution pathway, dense pathway, per-pixel upper
layers, the last one fused with the bump readout), built from the export's configuration and initial parameters, the
same loss (Eq. 14's KL terms in the graph's form, on dpm4j's per-t coefficients), batch, estimator and Adam rate.
  torch_image_bench.py --export DIR --check                       agreement of the loss with dpm4j's on the check batch
  torch_image_bench.py --export DIR --threads k --seconds s       training throughput
  ... --no-onednn                                                  the same with PyTorch's own im2col + BLAS convolution
                                                                   instead of oneDNN (torch.backends.mkldnn.enabled = False)
  torch_image_bench.py --export DIR --sample 64 --threads k       seconds to draw 64 images (T reverse steps)
  torch_image_bench.py --gemm 2048 --threads k --seconds s        torch.mm rate, GFLOP/s
  torch_image_bench.py --export DIR --target-check                 agreement of K with dpm4j's on frozen noise (ImageTarget)
  torch_image_bench.py --export DIR --target --seed s --seconds b  time to the target K (ImageTarget --export DIR --seed s)
Prints one JSON line."""
import argparse, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F

WARM_UP = 5  # as ImageBench.WARM_UP
LN2 = math.log(2)


def load(d):
    m = json.load(open(os.path.join(d, "manifest.json")))
    arrays = {}
    for name, a in m["arrays"].items():
        arrays[name] = np.fromfile(os.path.join(d, a["file"]), dtype="<f8" if a["dtype"] == "f64" else "<f4").reshape(a["shape"])
    return m, arrays


class Net(torch.nn.Module):
    """ImageNetwork: parameters named and shaped as dpm4j's (conv YXIO [3, 3, in, out], dense [in, out], upper 1x1
    [1, 1, in, out], last layer [J, in * 2C] and [J, 2C]); activations NCHW. With noise_scaled_input the first
    convolution sees x_t and x_t / sqrt(1 - alphabar_t) (the export's marginal_std column) as 2C channels; with
    unet_channels > 0 the lower pathway is dpm4j's U-Net (ImageNetwork.unet, without GroupNorm: unet())."""

    def __init__(self, m, a, which="params_initial"):
        super().__init__()
        self.m = m
        self.p = torch.nn.ParameterDict()
        for name in m["parameters"]:
            self.p[name.replace(".", "_")] = torch.nn.Parameter(torch.zeros(a[which + "." + name].shape))
        self.load(a, which)
        self.g = torch.tensor(np.concatenate([np.zeros((1, m["J"]), np.float32), a["bumps"]]))   # row t
        self.scale = None
        if m.get("noise_scaled_input"):   # row t: 1 / sqrt(1 - alphabar_t), as ImageNetwork's inputScale (float)
            std = a["coefficients"][:, m["coefficient_columns"].index("marginal_std")]
            self.scale = torch.tensor(np.concatenate([[0.0], 1 / std[1:]]).astype(np.float32))
        if m.get("unet_channels", 0) > 0 and m.get("unet_group_norm"):
            sys.exit("the U-Net's GroupNorm is not mirrored here (the workloads use unet_group_norm false)")
        self._cache = {}

    def load(self, a, which):
        with torch.no_grad():
            for name in self.m["parameters"]:
                self.p[name.replace(".", "_")].copy_(torch.tensor(a[which + "." + name]))

    def w(self, name):
        return self.p[name.replace(".", "_")]

    def conv_w(self, name):
        return self.w(name + ".W").permute(3, 2, 0, 1)            # YXIO -> OIHW

    def image(self, x, t):
        """The convolutional pathways' input [B, C or 2C, H, W]: x_t, then with noise_scaled_input x_t / sqrt(1 - alphabar_t)."""
        m = self.m
        h = x.view(x.shape[0], m["channels"], m["height"], m["width"])
        return h if self.scale is None else torch.cat([h, h * self.scale[t][:, None, None, None]], 1)

    def conv(self, h, name, k=3):
        return F.conv2d(h, self.conv_w(name), self.w(name + ".b"), padding=k // 2)

    def block(self, name, h, g):
        """U-Net block without GroupNorm: u = conv3x3(SiLU(h)) + A g + a; out = skip(h) + conv3x3(SiLU(u))."""
        u = self.conv(F.silu(h), name + ".conv1") + (g @ self.w(name + ".time.W") + self.w(name + ".time.b"))[:, :, None, None]
        skip = self.conv(h, name + ".skip", 1) if name + ".skip.W" in self.m["parameters"] else h
        return skip + self.conv(F.silu(u), name + ".conv2")

    def unet(self, x, t):
        """ImageNetwork.unet: in conv -> e1 (c0), e2 (2c0, pooled), e3 (2c0, pooled), d2 on [e2, up(e3)], d1 on [e1, up(d2)], SiLU."""
        g = self.g[t]
        h = self.conv(self.image(x, t), "unet.in")
        e1 = self.block("unet.e1", h, g)
        e2 = self.block("unet.e2", F.avg_pool2d(e1, 2), g)
        e3 = self.block("unet.e3", F.avg_pool2d(e2, 2), g)
        d2 = self.block("unet.d2", torch.cat([e2, F.interpolate(e3, scale_factor=2, mode="nearest")], 1), g)
        d1 = self.block("unet.d1", torch.cat([e1, F.interpolate(d2, scale_factor=2, mode="nearest")], 1), g)
        return F.silu(d1)

    def forward(self, x, t):
        m = self.m
        B, C, H, W = x.shape[0], m["channels"], m["height"], m["width"]
        lower = []
        if m.get("unet_channels", 0) > 0:
            lower.append(self.unet(x, t))
        if m["conv_layers"] > 0:
            h = self.image(x, t)
            for l in range(m["conv_layers"]):
                acc = None
                for s in range(m["scales"]):
                    name, f = f"conv{l}.s{s}", 2 ** s
                    src = h if s == 0 else F.avg_pool2d(h, f)
                    y = F.conv2d(src, self.conv_w(name), self.w(name + ".b"), padding=1)
                    if s > 0:
                        y = F.interpolate(y, scale_factor=f, mode="nearest")
                    acc = y if acc is None else acc + y
                h = F.softplus(acc)
            lower.append(h / math.sqrt(m["conv_channels"]))
        if m["dense_layers"] > 0:
            a = x
            for l in range(m["dense_layers"]):
                a = torch.tanh(torch.addmm(self.w(f"dense{l}.b"), a, self.w(f"dense{l}.W")))
            lower.append(a.view(B, m["dense_out"], H, W) / math.sqrt(m["dense_out"]))
        y = lower[0] if len(lower) == 1 else torch.cat(lower, 1)
        for l in range(m["upper_layers"] - 1):
            wl = self.w(f"upper{l}.W")[0, 0].t()[:, :, None, None]
            y = torch.tanh(F.conv2d(y, wl, self.w(f"upper{l}.b")))
        last = f"upper{m['upper_layers'] - 1}"
        K, cin, J = 2 * C, y.shape[1], m["J"]
        g = self.g[t]                                                         # [B, J]
        wi = (g @ self.w(last + ".W")).view(B, cin, K)                        # per image, mixed over j
        bi = g @ self.w(last + ".b")                                           # [B, K]
        z = torch.baddbmm(bi[:, :, None], wi.transpose(1, 2), y.reshape(B, cin, H * W))   # [B, K, HW]
        return z.reshape(B, 2 * C * H * W)


class Loss:
    """Eq. 14's KL terms per row, as ImageNetwork.loss builds them, on the exported per-t coefficients."""

    def __init__(self, m, a):
        self.T, self.d, self.kind = m["T"], m["d"], m["parameterisation"]
        tab = torch.tensor(a["coefficients"], dtype=torch.float32)
        cols = m["coefficient_columns"]
        for i, c in enumerate(cols):
            setattr(self, c, tab[:, i])

    def xt(self, x0, t, eps):
        return self.marginal_mean[t, None] * x0 + self.marginal_std[t, None] * eps

    def __call__(self, x0, xt, t, z):
        d, col = self.d, (lambda v: v[t, None])
        zmu, zs = z[:, :d], z[:, d:]
        vq = col(self.vq)
        if self.kind == "PAPER":
            var = torch.sigmoid(zs + col(self.logit_beta))
            mean = xt + (zmu - xt) * var
        elif self.kind == "REFERENCE":
            var = torch.sigmoid(zs / math.sqrt(self.T) + col(self.logit_beta))
            mean = xt * col(self.sqrt_alpha) + zmu * col(self.sqrt_beta)
        else:  # POSTERIOR_X0, POSTERIOR_V
            x0hat = xt * col(self.sqrt_alpha_bar) + zmu * col(self.x0_scale)
            mean = x0hat * col(self.c0) + xt * col(self.ct)
            logvq = torch.log(vq)
            var = torch.exp(logvq + (zs + 0.5) * (col(self.log_beta) - logvq))
        diff = x0 * col(self.c0) + xt * col(self.ct) - mean
        return (0.5 * (torch.log(var / vq) + (vq + diff * diff) / var - 1)).sum(1)


def rows(estimator, B, T, gen):
    """org.dpm4j.train.Estimator: SAMPLED_T one t per image, ONE_T_PER_BATCH one t for all; weight (T - 1) / B."""
    if estimator == "ONE_T_PER_BATCH":
        t = torch.full((B,), int(torch.randint(2, T + 1, (1,), generator=gen)))
    elif estimator == "SAMPLED_T":
        t = torch.randint(2, T + 1, (B,), generator=gen)
    else:
        sys.exit(f"estimator {estimator} is not mirrored here")
    return t, (T - 1) / B


def minibatch_loss(m, net, loss, data, gen):
    """One training minibatch's loss (dpm4j's estimator: B images, their t rows and weight), from the generator."""
    B, T = m["batch"], m["T"]
    x0 = data[torch.randint(0, len(data), (B,), generator=gen)]
    t, w = rows(m["estimator"], B, T, gen)
    xt = loss.xt(x0, t, torch.randn(x0.shape, generator=gen))
    return loss(x0, xt, t, net(xt, t)).sum() * w


def check(m, a):
    net, loss = Net(m, a), Loss(m, a)
    x0, xt = torch.tensor(a["check_x0"]), torch.tensor(a["check_xt"])
    t = torch.tensor(a["check_t"]).long()
    out, ok = dict(side="pytorch", phase="check", workload=m["workload"]), True
    for which in ("initial", "perturbed"):
        net.load(a, "params_" + which)
        with torch.no_grad():
            v = float(loss(x0, xt, t, net(xt, t)).sum())
        j = m[f"check_loss_{which}_nats"]
        out[f"loss_{which}_nats"], out[f"dpm4j_loss_{which}_nats"] = v, j
        ok &= abs(v - j) <= 1e-4 * max(1.0, abs(j))
    # the same parameter count, and every parameter used: each gets a nonzero gradient of the perturbed network's loss
    net.zero_grad(set_to_none=True)
    loss(x0, xt, t, net(xt, t)).sum().backward()
    unused = [n for n in m["parameters"] if net.w(n).grad is None or not bool(net.w(n).grad.abs().sum() > 0)]
    out["parameters"] = sum(p.numel() for p in net.parameters())
    if "parameter_count" in m:
        out["dpm4j_parameters"] = m["parameter_count"]
        ok &= out["parameters"] == m["parameter_count"]
    out["unused_parameters"] = unused
    ok &= not unused
    out["agree"] = bool(ok)
    return out, ok


def throughput(m, a, seconds, seed, threads):
    torch.manual_seed(seed)
    net, loss = Net(m, a), Loss(m, a)
    data = torch.tensor(a["train"])
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=m["lr"])
    B = m["batch"]

    def step():
        value = minibatch_loss(m, net, loss, data, gen)
        opt.zero_grad(set_to_none=True)
        value.backward()
        if torch.isfinite(value):
            opt.step()

    for _ in range(WARM_UP):
        step()
    wall0, cpu0, n = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - wall0 < seconds:
        step()
        n += 1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return dict(side="pytorch", phase="image", conv=conv_backend(), workload=m["workload"], threads=threads, batch=B, steps=n, seconds=wall,
                cpu_seconds=cpu, steps_per_s=n / wall, steps_per_cpu_s=n / max(cpu, 1e-9), flops_per_step=m["flops_per_step"],
                torch=torch.__version__)


def conv_backend():
    """How this PyTorch runs a 3x3 convolution of a batch: Debian's build has oneDNN (MKL-DNN), which it uses for float
    convolutions of batches above one; without it, PyTorch's own im2col and a BLAS product, dpm4j's method."""
    return "oneDNN" if torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled else "im2col"


def sample(m, a, n, seed, threads):
    """Ancestral sampling, t = T..2 with the network's kernel, then the fixed first step (as AncestralSampler)."""
    torch.manual_seed(seed)
    net, loss = Net(m, a), Loss(m, a)
    T, d = m["T"], m["d"]
    beta = torch.exp(loss.log_beta)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        net(torch.zeros(n, d), torch.full((n,), T))  # warm-up
        wall0, cpu0 = time.perf_counter(), time.process_time()
        x = torch.randn(n, d, generator=gen)
        for s in range(T, 1, -1):
            t = torch.full((n,), s)
            z = net(x, t)
            zmu, zs = z[:, :d], z[:, d:]
            col = lambda v: v[t, None]
            if m["parameterisation"] == "PAPER":
                var = torch.sigmoid(zs + col(loss.logit_beta))
                mean = x + (zmu - x) * var
            elif m["parameterisation"] == "REFERENCE":
                var = torch.sigmoid(zs / math.sqrt(T) + col(loss.logit_beta))
                mean = x * col(loss.sqrt_alpha) + zmu * col(loss.sqrt_beta)
            else:
                x0hat = x * col(loss.sqrt_alpha_bar) + zmu * col(loss.x0_scale)
                mean = x0hat * col(loss.c0) + x * col(loss.ct)
                logvq = torch.log(col(loss.vq))
                var = torch.exp(logvq + (zs + 0.5) * (col(loss.log_beta) - logvq))
            x = mean + torch.sqrt(var) * torch.randn(x.shape, generator=gen)
        # t = 1: the paper's fixed first step (GaussianDiffusion.firstReverseStep), mean x_1 sqrt(1 - beta_1), variance beta_1
        x = x * torch.sqrt(1 - beta[1]) + torch.sqrt(beta[1]) * torch.randn(x.shape, generator=gen)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return dict(side="pytorch", phase="sample", workload=m["workload"], threads=threads, images=n, T=T, seconds=wall,
                cpu_seconds=cpu, finite=bool(torch.isfinite(x).all()))


def gemm(size, seconds, threads):
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(size, size, generator=g), torch.randn(size, size, generator=g)
    for _ in range(3):
        torch.mm(a, b)
    wall0, cpu0, reps = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - wall0 < seconds:
        torch.mm(a, b)
        reps += 1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    f = 2.0 * size ** 3 * reps
    return dict(side="pytorch", phase="gemm", library="torch.mm " + torch.__version__, threads=threads, size=size, reps=reps,
                seconds=wall, cpu_seconds=cpu, gflops_wall=f / wall / 1e9, gflops_cpu=f / cpu / 1e9)


# ---- time to a target K (org.dpm4j.bench.ImageTarget writes the export) ----

def k_nats(m, net, loss, x0, gen=None, xts=None):
    """K (Eq. 14) in nats per image of the network on x0 [n, d], as dpm4j's ImageObjective.kNats: the ceiling minus the
    mean over images of every t's KL term, t = 2..T, all images at one t at a time, x_t drawn from gen (one draw per
    image and t, t in increasing order) or given (xts [T - 1, n, d], row t - 2)."""
    T, n = m["T"], len(x0)
    total = 0.0
    with torch.no_grad():
        for s in range(2, T + 1):
            t = torch.full((n,), s)
            xt = xts[s - 2] if xts is not None else loss.xt(x0, t, torch.randn(x0.shape, generator=gen))
            total += float(loss(x0, xt, t, net(xt, t)).sum()) / n
    return m["ceiling_nats"] - total


def target_check(m, a):
    """K of the initial network and of the one with a random last layer on dpm4j's frozen noise, against dpm4j's; and
    the second one's gradient (every parameter, relative error of each array's norm at most 1e-3) when exported."""
    net, loss = Net(m, a), Loss(m, a)
    x0, xts = torch.tensor(a["check_x0"]), torch.tensor(a["check_xt"])
    out, ok = dict(side="pytorch", phase="check", workload=m["workload"], seed=m["seed"]), True
    for which in ("initial", "perturbed"):
        net.load(a, "params_" + which)
        k, j = k_nats(m, net, loss, x0, xts=xts), m[f"check_k_{which}_nats"]
        out[f"k_{which}_bits"], out[f"dpm4j_k_{which}_bits"] = k / LN2, j / LN2
        ok &= abs(k - j) <= 1e-4 * max(1.0, abs(j))
    if "check_grad_t" in a:  # the gradient training follows, of the perturbed network: autograd against dpm4j's
        t = torch.tensor(a["check_grad_t"]).long()
        xt = xts[t - 2, torch.arange(len(t))]
        net.zero_grad(set_to_none=True)
        value = loss(x0, xt, t, net(xt, t)).sum()
        value.backward()
        worst = 0.0
        for name in m["parameters"]:
            g, j = net.w(name).grad, torch.tensor(a["check_grad." + name])
            worst = max(worst, float((g - j).norm() / max(j.norm(), 1e-30)))
        out["grad_loss_nats"], out["dpm4j_grad_loss_nats"] = float(value), m["check_grad_loss_nats"]
        out["grad_max_relative_error"] = worst
        ok &= worst <= 1e-3 and abs(float(value) - m["check_grad_loss_nats"]) <= 1e-4 * max(1.0, abs(m["check_grad_loss_nats"]))
    out["agree"] = bool(ok)
    return out, ok


def target(m, a, seconds, seed, every, examples, max_steps, target_bits, save):
    """Time to the target K with the export's network, data, estimator, batch and per-step learning rates (Adam as
    dpm4j's: eps 1e-8 on sqrt(vhat)); K on the first `examples` exported held-out images every `every` steps, the same
    noise at every evaluation (a generator of its own, seeded afresh), clocked apart from training. Stops at the first
    evaluation at or above the target, at max_steps, or after `seconds` of training plus evaluation."""
    if m["seed"] != seed:
        sys.exit(f"the export was written for seed {m['seed']}, not --seed {seed}: ImageTarget --export DIR --seed {seed}")
    torch.manual_seed(seed)
    net, loss = Net(m, a), Loss(m, a)
    data, x_eval = torch.tensor(a["train"]), torch.tensor(a["eval"][:examples])
    lr = a["lr"]
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=float(lr[0]))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    ewall = ecpu = 0.0
    step, trace, reached, best, k = 0, [], None, -math.inf, float("nan")
    while step < max_steps:
        value = minibatch_loss(m, net, loss, data, gen)
        opt.zero_grad(set_to_none=True)
        value.backward()
        if torch.isfinite(value) and all(torch.isfinite(p.grad).all() for p in net.parameters()):
            for g in opt.param_groups:
                g["lr"] = float(lr[min(step, len(lr) - 1)])
            opt.step()
        step += 1
        if step % every == 0 or step == max_steps:
            e0, c0 = time.perf_counter(), time.process_time()
            k = k_nats(m, net, loss, x_eval, gen=torch.Generator().manual_seed(seed + 17)) / LN2
            ewall += time.perf_counter() - e0
            ecpu += time.process_time() - c0
            p = dict(step=step, seconds=time.perf_counter() - wall0 - ewall, cpu=time.process_time() - cpu0 - ecpu,
                     eval_seconds=ewall, eval_cpu=ecpu, k=k)
            trace.append(p)
            print(f"# {m['workload']} step {step}: K {k / m['pixels']:.4f} bits/pixel, train {p['seconds']:.1f} s "
                  f"({p['cpu']:.1f} CPU s), eval {ewall:.1f} s", file=sys.stderr, flush=True)
            best = max(best, k)
            if k >= target_bits:
                reached = p
                break
            if p["seconds"] + ewall > seconds:
                break
    wall, cpu = time.perf_counter() - wall0 - ewall, time.process_time() - cpu0 - ecpu
    if save:  # the trained parameters, one little-endian float32 file per array, for ImageTarget --evaluate
        os.makedirs(save, exist_ok=True)
        for name in m["parameters"]:
            net.w(name).detach().numpy().astype("<f4").tofile(os.path.join(save, name + ".f32"))
    r = reached
    return dict(side="pytorch", phase="target", workload=m["workload"], seed=seed, target_bits=target_bits, eval_every=every,
                eval_examples=len(x_eval), steps=step, seconds=wall, cpu_seconds=cpu, eval_seconds=ewall, eval_cpu_seconds=ecpu,
                k_eval_bits=k, best_k_bits=best, reached=r is not None, steps_to_target=r and r["step"],
                seconds_to_target=r and r["seconds"], cpu_seconds_to_target=r and r["cpu"],
                seconds_to_target_with_eval=r and r["seconds"] + r["eval_seconds"],
                cpu_seconds_to_target_with_eval=r and r["cpu"] + r["eval_cpu"], threads=torch.get_num_threads(),
                torch=torch.__version__, trace_step_cpu_k=[[p["step"], round(p["cpu"], 2), round(p["k"], 4)] for p in trace])


def replay(m, a, save=None):
    """The replay export's steps (ImageTarget --replay): the trainer's own digits, t and x_t, the export's per-step
    rates and weight, Adam as in target(); then each parameter array against dpm4j's after the same steps, relative to
    how far the steps moved it (||torch - dpm4j|| / ||dpm4j - initial||, worst array); with save, both sides'
    parameters written for ImageTarget --evaluate."""
    net, loss = Net(m, a), Loss(m, a)
    data, T, B = torch.tensor(a["train"]), m["T"], m["batch"]
    index, ts, xts = torch.tensor(a["replay_index"]).long(), torch.tensor(a["replay_t"]).long(), torch.tensor(a["replay_xt"])
    opt = torch.optim.Adam(net.parameters(), lr=float(a["lr"][0]))
    for step in range(m["steps"]):
        x0, t = data[index[step]], ts[step].repeat(B)
        value = loss(x0, xts[step], t, net(xts[step], t)).sum() * m["weight"]
        opt.zero_grad(set_to_none=True)
        value.backward()
        for g in opt.param_groups:
            g["lr"] = float(a["lr"][step])
        opt.step()
    worst, worst_name, moved = 0.0, None, 0.0
    for name in m["parameters"]:
        p, j, p0 = net.w(name).detach(), torch.tensor(a["params_trained." + name]), torch.tensor(a["params_initial." + name])
        step_norm = float((j - p0).norm())
        moved = max(moved, step_norm)
        if step_norm > 0:
            e = float((p - j).norm()) / step_norm
            if e > worst:
                worst, worst_name = e, name
    if save:  # both sides' parameters after the steps, for ImageTarget --evaluate: SAVE (PyTorch's), SAVE-dpm4j
        for d, get in ((save, lambda name: net.w(name).detach().numpy()), (save + "-dpm4j", lambda name: a["params_trained." + name])):
            os.makedirs(d, exist_ok=True)
            for name in m["parameters"]:
                np.asarray(get(name)).astype("<f4").tofile(os.path.join(d, name + ".f32"))
    return dict(side="pytorch", phase="replay", workload=m["workload"], seed=m["seed"], steps=m["steps"],
                worst_relative_difference=worst, worst_array=worst_name, agree=worst <= 1e-2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--export")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--sample", type=int)
    ap.add_argument("--gemm", type=int)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target-check", action="store_true", help="agreement of K on frozen noise (ImageTarget's export)")
    ap.add_argument("--target", action="store_true", help="time to the export's target K (ImageTarget's export)")
    ap.add_argument("--target-bits-per-pixel", type=float, help="instead of the export's target")
    ap.add_argument("--eval-every", type=int, help="instead of the export's")
    ap.add_argument("--eval-examples", type=int, help="instead of the export's")
    ap.add_argument("--max-steps", type=int, help="instead of the export's (the learning rates keep its schedule)")
    ap.add_argument("--replay", action="store_true", help="the replay export's steps against dpm4j's (ImageTarget --replay)")
    ap.add_argument("--save", help="directory for the trained parameters (ImageTarget --evaluate reads them)")
    ap.add_argument("--no-onednn", action="store_true", help="convolutions by PyTorch's im2col + BLAS instead of oneDNN")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.no_onednn:
        torch.backends.mkldnn.enabled = False
    if a.gemm:
        print(json.dumps(gemm(a.gemm, a.seconds, a.threads)), flush=True)
        return
    m, arrays = load(a.export)
    if a.replay:
        out = replay(m, arrays, a.save)
        print(json.dumps(out), flush=True)
        sys.exit(0 if out["agree"] else 1)
    if a.target_check:
        out, ok = target_check(m, arrays)
        print(json.dumps(out), flush=True)
        sys.exit(0 if ok else 1)
    if a.target:
        tb = m["target_bits"] if a.target_bits_per_pixel is None else a.target_bits_per_pixel * m["pixels"]
        print(json.dumps(target(m, arrays, a.seconds, a.seed, a.eval_every or m["eval_every"], a.eval_examples or m["eval_examples"],
                                a.max_steps or m["max_steps"], tb, a.save)), flush=True)
        return
    if a.check:
        out, ok = check(m, arrays)
        print(json.dumps(out), flush=True)
        sys.exit(0 if ok else 1)
    if a.sample:
        print(json.dumps(sample(m, arrays, a.sample, a.seed, a.threads)), flush=True)
        return
    print(json.dumps(throughput(m, arrays, a.seconds, a.seed, a.threads)), flush=True)


if __name__ == "__main__":
    main()
