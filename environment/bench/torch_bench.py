#!/usr/bin/python3
"""PyTorch side of the dpm4j training benchmark: the same models, data, estimators, optimiser and evaluation protocol
as org.dpm4j.bench.Benchmark, so steps/s and time-to-target compare like with like.
Run with Debian's torch: /usr/bin/python3 environment/bench/torch_bench.py --help
Prints one JSON object per measurement on standard output."""
import argparse, json, math, sys, time
import numpy as np
import torch
import torch.nn.functional as F

LN2 = math.log(2)
args_verbose = False


def heartbeat_data(copies=40):
    x = np.zeros((5 * copies, 20))
    for i in range(len(x)):
        x[i, i % 5::5] = 1
    return x


def swiss_roll(n=2000):
    u = (np.arange(n) + 0.5) / n
    s = 1.5 * np.pi * (1 + 2 * u)
    x = np.stack([s * np.cos(s), s * np.sin(s)], 1)
    return (x - x.mean(0)) / x.std(0)


def reference_gaussian(T, step1=1e-3):
    t = np.arange(1, T + 1)
    base = 1.0 / (T + (2.0 - T) * (t - 1) / (T - 1))
    mn = 1e-6 + np.where(t == 1, step1, 0.0)
    return mn + base * (1 - mn - 1e-5)


def binomial_paper(T):
    t = np.arange(1, T + 1)
    return 1.0 / (T - t + 1)


class Gaussian:
    """Eq. 14 for Gaussian diffusion, paper parameterisation (Eqs. 64-65); tables indexed by t (0 unused)."""
    def __init__(self, betas, d=2):
        T = len(betas)
        self.T, self.d = T, d
        b = np.concatenate([[0.0], betas])
        ab = np.cumprod(np.concatenate([[1.0], 1 - betas]))
        prec = np.zeros(T + 1); c0 = np.zeros(T + 1); ct = np.zeros(T + 1)
        for t in range(2, T + 1):
            prec[t] = 1 / (1 - ab[t - 1]) + (1 - b[t]) / b[t]
            c0[t] = math.sqrt(ab[t - 1]) / (1 - ab[t - 1]) / prec[t]
            ct[t] = math.sqrt(1 - b[t]) / b[t] / prec[t]
        f = lambda a: torch.tensor(a, dtype=torch.float32)
        self.beta, self.mm, self.ms = f(b), f(np.sqrt(ab)), f(np.sqrt(1 - ab))
        self.c0, self.ct, self.pv = f(c0), f(ct), f(np.where(prec > 0, 1 / np.maximum(prec, 1e-300), 1.0))
        self.logit_beta = f(np.log(np.maximum(b, 1e-300) / (1 - b + (b == 0))))
        ent = lambda v: 0.5 + 0.5 * math.log(2 * math.pi) + 0.5 * math.log(v)
        self.ceiling = d * (ent(1 - ab[T]) - ent(betas[0]) - ent(1.0))

    def draw(self, x0, t, gen):
        return self.mm[t, None] * x0 + self.ms[t, None] * torch.randn(x0.shape, generator=gen)

    def kl(self, x0, xt, t, z):
        zmu, zs = z[:, :self.d], z[:, self.d:]
        var = torch.sigmoid(zs + self.logit_beta[t, None])
        mean = xt * (1 - var) + zmu * var
        mq = self.c0[t, None] * x0 + self.ct[t, None] * xt
        vq = self.pv[t, None]
        return 0.5 * (torch.log(var / vq) + (vq + (mq - mean) ** 2) / var - 1).sum(1)

    def ceiling_nats(self, x0):
        return self.ceiling


