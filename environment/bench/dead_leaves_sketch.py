#!/usr/bin/python3
"""A PyTorch sketch for dead leaves (issue #15), to test ideas about the samples' grain quickly: not project code, not
held equal to dpm4j (its own numpy generator with the same law, 16 x 16, r 3 to 16, 8-bit; the log-SNR-linear schedule
between beta_1 = 0.002 and alphabar_T = 0.000992; the standard network: 4 multi-scale conv layers of 32 over pools 1, 2,
4, softplus, a 1x1 layer of 32, the bump readout with J = 10 at zero; POSTERIOR_V; Adam 2e-3 decaying tenfold; batch
32; one t per image). It prints the bound's KL sum over t = 2..T on 100 held-out images (bits/pixel, lower is better;
the same for every variant, so comparable between them, not with dpm4j's K), the error share of the implied x_0 at
several t (as DeadLeavesExperiment.denoising), and the neighbour-pair shares of 16 samples (the last step's mean).
  dead_leaves_sketch.py VARIANT STEPS [SEED]
VARIANT names the changes it contains: base; skip (x_t into the readout); tcond (a per-layer bias from the bumps);
gn (GroupNorm); is (t importance-sampled by the loss history); wide (64 channels); snrin (the input x_t / sqrt(1 -
alphabar_t) instead of x_t); snr2 (both as two input channels); bilin (bilinear instead of nearest upsampling); deep
(6 layers instead of 4); unet (a small U-Net in place of the paper's network, x_t and the noise-scaled x_t in: classes
Block and UNet), with nogn (no GroupNorm) and notemb (no per-block time bias). Environment: DL_SIZE (image size, 16)
and DL_RMAX (largest radius, 16). One thread."""
import sys, math, time, numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(1)
variant, steps = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
rng = np.random.default_rng(seed); torch.manual_seed(seed)
import os
S = int(os.environ.get('DL_SIZE', '16'))
RMAX = float(os.environ.get('DL_RMAX', '16'))
def leaves(n, rmin=3., rmax=None):
    rmax = RMAX if rmax is None else rmax
    out = np.zeros((n, S, S))
    yy, xx = np.mgrid[0:S, 0:S] + 0.5
    for k in range(n):
        img = np.zeros((S, S)); cov = np.zeros((S, S), bool)
        while not cov.all():
            a, b = rmin ** -2, rmax ** -2
            r = 1 / math.sqrt(a - rng.random() * (a - b))
            cx, cy = -rmax + rng.random() * (S + 2 * rmax), -rmax + rng.random() * (S + 2 * rmax)
            g = rng.integers(256) / 255
            m = (~cov) & ((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r)
            img[m] = g; cov |= m
        out[k] = img
    return out
tr, te = leaves(20000), leaves(200)
mu, sd = tr.mean(), tr.std()
z = lambda v: (v - mu) / sd
Xtr = torch.tensor(z(tr + rng.random(tr.shape) / 255), dtype=torch.float32).unsqueeze(1)
Xte = torch.tensor(z(te + rng.random(te.shape) / 255), dtype=torch.float32).unsqueeze(1)
T = 1000
beta1 = 0.002; abT = 0.000992
lam1, lamT = math.log((1 - beta1) / beta1), math.log(abT / (1 - abT))
lam = torch.tensor([lam1 + (lamT - lam1) * (t - 1) / (T - 1) for t in range(1, T + 1)], dtype=torch.float64)
ab = torch.sigmoid(lam)                      # alphabar_t, t=1..T at index t-1
abprev = torch.cat([torch.ones(1, dtype=torch.float64), ab[:-1]])
beta = 1 - ab / abprev
prec = 1 / (1 - abprev[1:]) + (1 - beta[1:]) / beta[1:]   # for t >= 2
cx0 = torch.cat([torch.zeros(1, dtype=torch.float64), abprev[1:].sqrt() / (1 - abprev[1:]) / prec])
cxt = torch.cat([torch.zeros(1, dtype=torch.float64), (1 - beta[1:]).sqrt() / beta[1:] / prec])
pvar = torch.cat([beta[:1], 1 / prec])
J = 10
centres = torch.linspace(0, T, J, dtype=torch.float64)
def bumps(t):  # t: long tensor of 1..T
    g = torch.exp(-0.5 * ((t.double()[:, None] - centres[None]) / (T / J)) ** 2)
    return (g / g.sum(1, keepdim=True)).float()
C = 64 if 'wide' in variant else 32
L, scales = (6 if 'deep' in variant else 4), [1, 2, 4]
class Net(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.convs = torch.nn.ModuleList([torch.nn.ModuleList([torch.nn.Conv2d((2 if 'snr2' in variant else 1) if l == 0 else C, C, 3, padding=1) for _ in scales]) for l in range(L)])
        s.up1 = torch.nn.Conv2d(C, 32, 1)
        extra = 1 if 'skip' in variant else 0
        s.read = torch.nn.Conv2d(32 + extra, 2 * J, 1)
        torch.nn.init.zeros_(s.read.weight); torch.nn.init.zeros_(s.read.bias)
        if 'gn' in variant: s.norms = torch.nn.ModuleList([torch.nn.GroupNorm(8, C) for _ in range(L)])
        if 'tcond' in variant:
            s.temb = torch.nn.ModuleList([torch.nn.Linear(J, C) for _ in range(L)])
    def forward(s, x, t):
        h = x; g = bumps(t)
        if 'snr' in variant:
            sg = (1 - ab[t - 1]).sqrt().float()[:, None, None, None]
            h = torch.cat([x, x / sg], 1) if 'snr2' in variant else x / sg
        for l in range(L):
            acc = 0
            for k, f in enumerate(scales):
                p = F.avg_pool2d(h, f) if f > 1 else h
                c = s.convs[l][k](p)
                acc = acc + ((F.interpolate(c, scale_factor=f, mode='bilinear', align_corners=False) if 'bilin' in variant else F.interpolate(c, scale_factor=f, mode='nearest')) if f > 1 else c)
            if 'tcond' in variant: acc = acc + s.temb[l](g)[:, :, None, None]
            if 'gn' in variant: acc = s.norms[l](acc)
            h = F.softplus(acc)
        u = F.softplus(s.up1(h))
        if 'skip' in variant: u = torch.cat([u, x], 1)
        o = s.read(u).view(x.shape[0], 2, J, S, S)
        w = g[:, None, :, None, None]
        return (o * w).sum(2)[:, 0:1], (o * w).sum(2)[:, 1:2]
class Block(torch.nn.Module):
    def __init__(s, cin, cout):
        super().__init__()
        s.c1 = torch.nn.Conv2d(cin, cout, 3, padding=1); s.c2 = torch.nn.Conv2d(cout, cout, 3, padding=1)
        s.t = torch.nn.Linear(J, cout); s.skip = torch.nn.Conv2d(cin, cout, 1) if cin != cout else torch.nn.Identity()
        s.n1 = torch.nn.GroupNorm(8, cin) if 'nogn' not in variant else torch.nn.Identity(); s.n2 = torch.nn.GroupNorm(8, cout) if 'nogn' not in variant else torch.nn.Identity()
    def forward(s, h, g):
        u = s.c1(F.silu(s.n1(h)) if h.shape[1] >= 8 else h) + (0 if 'notemb' in variant else s.t(g)[:, :, None, None])
        return s.skip(h) + s.c2(F.silu(s.n2(u)))
class UNet(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.inp = torch.nn.Conv2d(2, 32, 3, padding=1)
        s.e1 = Block(32, 32); s.e2 = Block(32, 64); s.e3 = Block(64, 64)
        s.d2 = Block(128, 64); s.d1 = Block(96, 32)
        s.read = torch.nn.Conv2d(32, 2 * J, 1)
        torch.nn.init.zeros_(s.read.weight); torch.nn.init.zeros_(s.read.bias)
    def forward(s, x, t):
        g = bumps(t)
        sg = (1 - ab[t - 1]).sqrt().float()[:, None, None, None]
        h = s.inp(torch.cat([x, x / sg], 1))
        a1 = s.e1(h, g); a2 = s.e2(F.avg_pool2d(a1, 2), g); a3 = s.e3(F.avg_pool2d(a2, 2), g)
        b2 = s.d2(torch.cat([a2, F.interpolate(a3, scale_factor=2)], 1), g)
        b1 = s.d1(torch.cat([a1, F.interpolate(b2, scale_factor=2)], 1), g)
        o = s.read(F.silu(b1)).view(x.shape[0], 2, J, S, S)
        w = g[:, None, :, None, None]
        return (o * w).sum(2)[:, 0:1], (o * w).sum(2)[:, 1:2]
def kernel(net, xt, t):
    zmu, zs = net(xt, t)
    a = ab[t - 1].float()[:, None, None, None]
    x0 = a.sqrt() * xt - (1 - a).sqrt() * zmu            # v-prediction
    m = cx0[t - 1].float()[:, None, None, None] * x0 + cxt[t - 1].float()[:, None, None, None] * xt
    lpv, lb = pvar[t - 1].float().log()[:, None, None, None], beta[t - 1].float().log()[:, None, None, None]
    logv = lpv + (0.5 + zs) * (lb - lpv)
    return m, logv, x0
def loss(net, x0, t, eps):
    a = ab[t - 1].float()[:, None, None, None]
    xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
    m, logv, _ = kernel(net, xt, t)
    qm = cx0[t - 1].float()[:, None, None, None] * x0 + cxt[t - 1].float()[:, None, None, None] * xt
    qv = pvar[t - 1].float()[:, None, None, None]
    kl = 0.5 * (logv - qv.log() + (qv + (qm - m) ** 2) / logv.exp() - 1)
    return kl.sum((1, 2, 3))
net = UNet() if 'unet' in variant else Net()
print('parameters', sum(p.numel() for p in net.parameters()), flush=True)
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
gen = torch.Generator().manual_seed(seed)
t0 = time.time()
hist = np.ones(27) * 1e4
for step in range(steps):
    lr = 2e-3 * (0.1 ** (step / steps)); 
    for pg in opt.param_groups: pg['lr'] = lr
    idx = torch.randint(0, Xtr.shape[0], (32,), generator=gen)
    if 'is' in variant and step >= 200:
        p = np.sqrt(hist) ; p = 0.9 * p / p.sum() + 0.1 / len(p)
        b = torch.multinomial(torch.tensor(p), 32, replacement=True, generator=gen)
        t = 2 + b * 37 + torch.randint(0, 37, (32,), generator=gen); t = t.clamp(max=T)
        wts = torch.tensor(1 / (p[b.numpy()] * len(p)), dtype=torch.float32)
    else:
        t = torch.randint(2, T + 1, (32,), generator=gen); wts = torch.ones(32)
    per = loss(net, Xtr[idx], t, torch.randn(32, 1, S, S, generator=gen))
    if 'is' in variant:
        bb = ((t - 2) // 37).numpy()
        for j, v in zip(bb, per.detach().numpy()): hist[j] = 0.98 * hist[j] + 0.02 * v * v
    l = (per * wts).mean()
    opt.zero_grad(); l.backward(); opt.step()
train_s = time.time() - t0
# K on 100 held-out images: sum over t=2..T of KL (exact expectation over t via all t, one eps each) + edge terms approx
with torch.no_grad():
    x = Xte[:100]
    tot = torch.zeros(100)
    per_t = []
    for tt in range(2, T + 1):
        t = torch.full((100,), tt, dtype=torch.long)
        kl = loss(net, x, t, torch.randn(x.shape, generator=gen))
        tot += kl; per_t.append(kl.mean().item())
    per_t = np.array(per_t)
    # mse of x0-hat at a few t
    res = {}
    for tt in [2, 10, 30, 100, 200, 400]:
        t = torch.full((100,), tt, dtype=torch.long)
        a = ab[tt - 1].float()
        xt = a.sqrt() * x + (1 - a).sqrt() * torch.randn(x.shape, generator=gen)
        _, _, x0 = kernel(net, xt, t)
        res[tt] = ((x0 - x) ** 2).mean().item() / ((1 - a) / a).item()
    # samples, mean of last step
    n = 16
    xt = torch.randn(n, 1, S, S, generator=gen)
    for tt in range(T, 1, -1):
        t = torch.full((n,), tt, dtype=torch.long)
        m, logv, _ = kernel(net, xt, t)
        xt = m + (0.5 * logv).exp() * torch.randn(xt.shape, generator=gen)
    xs = xt * (1 - beta1) ** 0.5
    st = xs.numpy()[:, 0] * sd + mu
    d = np.concatenate([np.abs(np.diff(st, axis=1)).ravel(), np.abs(np.diff(st, axis=2)).ravel()]) * 255
    eq, sm = (d < 1.5).mean(), ((d >= 1.5) & (d < 20)).mean()
    np.save(f"/tmp/{variant}-{steps}-s{seed}-S{S}.npy", st)
print(f"{variant} steps {steps} train {train_s:.0f}s  sum KL t>=2 {tot.mean().item() / (S * S) / math.log(2):.3f} bits/px (lower better)"
      f"  low-t(<300) share {per_t[:298].sum()/per_t.sum():.2f}  x0 mse / noise var: " + " ".join(f"t{k}:{v:.3f}" for k, v in res.items())
      + f"  samples equal {eq:.2f} small {sm:.2f}", flush=True)