class Binomial:
    """Eq. 14 for binomial diffusion; p = sigmoid(z + logit(x_t (1 - beta_t) + r beta_t))."""
    def __init__(self, betas, r=0.2):
        T = len(betas)
        self.T, self.d, self.r = T, 20, r
        b = np.concatenate([[0.0], betas])
        ab = np.cumprod(np.concatenate([[1.0], 1 - betas]))
        m1 = np.stack([r * (1 - ab), ab + r * (1 - ab)], 1)          # [t, x0]
        post = np.zeros((T + 1, 2, 2))
        for t in range(2, T + 1):
            for x0 in (0, 1):
                prior = m1[t - 1, x0]
                for xt in (0, 1):
                    l1 = (1 - b[t] + r * b[t]) if xt else 1 - (1 - b[t] + r * b[t])
                    l0 = r * b[t] if xt else 1 - r * b[t]
                    post[t, x0, xt] = l1 * prior / (l1 * prior + l0 * (1 - prior))
        p = np.stack([r * b, 1 - b + r * b], 1)
        with np.errstate(divide="ignore"):
            fl = np.log(p) - np.log1p(-p)
        f = lambda a: torch.tensor(a, dtype=torch.float32)
        self.m1, self.post, self.flogit = f(m1), f(post), f(np.nan_to_num(fl))
        xl = lambda q: np.where(q > 0, q * np.log(np.maximum(q, 1e-300)), 0.0)
        self.negent = f(xl(post) + xl(1 - post))
        H = lambda q: -(xl(q) + xl(1 - q))
        self.hT, self.h1 = H(m1[T]), H(m1[1])
        self.hpi = H(np.array(r))

    def draw(self, x0, t, gen):
        p = self.m1[t[:, None], x0.long()]
        return (torch.rand(p.shape, generator=gen) < p).float()

    def kl(self, x0, xt, t, z):
        i0, it = x0.long(), xt.long()
        q = self.post[t[:, None], i0, it]
        u = z + self.flogit[t[:, None], it]
        return (self.negent[t[:, None], i0, it] - q * u + F.softplus(u)).sum(1)

    def ceiling_nats(self, x0):
        i0 = x0.long().numpy()
        return float((self.hT[i0].sum(1) - self.h1[i0].sum(1)).mean() - 20 * self.hpi)


class PerStepMLP(torch.nn.Module):
    def __init__(self, d_in, hidden, d_out, T, act):
        super().__init__()
        layers, w = [], d_in
        for h in hidden:
            l = torch.nn.Linear(w, h)
            # the same initial scales as dpm4j's Dense: Glorot's logistic scale for sigmoid units, LeCun otherwise
            std = 4 * math.sqrt(2 / (w + h)) if act is torch.sigmoid else 1 / math.sqrt(w)
            torch.nn.init.normal_(l.weight, 0, std)
            torch.nn.init.zeros_(l.bias)
            layers.append(l)
            w = h
        self.layers = torch.nn.ModuleList(layers)
        self.act = act
        self.W = torch.nn.Parameter(torch.zeros(T + 1, w, d_out))
        self.b = torch.nn.Parameter(torch.zeros(T + 1, d_out))

    def forward(self, x, t, blocks=None):
        h = x
        for l in self.layers:
            h = self.act(l(h))
        if blocks is not None:  # all-T, t-major: one batched matrix product over time steps
            nt, B = blocks
            hb = h.view(nt, B, -1)
            z = torch.baddbmm(self.b[2:, None, :], hb, self.W[2:])
            return z.reshape(nt * B, -1)
        return torch.bmm(h[:, None, :], self.W[t]).squeeze(1) + self.b[t]


class RBF(torch.nn.Module):
    def __init__(self, d, K, d_out, T):
        super().__init__()
        self.c = torch.nn.Parameter(torch.randn(K, d))
        self.logw = torch.nn.Parameter(torch.zeros(K))
        self.W = torch.nn.Parameter(torch.zeros(T + 1, K, d_out))
        self.b = torch.nn.Parameter(torch.zeros(T + 1, d_out))

    def forward(self, x, t, blocks=None):
        r2 = ((x[:, None, :] - self.c[None]) ** 2).sum(2)
        h = torch.softmax(-r2 / 2 * torch.exp(-2 * self.logw), 1)
        return torch.bmm(h[:, None, :], self.W[t]).squeeze(1) + self.b[t]


def images(n=1000, side=28):
    """org.dpm4j.bench.Workloads.images: plane waves, z-scored by one scalar mean and standard deviation."""
    i = np.arange(n)[:, None, None]
    r = np.arange(side)[None, :, None]
    c = np.arange(side)[None, None, :]
    a, b = 1 + i % 5, 1 + (i // 5) % 5
    v = np.sin(2 * np.pi * (a * r + b * c) / side + 0.1 * i).reshape(n, side * side)
    return (v - v.mean()) / v.std()


def bumps(T, J):
    """org.dpm4j.nn.BumpReadout.bumps: g_j(t) for t = 1..T, row t (row 0 unused)."""
    spacing = max(T - 1, 1) / (J - 1)
    width = spacing / 2
    t = np.arange(1, T + 1)[:, None]
    a = -(t - (1 + np.arange(J)[None, :] * spacing)) ** 2 / (2 * width ** 2)
    g = np.exp(a - a.max(1, keepdims=True))
    return np.concatenate([np.zeros((1, J)), g / g.sum(1, keepdims=True)])


class ImageNet(torch.nn.Module):
    """org.dpm4j.nn.conv.ImageNetwork at the reference sizes: multi-scale conv pathway (mean-pool by 1, 2, 4, 3x3 conv,
    upsample, sum, softplus) x 4 layers of 20 channels, dense tanh pathway 784 -> 500 -> 500 -> 500 -> 2 x 784,
    concatenated (each over the root of its channels), 1x1 convs 22 -> 20 (tanh) -> 2 J, bump readout over J = 10."""
    def __init__(self, T, side=28, C=1, conv_layers=4, F_=20, scales=3, dense=(500, 500, 500), dense_out=2, upper=20, J=10):
        super().__init__()
        self.side, self.C, self.J, self.scales, self.F, self.dense_out = side, C, J, scales, F_, dense_out
        d = C * side * side
        self.convs = torch.nn.ModuleList()
        cin = C
        for l in range(conv_layers):
            per = torch.nn.ModuleList()
            for s in range(scales):
                m = torch.nn.Conv2d(cin, F_, 3, padding=1)
                torch.nn.init.normal_(m.weight, 0, 1 / math.sqrt(9 * cin * scales))
                torch.nn.init.zeros_(m.bias)
                per.append(m)
            self.convs.append(per)
            cin = F_
        widths = [d] + list(dense) + [dense_out * side * side]
        self.dense = torch.nn.ModuleList()
        for a, b in zip(widths[:-1], widths[1:]):
            m = torch.nn.Linear(a, b)
            torch.nn.init.normal_(m.weight, 0, 1 / math.sqrt(a))
            torch.nn.init.zeros_(m.bias)
            self.dense.append(m)
        self.up1 = torch.nn.Conv2d(F_ + dense_out, upper, 1)
        torch.nn.init.normal_(self.up1.weight, 0, 1 / math.sqrt(F_ + dense_out))
        torch.nn.init.zeros_(self.up1.bias)
        self.up2 = torch.nn.Conv2d(upper, 2 * J * C, 1)
        torch.nn.init.zeros_(self.up2.weight)
        torch.nn.init.zeros_(self.up2.bias)
        self.g = torch.tensor(bumps(T, J), dtype=torch.float32)

    def forward(self, x, t, blocks=None):
        B, s = x.shape[0], self.side
        h = x.view(B, self.C, s, s)
        for per in self.convs:
            acc = per[0](h)
            for k in range(1, self.scales):
                f = 2 ** k
                acc = acc + F.interpolate(per[k](F.avg_pool2d(h, f)), scale_factor=f, mode="nearest")
            h = F.softplus(acc)
        a = x
        for m in self.dense:
            a = torch.tanh(m(a))
        y = torch.cat([h / math.sqrt(self.F), a.view(B, self.dense_out, s, s) / math.sqrt(self.dense_out)], 1)
        y = self.up2(torch.tanh(self.up1(y)))
        return (y.view(B, self.J, -1) * self.g[t][:, :, None]).sum(1)


def rows(estimator, B, T, gen):
    if estimator == "SAMPLED_T":
        t = torch.randint(2, T + 1, (B,), generator=gen)
        return torch.arange(B), t, (T - 1) / B, None
    t = torch.arange(2, T + 1).repeat_interleave(B)
    return torch.arange(B).repeat(T - 1), t, 1.0 / B, (T - 1, B)


def evaluate(proc, net, x_eval, seed):
    g = torch.Generator().manual_seed(seed)  # its own generator: evaluation must not touch the training noise
    T, n = proc.T, len(x_eval)
    chunk = max(1, 65536 // (T - 1))
    tot = 0.0
    with torch.no_grad():
        for s in range(0, n, chunk):
            x0 = x_eval[s:s + chunk]
            ex, t, w, blocks = rows("ALL_T", len(x0), T, g)
            xr = x0[ex]
            xt = proc.draw(xr, t, g)
            kl = proc.kl(xr, xt, t, net(xt, t, blocks)).sum().item() / len(x0)
            tot += (proc.ceiling_nats(x0) - kl) / LN2 * len(x0)
    return tot / n


def build(workload):
    if workload.startswith("heartbeat"):
        proc = Binomial(binomial_paper(2000))
        net = PerStepMLP(20, [50, 50, 50], 20, 2000, torch.sigmoid)
        data = heartbeat_data()
    elif workload == "swissroll-rbf":
        proc = Gaussian(reference_gaussian(40))
        net = RBF(2, 16, 4, 40)
        data = swiss_roll()
    elif workload == "image":
        proc = Gaussian(reference_gaussian(1000), d=784)
        net = ImageNet(1000)
        data = images()
    else:
        proc = Gaussian(reference_gaussian(40))
        net = PerStepMLP(2, [128, 128], 4, 40, F.softplus)
        data = swiss_roll()
    return proc, net, torch.tensor(data, dtype=torch.float32)


def train(workload, estimator, batch, lr, seconds, max_steps, eval_every, eval_examples, target, seed):
    torch.manual_seed(seed)
    proc, net, data = build(workload)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    # the whole data set when it is no larger than asked for, as dpm4j does, so both sides evaluate the same examples
    x_eval = data if eval_examples >= len(data) else data[torch.randint(0, len(data), (eval_examples,), generator=gen)]
    def one_step():
        x0 = data[torch.randint(0, len(data), (batch,), generator=gen)]
        ex, t, w, blocks = rows(estimator, batch, proc.T, gen)
        xr = x0[ex]
        xt = proc.draw(xr, t, gen)
        loss = proc.kl(xr, xt, t, net(xt, t, blocks)).sum() * w
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if torch.isfinite(loss):
            opt.step()
    if workload == "image":  # the same two untimed warm-up steps as dpm4j's image workload
        for _ in range(2):
            one_step()
    start, cpu0 = time.perf_counter(), time.process_time()
    step, k_eval, reached_at, reached_cpu, eval_time = 0, float("nan"), None, None, 0.0
    while step < max_steps and time.perf_counter() - start < seconds:
        one_step()
        step += 1
        if eval_every and step % eval_every == 0:
            e0 = time.perf_counter()
            k_eval = evaluate(proc, net, x_eval, seed + 17)
            eval_time += time.perf_counter() - e0
            if args_verbose:
                print(f"step {step} wall {time.perf_counter() - start:.1f} cpu {time.process_time() - cpu0:.1f} K {k_eval:.4f}", flush=True)
            if target is not None and k_eval >= target:
                reached_at, reached_cpu = time.perf_counter() - start, time.process_time() - cpu0
                break
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    return dict(side="pytorch", workload=workload, estimator=estimator, batch=batch, lr=lr, steps=step, seconds=wall,
                cpu_seconds=cpu, steps_per_s=step / max(wall, 1e-9), steps_per_cpu_s=step / max(cpu, 1e-9),
                k_eval_bits=k_eval, target_bits=target, seconds_to_target=reached_at, cpu_seconds_to_target=reached_cpu,
                threads=torch.get_num_threads(), torch=torch.__version__)


# ---- the experiments' workloads, handed over by org.dpm4j.bench.Export (Benchmark --export DIR) ----

def load_export(d):
    """manifest.json and its raw little-endian arrays."""
    import os
    m = json.load(open(os.path.join(d, "manifest.json")))
    arrays = {}
    for name, a in m["arrays"].items():
        dt = np.float64 if a["dtype"] == "f64" else np.float32
        arrays[name] = np.fromfile(os.path.join(d, a["file"]), dtype="<" + ("f8" if dt is np.float64 else "f4")).reshape(a["shape"])
    return m, arrays


class ExportedNet(torch.nn.Module):
    """dpm4j's Mlp (shared dense layers, per-step readout z = h W_t + b_t, W_t stored transposed), optionally behind FourierFeatures
    [x, sin(2 pi x B), cos(2 pi x B)], with its parameters laid out as dpm4j's Params slots."""
    def __init__(self, m, a):
        super().__init__()
        self.slots = m["slots"]
        self.act = torch.tanh if m["activation"] == "tanh" else torch.sigmoid
        self.B = torch.tensor(a["fourier_b"]) if "fourier_b" in a else None
        self.p = torch.nn.ParameterDict({s["name"].replace(".", "_"): torch.nn.Parameter(torch.zeros(s["shape"])) for s in self.slots})
        self.layers = sorted({s["name"].split(".")[0] for s in self.slots if s["name"].startswith("hidden")})
        self.load(a["params_initial"])

    def load(self, flat):
        with torch.no_grad():
            for s in self.slots:
                self.p[s["name"].replace(".", "_")].copy_(torch.tensor(flat[s["offset"]:s["offset"] + s["size"]]).view(s["shape"]))

    def forward(self, x, nt, B):
        """x [nt * B, d] t-major for t = 2..T (nt = T - 1): rows k * B .. (k + 1) * B - 1 hold t = k + 2."""
        if self.B is not None:
            a = 2 * math.pi * (x @ self.B)
            x = torch.cat([x, torch.sin(a), torch.cos(a)], 1)
        h = x
        for l in self.layers:
            h = self.act(torch.addmm(self.p[l + "_b"], h, self.p[l + "_W"]))
        W, b = self.p["readout_W"].transpose(1, 2), self.p["readout_b"]   # dpm4j stores W_t as [out, in]
        z = torch.baddbmm(b[1:, None, :], h.view(nt, B, -1), W[1:])
        return z.reshape(nt * B, -1)


class FullGaussianKL:
    """Eq. 14's terms for dpm4j's full-covariance kernel (kernel/CholeskyReadout, FullGaussianObjective), POSTERIOR_V:
    x0hat = sqrt(abar_t) x_t + sqrt(1 - abar_t) z_mu, mean = c0 x0hat + ct x_t, log Sigma_c = log v + (1/2 + z_Sigma,c)
    (log beta_t - log v), L = [[s_0, 0], [z_10 s_0, s_1]]; KL(N(mq, v I) || N(mean, L L^T)) in closed form for d = 2.
    The schedule table (beta, abar, c0, ct, v per t) is dpm4j's own; computed in float64 as dpm4j does."""
    def __init__(self, m, a):
        tab = torch.tensor(a["schedule"])                               # [T, 5], row t - 1
        self.T, self.d = m["T"], m["d"]
        assert self.d == 2 and m["parameterisation"] == "POSTERIOR_V"
        self.beta, self.ab, self.c0, self.ct, self.v = (tab[1:, i] for i in range(5))   # t = 2..T
        self.lbeta, self.lv = torch.log(self.beta), torch.log(self.v)
        self.ceiling = m["ceiling_nats"]

    def draw(self, x0, gen):
        """x_t for every t = 2..T, t-major [(T - 1) * B, d]."""
        nt, B = self.T - 1, len(x0)
        mm, ms = torch.sqrt(self.ab)[:, None, None], torch.sqrt(1 - self.ab)[:, None, None]
        return (mm * x0[None] + ms * torch.randn((nt, B, self.d), generator=gen, dtype=torch.float64)).reshape(nt * B, self.d)

    def kl(self, x0, xt, z):
        """Sum over rows of KL, rows t-major; x0 [B, d], xt [(T-1) B, d] float64; z float32."""
        nt, B = self.T - 1, len(x0)
        z = z.double().view(nt, B, -1)
        x = xt.view(nt, B, 2)
        col = lambda u: u[:, None, None]
        x0hat = torch.sqrt(col(self.ab)) * x + torch.sqrt(1 - col(self.ab)) * z[..., 0:2]
        mean = col(self.c0) * x0hat + col(self.ct) * x
        logv = col(self.lv) + (0.5 + z[..., 2:4]) * (col(self.lbeta) - col(self.lv))
        v = torch.exp(logv)
        mq = col(self.c0) * x0[None] + col(self.ct) * x
        dl = mq - mean
        z10 = z[..., 4]
        vq = self.v[:, None]
        tr = vq * (1 / v[..., 0] + (1 + z10 ** 2) / v[..., 1]) + dl[..., 0] ** 2 / v[..., 0] + (dl[..., 1] - z10 * dl[..., 0]) ** 2 / v[..., 1]
        return 0.5 * (tr - 2 + logv[..., 0] + logv[..., 1] - 2 * torch.log(vq)).sum()

    def ceiling_nats(self, x0):
        return self.ceiling


class BinomialKL(Binomial):
    """Binomial's terms on dpm4j's schedule, rows t-major for t = 2..T, in the exported readout form: FORWARD_LOGIT
    (Binomial.kl) or POSTERIOR_X0, p = a + (b - a) sigmoid(z) with a, b = q(x_{t-1} = 1 | x_t, x_0 = 0 / 1)."""
    def __init__(self, m, a):
        super().__init__(a["schedule"][:, 0], m["base_rate"])
        self.posterior_x0 = m.get("parameterisation", "FORWARD_LOGIT") == "POSTERIOR_X0"

    def draw(self, x0, gen):
        nt, B = self.T - 1, len(x0)
        x0l = x0.long()
        p = self.m1[torch.arange(2, self.T + 1)[:, None, None], x0l[None]]
        return (torch.rand(p.shape, generator=gen) < p).float().reshape(nt * B, self.d)

    def kl(self, x0, xt, z):
        nt, B = self.T - 1, len(x0)
        t = torch.arange(2, self.T + 1).repeat_interleave(B)
        if not self.posterior_x0:
            return Binomial.kl(self, x0.repeat(nt, 1), xt.float(), t, z).sum()
        i0, it = x0.repeat(nt, 1).long(), xt.long()
        q = self.post[t[:, None], i0, it]
        lo, hi = self.post[t[:, None], 0, it], self.post[t[:, None], 1, it]
        p = lo + (hi - lo) * torch.sigmoid(z)
        return (self.negent[t[:, None], i0, it] - q * torch.log(p) - (1 - q) * torch.log1p(-p)).sum()


def exported(d):
    m, a = load_export(d)
    obj = FullGaussianKL(m, a) if m["kind"] == "gaussian-full" else BinomialKL(m, a)
    dt = torch.float64 if m["kind"] == "gaussian-full" else torch.float32
    return m, a, obj, ExportedNet(m, a), dt


def k_on(obj, net, x0, xts):
    """K in bits per example of the model on given x_t [T - 1, n, d] (t = 2..T)."""
    nt, n, d = xts.shape
    with torch.no_grad():
        z = net(xts.reshape(nt * n, d).float(), nt, n)
        kl = obj.kl(x0, xts.reshape(nt * n, d), z).item() / n
    return (obj.ceiling_nats(x0) - kl) / LN2


def check(d):
    """K of the initial and of the readout-perturbed model on dpm4j's frozen noise, against dpm4j's BoundK values."""
    m, a, obj, net, dt = exported(d)
    x0, xts = torch.tensor(a["agree_x0"], dtype=dt), torch.tensor(a["agree_xt"], dtype=dt)
    out = dict(side="pytorch", phase="check", workload=m["workload"])
    ok = True
    for which in ("initial", "perturbed"):
        net.load(a["params_" + which])
        k = k_on(obj, net, x0, xts)
        j = m[f"check_k_{which}_bits"]
        out[f"k_{which}_bits"], out[f"dpm4j_k_{which}_bits"] = k, j
        ok &= abs(k - j) <= 1e-4 * max(1.0, abs(j))
    out["agree"] = bool(ok)
    print(json.dumps(out), flush=True)
    return ok


def evaluate_exported(obj, net, x_eval, seed):
    g = torch.Generator().manual_seed(seed)
    chunk = max(1, 65536 // (obj.T - 1))
    tot, n = 0.0, len(x_eval)
    with torch.no_grad():
        for s in range(0, n, chunk):
            x0 = x_eval[s:s + chunk]
            xt = obj.draw(x0, g)
            kl = obj.kl(x0, xt, net(xt.float(), obj.T - 1, len(x0))).item()
            tot += obj.ceiling_nats(x0) * len(x0) - kl
    return tot / n / LN2


def run_exported(d, phase, seconds, seed):
    """Throughput (no evaluation, for `seconds`) or time to target (K on the exported held-out set every eval_every
    steps, stopping at the target, at max_steps or after `seconds` of training plus evaluation), with the exported
    model, data, all-T estimator, batch and per-step learning rates; Adam as dpm4j's (eps 1e-8 on sqrt(vhat))."""
    torch.manual_seed(seed)
    m, a, obj, net, dt = exported(d)
    if m.get("seed", seed) != seed:
        sys.exit(f"{d} was exported for seed {m['seed']}, not --seed {seed}: export it with Benchmark --export DIR --seed {seed}")
    data, x_eval = torch.tensor(a["train"], dtype=dt), torch.tensor(a["eval"], dtype=dt)
    lr, B, every, target = a["lr"], m["batch"], m["eval_every"], m["target_bits"]
    max_steps = m["max_steps"] if phase == "target" else 10 ** 9
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=float(lr[0]))
    nt = obj.T - 1
    wall0, cpu0 = time.perf_counter(), time.process_time()
    ewall = ecpu = 0.0
    step, trace, reached, best, k = 0, [], None, -math.inf, float("nan")
    while step < max_steps:
        x0 = data[torch.randint(0, len(data), (B,), generator=gen)]
        xt = obj.draw(x0, gen)
        loss = obj.kl(x0, xt, net(xt.float(), nt, B)) / B
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if torch.isfinite(loss) and all(torch.isfinite(p.grad).all() for p in net.parameters()):
            for g in opt.param_groups:
                g["lr"] = float(lr[min(step, len(lr) - 1)])
            opt.step()
        step += 1
        train_wall = time.perf_counter() - wall0 - ewall
        if phase == "target" and step % every == 0:
            e0, c0 = time.perf_counter(), time.process_time()
            k = evaluate_exported(obj, net, x_eval, seed + 2)
            ewall += time.perf_counter() - e0
            ecpu += time.process_time() - c0
            p = dict(step=step, seconds=train_wall, cpu=time.process_time() - cpu0 - ecpu, eval_seconds=ewall, eval_cpu=ecpu, k=k)
            trace.append(p)
            print(f"# {m['workload']} step {step}: K {k:.4f} bits, train {p['seconds']:.1f} s ({p['cpu']:.1f} CPU s), eval {ewall:.1f} s",
                  file=sys.stderr, flush=True)
            best = max(best, k)
            if k >= target:
                reached = p
                break
            if train_wall + ewall > seconds:
                break
        elif phase != "target" and train_wall > seconds:
            break
    wall, cpu = time.perf_counter() - wall0 - ewall, time.process_time() - cpu0 - ecpu
    base = dict(side="pytorch", workload=m["workload"], seed=seed, steps=step, seconds=wall, cpu_seconds=cpu, threads=torch.get_num_threads(),
                torch=torch.__version__)
    if phase != "target":
        return dict(base, estimator=m["estimator"], batch=B, lr="experiment", steps_per_s=step / max(wall, 1e-9),
                    steps_per_cpu_s=step / max(cpu, 1e-9), k_eval_bits=None, target_bits=None)
    r = reached
    return dict(base, phase="target", target_bits=target, eval_every=every, eval_seconds=ewall, eval_cpu_seconds=ecpu,
                k_eval_bits=k, best_k_bits=best, reached=r is not None, steps_to_target=r and r["step"],
                seconds_to_target=r and r["seconds"], cpu_seconds_to_target=r and r["cpu"],
                seconds_to_target_with_eval=r and r["seconds"] + r["eval_seconds"],
                cpu_seconds_to_target_with_eval=r and r["cpu"] + r["eval_cpu"],
                trace_step_cpu_k=[[p["step"], round(p["cpu"], 2), round(p["k"], 4)] for p in trace])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", choices=["heartbeat", "swissroll-mlp", "swissroll-rbf", "swissroll-fourier", "image"])
    ap.add_argument("--phase", default="throughput", choices=["throughput", "target"])
    ap.add_argument("--export", default="results/bench/export", help="directory written by Benchmark --export")
    ap.add_argument("--check", action="store_true", help="only the agreement check of the exported workloads")
    ap.add_argument("--estimator", default="ALL_T", choices=["ALL_T", "SAMPLED_T"])
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--max-steps", type=int, default=10 ** 9)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--eval-examples", type=int, default=200)
    ap.add_argument("--target", type=float, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    global args_verbose
    args_verbose = a.verbose
    torch.set_num_threads(1)
    import os
    if a.check:
        ok = [check(os.path.join(a.export, w)) for w in ("swissroll-fourier", "heartbeat")]
        sys.exit(0 if all(ok) else 1)
    if a.phase == "target" or a.workload == "swissroll-fourier":
        print(json.dumps(run_exported(os.path.join(a.export, a.workload), a.phase, a.seconds, a.seed)), flush=True)
        return
    r = train(a.workload, a.estimator, a.batch, a.lr, a.seconds, a.max_steps, a.eval_every, a.eval_examples, a.target, a.seed)
    print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
