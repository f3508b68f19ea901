package org.dpm4j.nn.conv;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.dpm4j.nn.FloatKernels;
import org.dpm4j.nn.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ImageNetwork}'s network, forward and hand-derived backward, on float[] with OpenBLAS sgemm on one thread:
 * the fast path that FLOAT networks train and read out through (the SameDiff graph stays the reference that tests
 * hold this against). Activations are channel-major over the whole batch, [channel, image, row, column] (CNHW), so
 * every product has the pixel count n h w as its long side and every per-pixel loop runs over contiguous rows:
 * <ul>
 * <li>a 3x3 SAME convolution is Y [out, n h w] = W^T X~ with X~ = im2col [9 in, n h w] (rows in the order ky, kx,
 * channel: the YXIO weights [3, 3, in, out] read as [9 in, out]); its input gradient is the convolution of dY with
 * the weights flipped in space and transposed in channels, one im2col of dY and one product (a copy-only im2col
 * instead of a scatter-add col2im), and its weight gradient X~ dY^T comes from the same im2col of dY as its product
 * with X^T, read back unflipped (the first layer, whose input gradient is not wanted, takes X~ dY^T directly). The
 * im2col matrices are built in native memory a block of images at a time, so each stays in cache between its
 * writing and sgemm's reading: whole-batch matrices made the products memory-bound. A forward block carries a last
 * row of ones (and the weights a last row holding the bias), so the bias is added by the product; its gradient is
 * the row sums of dY;</li>
 * <li>mean-pooling, nearest upsampling and their adjoints go from scale to scale by factors of 2;</li>
 * <li>the per-pixel 1x1 layers are products [out, in] x [in, n h w]; the last one is fused with the bump readout as
 * the graph does (per image its weights are mixed over j first);</li>
 * <li>in place of the multi-scale layers, the U-Net ({@link UnetFloat}), built from the same 3x3
 * convolutions ({@link #conv3x3}), 1x1 products ({@link #pointwise}), pooling and upsampling; its backward pass forms
 * the parameters' gradients only.</li>
 * </ul>
 * Parameters are read from the network's live arrays at every {@link #forward} (so optimiser updates and checkpoint
 * restores need no synchronisation); gradients are left in float[] by name until the next {@link #backward}. Work
 * buffers grow to the largest batch seen and are reused, so a training step allocates nothing of its size. Not
 * thread-safe: a network serves one caller at a time. With two threads ({@link #defaultThreads}) a batch is split in
 * two halves carried at once by two workers and their gradients summed (measured in environment/bench: GEMM is most
 * of a step, and a half batch keeps each product's long side); the result then differs from one thread's by float
 * rounding only, and is the same from run to run.
 */
final class ImageNetworkFloat {
    private final ImageNetworkConfig c;
    private final Map<String, INDArray> live;
    private final int C, C0, H, W, HW, d, J, S, L, Cc, Ld, Cd, Ccat, U, hidden;
    private final float[][] bumps;
    /**
     * 1/sqrt(1 - alphabar_t) at index t - 1 for the noise-scaled input channels ({@link ImageNetworkConfig#noiseScaledInput}),
     * null without them: the network's own array, which it refills when its schedule changes.
     */
    private final float[] inputScale;
    private final float convScale, denseScale;
    private final Gemm gemm = new Gemm();
    private final Map<String, float[]> p, g = new LinkedHashMap<>(), buffers = new HashMap<>();
    private final Map<String, Native> natives = new HashMap<>();
    private int n;
    private int[] t;
    private float[] ones = new float[0];
    /**
     * With two threads, a batch of at least {@link #MIN_SPLIT} rows is split in two halves that two workers (each a
     * network of its own buffers, reading this one's parameters) carry forward and backward at the same time; the
     * gradient is the sum of theirs, first half plus second, so a result depends on the thread count but not on the
     * scheduling. Null with one thread.
     */
    private final ImageNetworkFloat[] halves;
    private boolean split;                    // whether the last forward pass went through the halves
    /** The U-Net lower pathway ({@link ImageNetworkConfig#hasUnet}), null for the multi-scale one. */
    private final UnetFloat unet;
    /** Rows a batch needs before it is split: below, the second thread's hand-over costs more than it saves. */
    static final int MIN_SPLIT = 4;

    /**
     * The threads of a network's forward and backward passes: the system property dpm4j.imageThreads (1 or 2), by
     * default 2 when the JVM sees at least two processors, else 1. Measured on the project's 2-vCPU machine when idle
     * (environment/bench, 2026-12-06): the split batch takes 1.4 (MNIST) to 1.7 (dead leaves, bark) times the one
     * thread's steps per wall second at the same CPU per step. On a machine whose other core is busy it gains no wall
     * time and costs a few per cent of CPU; set -Ddpm4j.imageThreads=1 there. A result depends on the thread count
     * (by float rounding), so the image experiments record it with their configuration ({@link ImageNetwork#threads}).
     */
    static int defaultThreads() {
        String set = System.getProperty("dpm4j.imageThreads");
        if (set == null) return Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        int k;
        try {
            k = Integer.parseInt(set.trim());
        } catch (NumberFormatException e) {
            throw org.dpm4j.util.Check.bad("dpm4j.imageThreads", set, "1 or 2");
        }
        if (k != 1 && k != 2) throw org.dpm4j.util.Check.bad("dpm4j.imageThreads", k, "1 or 2");
        return k;
    }

    ImageNetworkFloat(ImageNetworkConfig config, Map<String, INDArray> parameters, float[][] bumps, float[] inputScale) {
        this(config, parameters, bumps, inputScale, defaultThreads());
    }

    /** A network without noise-scaled input on a chosen number of threads. */
    ImageNetworkFloat(ImageNetworkConfig config, Map<String, INDArray> parameters, float[][] bumps, int threads) {
        this(config, parameters, bumps, null, threads);
    }

    /**
     * @param inputScale 1/sqrt(1 - alphabar_t) at index t - 1 (read at every forward pass, not copied), non-null
     *                   exactly when the config has {@code noiseScaledInput}
     */
    ImageNetworkFloat(ImageNetworkConfig config, Map<String, INDArray> parameters, float[][] bumps, float[] inputScale, int threads) {
        this(config, parameters, bumps, inputScale, (Map<String, float[]>) null);
        for (int k = 0; k < 2 && threads == 2; k++) halves[k] = new ImageNetworkFloat(c, live, bumps, inputScale, p);
    }

    /** A network on its own buffers; with {@code shared}, reading those parameter values (a worker of a split batch). */
    private ImageNetworkFloat(ImageNetworkConfig config, Map<String, INDArray> parameters, float[][] bumps, float[] inputScale,
                              Map<String, float[]> shared) {
        if (config.noiseScaledInput() != (inputScale != null)) {
            throw org.dpm4j.util.Check.bad("inputScale", inputScale == null ? null : "float[" + inputScale.length + "]",
                    config.noiseScaledInput() ? "the table 1/sqrt(1 - alphabar_t) (the config has noiseScaledInput)" : "null (the config has no noiseScaledInput)");
        }
        this.c = config;
        this.live = parameters;
        this.bumps = bumps;
        this.inputScale = inputScale;
        this.p = shared != null ? shared : new LinkedHashMap<>();
        this.halves = shared == null ? new ImageNetworkFloat[2] : null;
        C = c.shape().channels();
        C0 = c.convInputChannels();
        H = c.shape().height();
        W = c.shape().width();
        HW = H * W;
        d = c.dimensions();
        J = c.temporalBasis();
        S = c.hasConv() ? c.scales() : 0;
        L = c.convLayers();
        Cc = c.hasConv() ? c.convChannels() : 0;
        Ld = c.denseLayers();
        Cd = c.hasDense() ? c.denseOutputChannels() : 0;
        Ccat = Cc + Cd + (c.hasUnet() ? c.unetChannels() : 0);   // the U-Net comes alone (the config refuses the others beside it)
        U = c.upperLayers();
        hidden = c.upperHidden();
        convScale = (float) (1 / Math.sqrt(Math.max(Cc, 1)));
        denseScale = (float) (1 / Math.sqrt(Math.max(Cd, 1)));
        unet = c.hasUnet() ? new UnetFloat(this, c) : null;
        for (var e : parameters.entrySet()) {
            if (shared == null) p.put(e.getKey(), new float[(int) e.getValue().length()]);
            g.put(e.getKey(), new float[(int) e.getValue().length()]);
        }
    }

    /** Rows of the last forward pass. */
    int rows() { return n; }

    /** g(t_i), the J bump weights of row i of the last forward pass. */
    float[] bumps(int i) { return bumps[t[i] - 1]; }

    /** The values of parameter {@code name} loaded for the current pass, row-major. */
    float[] parameter(String name) { return p.get(name); }

    /** The gradient of parameter {@code name} of the current backward pass, row-major. */
    float[] gradient(String name) { return g.get(name); }

    /** The gradient of the last backward pass by parameter name, row-major in the parameter's shape. */
    Map<String, float[]> gradients() { return g; }

    /**
     * The readout z [n, 2d] (z_mu then z_Sigma, each channel-major as x_t) for x_t [n, d] (channel-major) at t[i];
     * the returned buffer is valid until the next call.
     */
    float[] forward(float[] xt, int[] t) {
        load();
        split = halves != null && halves[0] != null && t.length >= MIN_SPLIT;
        if (split) return forwardSplit(xt, t);
        return forwardLoaded(xt, t);
    }

    /** The two halves of the batch at once, the first on this thread; z is theirs, row by row. */
    private float[] forwardSplit(float[] xt, int[] t) {
        this.n = t.length;
        this.t = t.clone();
        int h = (n + 1) / 2, row = 2 * d;
        float[] z = buf("z", n * row);
        both(() -> System.arraycopy(halves[0].forwardLoaded(Arrays.copyOfRange(xt, 0, h * d), Arrays.copyOfRange(t, 0, h)), 0, z, 0, h * row),
                () -> System.arraycopy(halves[1].forwardLoaded(Arrays.copyOfRange(xt, h * d, n * d), Arrays.copyOfRange(t, h, n)), 0, z, h * row, (n - h) * row));
        return z;
    }

    /** The forward pass on parameters already loaded (a worker's: its parent loaded them). */
    private float[] forwardLoaded(float[] xt, int[] t) {
        this.n = t.length;
        this.t = t.clone();
        int P = n * HW;
        float[] x = buf("xt", n * d);
        System.arraycopy(xt, 0, x, 0, n * d);
        float[] u = buf("u", P * Ccat);
        float[] act0 = null;
        if (c.hasConv() || unet != null) {
            act0 = buf("act0", P * C0);
            toChannelMajor(x, act0, 0, n, C, HW, 1f);
            if (inputScale != null) scaledChannels(x, act0, n, HW);
        }
        if (unet != null) unet.forward(act0, C0, u);
        if (c.hasConv()) {
            float[] h = act0;
            int in = C0;
            for (int l = 0; l < L; l++) {
                float[] out = buf("act" + (l + 1), P * Cc), src = h;
                for (int s = 0; s < S; s++) {
                    int hs = H >> s, ws = W >> s, ps = n * hs * ws;
                    if (s > 0) down2(src, src = buf("pool" + l + "." + s, in * ps), in * n, hs, ws, 0.25f);   // pool by 2^s
                    conv3x3("conv" + l + ".s" + s, src, in, Cc, hs, ws, s == 0 ? out : buf("convOut" + s, Cc * ps));
                }
                // sum_s upsample_{2^s}(y_s), coarsest first, each scale upsampled by 2 onto the next finer
                for (int s = S - 1; s >= 1; s--) up2Add(buf("convOut" + s, 0), s == 1 ? out : buf("convOut" + (s - 1), 0), Cc * n, H >> s, W >> s, 1f);
                FloatKernels.softplusWithDerivative(out, P * Cc, buf("dAct" + (l + 1), P * Cc));
                h = out;
                in = Cc;
            }
            scale(h, u, P * Cc, convScale);
        }
        if (c.hasDense()) {
            float[] a = x;
            int in = d;
            for (int l = 0; l < Ld; l++) {
                int out = denseWidth(l);
                float[] z = buf("dense" + l, n * out);
                liveProduct(false, n, out, in, a, "dense" + l + ".W", z);
                addToRows(z, n, out, p.get("dense" + l + ".b"));
                FloatKernels.tanh(z, n * out);
                a = z;
                in = out;
            }
            toChannelMajor(a, u, Cc * P, n, Cd, HW, denseScale);
        }
        float[] v = u;
        int in = Ccat;
        for (int l = 0; l < U - 1; l++) {
            float[] o = buf("upper" + l, P * hidden);
            pointwise("upper" + l, v, in, hidden, P, 0f, o);
            FloatKernels.tanh(o, P * hidden);
            v = o;
            in = hidden;
        }
        return readout(v, in);
    }

    /** Rows per forward pass in {@link #readout(float[], int[])}: work buffers stay at training-batch size. */
    static final int CHUNK = 64;

    /**
     * The readout z [n, 2d] for x_t [n, d] at t[i] without keeping anything for a backward pass, in chunks of
     * {@link #CHUNK} rows so that evaluating or sampling many images needs no more memory than a training step
     * (a pass keeps every layer's activations, about 0.25 MB per 28x28 image at reference sizes, and work buffers of
     * similar size). A fresh array.
     */
    float[] readout(float[] xt, int[] t) {
        int n = t.length, row = 2 * d;
        float[] z = new float[n * row];
        for (int start = 0; start < n; start += CHUNK) {
            int end = Math.min(n, start + CHUNK);
            float[] part = forward(Arrays.copyOfRange(xt, start * d, end * d), Arrays.copyOfRange(t, start, end));
            System.arraycopy(part, 0, z, start * row, (end - start) * row);
        }
        return z;
    }

    /**
     * Back-propagates dLoss/dz [n, 2d] through the last forward pass: fills {@link #gradients()} and, when
     * {@code input}, returns the network's part of dLoss/dx_t [n, d] (channel-major; a buffer valid until the next
     * call), else null.
     */
    float[] backward(float[] dz, boolean input) {
        if (input && unet != null) {
            throw org.dpm4j.util.Check.bad("input", true, "false for the U-Net (unetChannels = " + c.unetChannels()
                    + "): its float[] path computes parameter gradients only");
        }
        if (!split) return backwardOne(dz, input);
        int h = (n + 1) / 2, row = 2 * d;
        float[][] dx = new float[2][];
        both(() -> dx[0] = halves[0].backwardOne(Arrays.copyOfRange(dz, 0, h * row), input),
                () -> dx[1] = halves[1].backwardOne(Arrays.copyOfRange(dz, h * row, n * row), input));
        for (var e : g.entrySet()) {
            float[] sum = e.getValue(), a = halves[0].g.get(e.getKey()), b = halves[1].g.get(e.getKey());
            for (int k = 0; k < sum.length; k++) sum[k] = a[k] + b[k];
        }
        if (!input) return null;
        float[] out = buf("dxt", n * d);
        System.arraycopy(dx[0], 0, out, 0, h * d);
        System.arraycopy(dx[1], 0, out, h * d, (n - h) * d);
        return out;
    }

    /** Runs a on this thread and b on the shared worker thread, and returns when both have; their failures propagate. */
    private static void both(Runnable a, Runnable b) {
        java.util.concurrent.Future<?> f = WORKER.submit(b);
        try {
            a.run();
        } finally {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the second half of the batch ran", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * The second thread of every split network (daemon threads, so a program ends without closing anything); a pool
     * rather than one thread, so that networks used from several threads at once never wait on each other's halves.
     */
    private static final java.util.concurrent.ExecutorService WORKER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread th = new Thread(r, "dpm4j-image-half");
        th.setDaemon(true);
        return th;
    });

    private float[] backwardOne(float[] dz, boolean input) {
        int P = n * HW, top = U > 1 ? hidden : Ccat;
        float[] dv = buf("dUpper" + (U - 1), P * top);
        readoutBackward(U > 1 ? buf("upper" + (U - 2), P * hidden) : buf("u", P * Ccat), top, dz, dv);
        for (int l = U - 2; l >= 0; l--) {
            int in = l == 0 ? Ccat : hidden;
            float[] o = buf("upper" + l, P * hidden), below = l == 0 ? buf("u", P * Ccat) : buf("upper" + (l - 1), P * hidden);
            tanhBack(o, dv, P * hidden);
            float[] dBelow = buf("dUpper" + l, P * in);
            pointwiseBackward("upper" + l, below, in, hidden, P, dv, dBelow, 0f);
            dv = dBelow;
        }
        float[] du = dv, dx = input ? buf("dxt", n * d) : null;
        if (dx != null) Arrays.fill(dx, 0, n * d, 0f);
        if (unet != null) unet.backward(buf("act0", 0), C0, du);
        if (c.hasConv()) convBackward(du, dx);
        if (c.hasDense()) denseBackward(du, dx);
        return dx;
    }

    /**
     * The convolution pathway backward. A convolution's input gradient is itself a 3x3 SAME convolution, of dY with
     * the weights flipped in space and transposed in channels, so it is im2col(dY) times those weights (a copy-only
     * im2col instead of a scatter-add col2im). Pooling and upsampling go scale to scale by factors of 2, so their
     * adjoints cost one pass over the finest scale per layer.
     */
    private void convBackward(float[] du, float[] dx) {
        int P = n * HW, widest = Math.max(Cc, C0);
        float[] dh = buf("dConv0", P * widest), other = buf("dConv1", P * widest);
        scale(du, dh, P * Cc, convScale);
        for (int l = L - 1; l >= 0; l--) {
            int in = l == 0 ? C0 : Cc;
            multiply(buf("dAct" + (l + 1), P * Cc), dh, P * Cc);   // softplus' kept by the forward pass
            float[] dIn = l > 0 || dx != null ? other : null, dy = dh;
            for (int s = 0; s < S; s++) {
                int hs = H >> s, ws = W >> s, ps = n * hs * ws;
                if (s > 0) down2(dy, dy = buf("dConvOut" + s, Cc * ps), Cc * n, hs, ws, 1f);   // adjoint of upsampling
                float[] src = s == 0 ? buf("act" + l, 0) : buf("pool" + l + "." + s, 0);   // this convolution's input
                conv3x3Backward("conv" + l + ".s" + s, src, in, Cc, hs, ws, dy, dIn == null ? null : s == 0 ? dIn : buf("dPool" + s, in * ps));
            }
            if (dIn == null) break;
            // adjoint of pooling, coarsest first: each scale's gradient spread by 2 (divided by 4) onto the next finer
            for (int s = S - 1; s >= 1; s--) up2Add(buf("dPool" + s, 0), s == 1 ? dIn : buf("dPool" + (s - 1), 0), in * n, H >> s, W >> s, 0.25f);
            other = dh;
            dh = dIn;
        }
        if (dx != null) {
            toImageMajor(dh, 0, dx, n, C, HW, 1f, true);
            if (inputScale != null) scaledChannelsBack(dh, dx, n, HW);   // x_t reaches the loss through both channel sets
        }
    }

    /**
     * y [out, n hs ws] = the 3x3 SAME convolution {@code name} (weights YXIO [3, 3, in, out], bias [out]) of
     * src [in, n, hs, ws]: per block of images, the weights with the bias as a last row times im2col(src) with its
     * ones row, so the product adds the bias.
     */
    void conv3x3(String name, float[] src, int in, int out, int hs, int ws, float[] y) {
        int ps = n * hs * ws, k = 9 * in + 1, plane = hs * ws;      // im2col rows and the ones row
        Native w = nat("w", k * out).in(p.get(name + ".W"), 9 * in * out), yN = nat("y", out * ps);
        w.values.put(9 * in * out, p.get(name + ".b"), 0, out);
        for (int i0 = 0, per = imagesPerBlock(plane); i0 < n; i0 += per) {
            int cols = (Math.min(n, i0 + per) - i0) * plane;
            Native col = im2col("col", src, in, hs, ws, i0, Math.min(n, i0 + per), true);
            Gemm.multiply(true, false, out, cols, k, w.pointer, 0, out, col.pointer, 0, cols, 0f, yN.pointer, (long) i0 * plane, ps);
        }
        yN.out(y, out * ps);
    }

    /**
     * The backward pass of {@link #conv3x3} for dLoss/dy [out, n hs ws]: the weight and bias gradients into
     * {@link #gradients()} and, when dIn is non-null, dLoss/dsrc [in, n hs ws] written into it (overwritten).
     */
    void conv3x3Backward(String name, float[] src, int in, int out, int hs, int ws, float[] dy, float[] dIn) {
        int ps = n * hs * ws, k = 9 * in + 1, plane = hs * ws;
        if (dIn == null) {
            // a first layer, whose input gradient is not wanted: its weight gradient from im2col(X), whose
            // ones row makes the product's last row the bias gradient, the row sums of dY
            Native dyN = nat("dy", out * ps).in(dy, out * ps), gw = nat("gw", k * out);
            for (int i0 = 0, per = imagesPerBlock(plane); i0 < n; i0 += per) {
                int i1 = Math.min(n, i0 + per), cols = (i1 - i0) * plane;
                Native col = im2col("col", src, in, hs, ws, i0, i1, true);
                Gemm.multiply(false, true, k, out, cols, col.pointer, 0, cols, dyN.pointer, (long) i0 * plane, ps, i0 == 0 ? 0f : 1f, gw.pointer, 0, out);
            }
            gw.out(g.get(name + ".W"), 9 * in * out);
            gw.values.get(9 * in * out, g.get(name + ".b"), 0, out);
            return;
        }
        // Both gradients from the one im2col of dY: the input gradient is colBack's product with the flipped
        // weights, and the weight gradient colBack X^T read back unflipped (sum_j X[c, j + s] dY[o, j] =
        // sum_j X[c, j] dY[o, j - s], and colBack's row for the mirrored tap holds dY shifted by -s), so the
        // im2col of X is not rebuilt: measured on deadleaves-standard (one thread), im2col was 17 % of a
        // step and this removes a third of it. X goes in transposed, [pixels, in], so that the product is
        // row-major (N, N), which Gemm sums in parts for OpenBLAS's small-matrix kernels (124 -> 150-168
        // GFLOP/s, for a transposition of about a tenth of the product's time).
        float[] f = buf("flipped", 9 * out * in);
        flip(p.get(name + ".W"), f, in, out);
        Native flipped = nat("flipped", 9 * out * in).in(f, 9 * out * in), dInN = nat("dIn", in * ps);
        float[] xt = buf("xTransposed", ps * in);
        transpose(src, in, ps, xt);
        Native xN = nat("x", ps * in).in(xt, ps * in), gwFlipped = nat("gwFlipped", 9 * out * in);
        for (int i0 = 0, per = imagesPerBlock(plane); i0 < n; i0 += per) {
            int i1 = Math.min(n, i0 + per), cols = (i1 - i0) * plane;
            long off = (long) i0 * plane;
            Native colBack = im2col("colBack", dy, out, hs, ws, i0, i1, false);
            Gemm.multiply(false, false, in, cols, 9 * out, flipped.pointer, 0, 9 * out, colBack.pointer, 0, cols, 0f, dInN.pointer, off, ps);
            Gemm.multiply(false, false, 9 * out, in, cols, colBack.pointer, 0, cols, xN.pointer, off * in, in, i0 == 0 ? 0f : 1f, gwFlipped.pointer, 0, in);
        }
        float[] gf = buf("gwFlipped", 9 * out * in);
        gwFlipped.out(gf, 9 * out * in);
        unflip(gf, g.get(name + ".W"), in, out);
        rowSums(dy, out, ps, g.get(name + ".b"));
        dInN.out(dIn, in * ps);
    }

    /**
     * y [out, cols] = W^T x + b for the 1x1 layer {@code name} (weights [in, out], read from YXIO [1, 1, in, out],
     * bias [out]) on x [in, cols]; with beta 1 added to what y holds.
     */
    void pointwise(String name, float[] x, int in, int out, int cols, float beta, float[] y) {
        gemm.multiply(true, false, out, cols, in, p.get(name + ".W"), 0, x, 0, beta, y);
        addBias(y, out, cols, p.get(name + ".b"));
    }

    /**
     * The backward pass of {@link #pointwise} for dLoss/dy [out, cols]: the weight and bias gradients into
     * {@link #gradients()}, and dx [in, cols] = W dy (plus dxBeta times what dx holds).
     */
    void pointwiseBackward(String name, float[] x, int in, int out, int cols, float[] dy, float[] dx, float dxBeta) {
        gemm.multiply(false, true, in, out, cols, x, 0, dy, 0, 0f, g.get(name + ".W"));
        rowSums(dy, out, cols, g.get(name + ".b"));
        gemm.multiply(false, false, in, cols, out, p.get(name + ".W"), 0, dy, 0, dxBeta, dx);
    }

    /**
     * The noise-scaled input channels C..2C-1 of act0 [2C, n, hw]: x_t [n, C, hw] times 1/sqrt(1 - alphabar_{t_i}) of
     * each row's own t_i.
     */
    private void scaledChannels(float[] x, float[] act0, int n, int hw) {
        int P = n * hw;
        for (int i = 0; i < n; i++) {
            float f = inputScale[t[i] - 1];
            for (int ch = 0; ch < C; ch++) {
                int o = C * P + (ch * n + i) * hw, from = (i * C + ch) * hw;
                for (int q = 0; q < hw; q++) act0[o + q] = f * x[from + q];
            }
        }
    }

    /** The adjoint of {@link #scaledChannels}: dx [n, C, hw] += 1/sqrt(1 - alphabar_{t_i}) dAct0 of channels C..2C-1. */
    private void scaledChannelsBack(float[] dAct0, float[] dx, int n, int hw) {
        int P = n * hw;
        for (int i = 0; i < n; i++) {
            float f = inputScale[t[i] - 1];
            for (int ch = 0; ch < C; ch++) {
                int from = C * P + (ch * n + i) * hw, o = (i * C + ch) * hw;
                for (int q = 0; q < hw; q++) dx[o + q] += f * dAct0[from + q];
            }
        }
    }

    /**
     * gw[(ky, kx, in), out] = gwFlipped[(2 - ky, 2 - kx, out), in]: the weight gradient from the product of the dY
     * im2col with X^T.
     */
    private static void unflip(float[] gwFlipped, float[] gw, int in, int out) {
        for (int k = 0; k < 9; k++) {
            for (int ci = 0; ci < in; ci++) {
                int o = (k * in + ci) * out, from = (8 - k) * out * in + ci;
                for (int co = 0; co < out; co++) gw[o + co] = gwFlipped[from + co * in];
            }
        }
    }

    /**
     * dst [cols, rows] = src [rows, cols]^T, in tiles of 16 columns and four rows at a time (0.6 to 0.9 of the time of
     * a plain loop on 32 x 8192, microbenchmark 2026-12-06).
     */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int j0 = 0; j0 < cols; j0 += 16) {
            int j1 = Math.min(cols, j0 + 16), r = 0;
            for (; r + 3 < rows; r += 4) {
                int s0 = r * cols, s1 = s0 + cols, s2 = s1 + cols, s3 = s2 + cols;
                for (int j = j0; j < j1; j++) {
                    int o = j * rows + r;
                    dst[o] = src[s0 + j];
                    dst[o + 1] = src[s1 + j];
                    dst[o + 2] = src[s2 + j];
                    dst[o + 3] = src[s3 + j];
                }
            }
            for (; r < rows; r++) {
                for (int j = j0, from = r * cols; j < j1; j++) dst[j * rows + r] = src[from + j];
            }
        }
    }

    /** flipped[in, (ky, kx, out)] = w[(2 - ky, 2 - kx, in), out]: the weights of the input-gradient convolution. */
    private static void flip(float[] w, float[] flipped, int in, int out) {
        for (int ci = 0; ci < in; ci++) {
            for (int k = 0; k < 9; k++) System.arraycopy(w, ((8 - k) * in + ci) * out, flipped, (ci * 9 + k) * out, out);
        }
    }

    private void denseBackward(float[] du, float[] dx) {
        int last = Ld - 1, width = Cd * HW, P = n * HW;
        float[] da = buf("dDense" + last, n * width);
        toImageMajor(du, Cc * P, da, n, Cd, HW, denseScale, false);
        for (int l = last; l >= 0; l--) {
            int out = denseWidth(l), in = l == 0 ? d : denseWidth(l - 1);
            tanhBack(buf("dense" + l, n * out), da, n * out);
            float[] below = l == 0 ? buf("xt", n * d) : buf("dense" + (l - 1), n * in);
            gemm.multiply(true, false, in, out, n, below, 0, da, 0, 0f, g.get("dense" + l + ".W"));
            denseBiasGradient(da, out, g.get("dense" + l + ".b"));
            if (l == 0 && dx == null) break;
            float[] dBelow = buf(l == 0 ? "dDenseInput" : "dDense" + (l - 1), n * in);
            liveProduct(true, n, in, out, da, "dense" + l + ".W", dBelow);
            if (l == 0) {
                add(dBelow, dx, n * d);
            }
            da = dBelow;
        }
    }

    /**
     * c [m, n] = a [m, k] op(W) for a parameter W (op(W) = W [k, n], or W^T with {@code transW} for W [n, k]) read in
     * place from the network's live array in ND4J's native memory: the dense pathway's weights are most of the
     * network (1.7 M values at reference sizes), and copying them into sgemm's buffers twice a step was a tenth of an
     * MNIST step (measured with JFR, 2026-12-06); a and c still pass through native buffers.
     */
    private void liveProduct(boolean transW, int m, int n, int k, float[] a, String name, float[] c) {
        INDArray w = live.get(name);
        if (w.dataType() != DataType.FLOAT || w.ordering() != 'c' || w.elementWiseStride() != 1) {
            gemm.multiply(false, transW, m, n, k, a, 0, p.get(name), 0, 0f, c);   // not a plain FLOAT array: the copied values
            return;
        }
        FloatPointer wp = new FloatPointer(w.data().addressPointer()).capacity(w.data().length());
        Native aN = nat("liveA", m * k).in(a, m * k), cN = nat("liveC", m * n);
        Gemm.multiply(false, transW, m, n, k, aN.pointer, 0, k, wp, w.offset(), transW ? k : n, 0f, cN.pointer, 0, n);
        cN.out(c, m * n);
    }

    /**
     * The last 1x1 layer fused with the bump readout: per image i the weights w_i = sum_j g_j(t_i) W_j [in, 2C] and
     * bias b_i = sum_j g_j(t_i) b_j, then z[i, k HW + q] = b_i[k] + sum_c w_i[c, k] v[c, i HW + q], k = kind C + channel.
     */
    private float[] readout(float[] v, int in) {
        int K = 2 * C, P = n * HW;
        float[] z = buf("z", n * 2 * d), wi = buf("wMixed", n * in * K), bi = buf("bMixed", n * K);
        mixWeights(p.get(lastName() + ".W"), p.get(lastName() + ".b"), in, wi, bi);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < K; k++) {
                int o = i * 2 * d + k * HW;
                Arrays.fill(z, o, o + HW, bi[i * K + k]);
                int ch = 0, wo = i * in * K + k;
                // four channels per pass over z's row, a quarter of the read-modify-writes of one channel per pass
                for (; ch + 3 < in; ch += 4) {
                    axpy4(wi[wo + ch * K], wi[wo + (ch + 1) * K], wi[wo + (ch + 2) * K], wi[wo + (ch + 3) * K], v, ch * P + i * HW, P, z, o, HW);
                }
                for (; ch < in; ch++) axpy(wi[wo + ch * K], v, ch * P + i * HW, z, o, HW);
            }
        }
        return z;
    }

    private void readoutBackward(float[] v, int in, float[] dz, float[] dv) {
        int K = 2 * C, P = n * HW;
        float[] wi = buf("wMixed", n * in * K), dwi = buf("dwMixed", in * K), dbi = new float[K];
        float[] gW = g.get(lastName() + ".W"), gb = g.get(lastName() + ".b");
        Arrays.fill(gW, 0f);
        Arrays.fill(gb, 0f);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < in; ch++) {
                int o = ch * P + i * HW;
                // dv's row = sum_k w_k dz_k two kinds per pass (K = 2C is even), the first pair setting it
                for (int k = 0; k < K; k += 2) {
                    int zo = i * 2 * d + k * HW, wo = (i * in + ch) * K + k;
                    pair(wi[wo], wi[wo + 1], dz, zo, HW, dv, o, HW, k > 0);
                }
                for (int k = 0; k < K; k++) dwi[ch * K + k] = dot(v, o, dz, i * 2 * d + k * HW, HW);
            }
            for (int k = 0; k < K; k++) dbi[k] = sum(dz, i * 2 * d + k * HW, HW);
            float[] gi = bumps[t[i] - 1];
            for (int j = 0; j < J; j++) {
                for (int m = 0; m < in * K; m++) gW[j * in * K + m] += gi[j] * dwi[m];
                for (int k = 0; k < K; k++) gb[j * K + k] += gi[j] * dbi[k];
            }
        }
    }

    private void mixWeights(float[] wJ, float[] bJ, int in, float[] wi, float[] bi) {
        int K = 2 * C, m = in * K;
        Arrays.fill(wi, 0, n * m, 0f);
        Arrays.fill(bi, 0, n * K, 0f);
        for (int i = 0; i < n; i++) {
            float[] gi = bumps[t[i] - 1];
            for (int j = 0; j < J; j++) {
                for (int e = 0; e < m; e++) wi[i * m + e] += gi[j] * wJ[j * m + e];
                for (int k = 0; k < K; k++) bi[i * K + k] += gi[j] * bJ[j * K + k];
            }
        }
    }

    private String lastName() { return "upper" + (U - 1); }

    private int denseWidth(int l) { return l == Ld - 1 ? Cd * HW : c.denseHidden(); }

    /** Columns of an im2col block: its matrix [9 in + 1, columns] (about 1.4 MB) stays in the L2 cache for its product. */
    static final int BLOCK_COLUMNS = 512;

    /**
     * Columns of an im2col block in the U-Net, whose convolutions are wider (up to 9 x 128 + 1 rows): a 300-step
     * dead-leaves standard U-Net run (16x16, batch 32, c0 = 32, one thread, 2026-12-06, load 2.1-2.6) took 11.4-11.6
     * steps per CPU second with 512 columns, 12.5-12.8 with 256 and 12.5-12.7 with 128.
     */
    static final int UNET_BLOCK_COLUMNS = 256;

    /** Images per im2col block at this plane size (at least one). */
    private int imagesPerBlock(int plane) { return Math.max(1, Math.min(n, (unet != null ? UNET_BLOCK_COLUMNS : BLOCK_COLUMNS) / plane)); }

    /**
     * im2col of a 3x3 SAME convolution for images i0..i1-1 of src [ch, n, h, w]: the reused native matrix named key,
     * [9 ch, (i1 - i0) h w] (plus a last row of ones with {@code ones}), row (ky, kx, c) holding channel c shifted by
     * (ky - 1, kx - 1) with zeros outside each image, written a whole block per copy with the edge entries zeroed after
     * (a copy per image plane took 1.1 to 1.3 times as long at the coarser scales, where planes are 64 and 16 values;
     * microbenchmark, 2026-12-06). Convolutions go block by block of images so that the matrix, written and then read
     * by sgemm, stays in cache: the whole-batch matrices (9 x 20 x 50176 floats, 36 MB) made each product memory-bound.
     */
    private Native im2col(String key, float[] src, int ch, int h, int w, int i0, int i1, boolean ones) {
        int plane = h * w, ps = n * plane, cols = (i1 - i0) * plane;
        Native block = nat(key, (9 * ch + (ones ? 1 : 0)) * cols);
        FloatBuffer col = block.values;
        float[] zeros = buf("zeros", w);
        Arrays.fill(zeros, 0, w, 0f);
        for (int ky = 0; ky < 3; ky++) {
            int dy = ky - 1;
            for (int kx = 0; kx < 3; kx++) {
                int dx = kx - 1, shift = dy * w + dx, j0 = Math.max(0, -shift), j1 = Math.min(cols, cols - shift);
                for (int c = 0; c < ch; c++) {
                    int row = ((ky * 3 + kx) * ch + c) * cols, base = c * ps + i0 * plane;
                    // dst (i, y, x) = src (i, y + dy, x + dx): one copy of the whole block shifted by dy w + dx, then
                    // the entries whose source lies outside their image (a row above or below it, the wrapped edge
                    // column) zeroed image by image; they include the few entries at the block's ends the copy skips
                    if (j1 > j0) col.put(row + j0, src, base + j0 + shift, j1 - j0);
                    for (int i = 0; i < i1 - i0; i++) {
                        int o = row + i * plane;
                        if (dx != 0) {
                            int edge = o + (dx < 0 ? 0 : w - 1);
                            for (int y = 0; y < h; y++) col.put(edge + y * w, 0f);
                        }
                        if (dy < 0) col.put(o, zeros, 0, w);
                        if (dy > 0) col.put(o + (h - 1) * w, zeros, 0, w);
                    }
                }
            }
        }
        if (ones) col.put(9 * ch * cols, ones(cols), 0, cols);
        return block;
    }

    /** ps ones (the last row of each im2col block of a forward convolution). */
    private float[] ones(int ps) {
        if (ones.length < ps) {
            ones = new float[ps];
            Arrays.fill(ones, 1f);
        }
        return ones;
    }

    /**
     * dst [planes, hs, ws] = scale times the sum of each 2x2 block of src [planes, 2 hs, 2 ws]: mean-pooling by 2 with
     * scale 1/4, the adjoint of nearest upsampling by 2 with scale 1. Rows of all planes in one loop, two outputs per
     * iteration: C2's vectorisation of the one-output loop (rows of 4 to 14) made it slower; this form took 0.55 to
     * 0.75 of its time (2026-12-06, microbenchmark on [1024, 16, 16] and [1024, 14, 14]).
     */
    static void down2(float[] src, float[] dst, int planes, int hs, int ws, float scale) {
        down2(src, 0, dst, planes, hs, ws, scale);
    }

    /** {@link #down2} reading src from sOff on (the U-Net's upsampled half of a concatenation). */
    static void down2(float[] src, int sOff, float[] dst, int planes, int hs, int ws, float scale) {
        int wf = 2 * ws, rows = planes * hs;
        for (int r = 0; r < rows; r++) {
            int a = sOff + 2 * r * wf, b = a + wf, o = r * ws, x = 0;
            for (; x + 1 < ws; x += 2) {
                int i = 2 * x;
                dst[o + x] = scale * (src[a + i] + src[a + i + 1] + src[b + i] + src[b + i + 1]);
                dst[o + x + 1] = scale * (src[a + i + 2] + src[a + i + 3] + src[b + i + 2] + src[b + i + 3]);
            }
            if (x < ws) dst[o + x] = scale * (src[a + 2 * x] + src[a + 2 * x + 1] + src[b + 2 * x] + src[b + 2 * x + 1]);
        }
    }

    /**
     * dst [planes, 2 hs, 2 ws] += scale times src [planes, hs, ws] copied onto each 2x2 block: nearest upsampling by 2
     * with scale 1, the adjoint of mean-pooling by 2 with scale 1/4. Two inputs per iteration, as {@link #down2}
     * (0.7 to 1.0 of the one-input loop's time).
     */
    static void up2Add(float[] src, float[] dst, int planes, int hs, int ws, float scale) {
        up2Add(src, dst, 0, planes, hs, ws, scale);
    }

    /** {@link #up2Add} writing dst from dOff on (the U-Net's upsampled half of a concatenation). */
    static void up2Add(float[] src, float[] dst, int dOff, int planes, int hs, int ws, float scale) {
        int wf = 2 * ws, rows = planes * hs;
        for (int r = 0; r < rows; r++) {
            int a = dOff + 2 * r * wf, b = a + wf, o = r * ws, x = 0;
            for (; x + 1 < ws; x += 2) {
                float v = scale * src[o + x], u = scale * src[o + x + 1];
                int i = 2 * x;
                dst[a + i] += v;
                dst[a + i + 1] += v;
                dst[a + i + 2] += u;
                dst[a + i + 3] += u;
                dst[b + i] += v;
                dst[b + i + 1] += v;
                dst[b + i + 2] += u;
                dst[b + i + 3] += u;
            }
            if (x < ws) {
                float v = scale * src[o + x];
                dst[a + 2 * x] += v;
                dst[a + 2 * x + 1] += v;
                dst[b + 2 * x] += v;
                dst[b + 2 * x + 1] += v;
            }
        }
    }

    /*
     * The per-element passes of forward and backward live in small methods of their own: then the orchestrating
     * methods hold no hot loops, are never compiled on-stack or by C2 with all of their callees inlined (a second and
     * third compilation of the same code), and the JIT's share of a short training run falls.
     */

    /** dst[k] = scale src[k] for k below size. */
    private static void scale(float[] src, float[] dst, int size, float scale) {
        for (int k = 0; k < size; k++) dst[k] = scale * src[k];
    }

    /** dst[k] *= a[k] for k below size. */
    static void multiply(float[] a, float[] dst, int size) {
        for (int k = 0; k < size; k++) dst[k] *= a[k];
    }

    /** dst[k] += src[k] for k below size. */
    static void add(float[] src, float[] dst, int size) {
        for (int k = 0; k < size; k++) dst[k] += src[k];
    }

    /** z[i, k] += b[k] for z [rows, cols]. */
    private static void addToRows(float[] z, int rows, int cols, float[] b) {
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) z[i * cols + k] += b[k];
        }
    }

    /** dst[dOff + (c n + i) hw + q] = scale src[(i ch + c) hw + q]: images [n, ch, hw] to channel-major [ch, n, hw]. */
    private static void toChannelMajor(float[] src, float[] dst, int dOff, int n, int ch, int hw, float scale) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++) {
                int o = dOff + (c * n + i) * hw, from = (i * ch + c) * hw;
                for (int q = 0; q < hw; q++) dst[o + q] = scale * src[from + q];
            }
        }
    }

    /** The adjoint layout change: dst[(i ch + c) hw + q] (=, or += with {@code add}) scale src[sOff + (c n + i) hw + q]. */
    private static void toImageMajor(float[] src, int sOff, float[] dst, int n, int ch, int hw, float scale, boolean add) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++) {
                int o = (i * ch + c) * hw, from = sOff + (c * n + i) * hw;
                if (add) {
                    for (int q = 0; q < hw; q++) dst[o + q] += scale * src[from + q];
                } else {
                    for (int q = 0; q < hw; q++) dst[o + q] = scale * src[from + q];
                }
            }
        }
    }

    /** y[r, :] += b[r] for y [rows, cols]. */
    private static void addBias(float[] y, int rows, int cols, float[] b) {
        for (int r = 0; r < rows; r++) {
            float v = b[r];
            for (int k = r * cols; k < (r + 1) * cols; k++) y[k] += v;
        }
    }

    /** y[yOff + q] += a x[xOff + q] + b x[xOff + s + q] + c x[xOff + 2 s + q] + e x[xOff + 3 s + q] for q below len. */
    private static void axpy4(float a, float b, float c, float e, float[] x, int xOff, int s, float[] y, int yOff, int len) {
        for (int q = 0; q < len; q++) {
            y[yOff + q] += a * x[xOff + q] + b * x[xOff + s + q] + c * x[xOff + 2 * s + q] + e * x[xOff + 3 * s + q];
        }
    }

    /** y[yOff + q] (=, or += with {@code add}) a x[xOff + q] + b x[xOff + s + q] for q below len. */
    private static void pair(float a, float b, float[] x, int xOff, int s, float[] y, int yOff, int len, boolean add) {
        if (add) {
            for (int q = 0; q < len; q++) y[yOff + q] += a * x[xOff + q] + b * x[xOff + s + q];
        } else {
            for (int q = 0; q < len; q++) y[yOff + q] = a * x[xOff + q] + b * x[xOff + s + q];
        }
    }

    /** y[yOff + q] += a x[xOff + q] for q below len. */
    private static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int q = 0; q < len; q++) y[yOff + q] += a * x[xOff + q];
    }

    /**
     * sum_q x[xOff + q] y[yOff + q] in eight partial sums: one running sum is a chain of dependent additions (about
     * four cycles each), the readout's backward pass spent a tenth of an MNIST step in it.
     */
    static float dot(float[] x, int xOff, float[] y, int yOff, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int q = 0;
        for (; q + 7 < len; q += 8) {
            s0 += x[xOff + q] * y[yOff + q];
            s1 += x[xOff + q + 1] * y[yOff + q + 1];
            s2 += x[xOff + q + 2] * y[yOff + q + 2];
            s3 += x[xOff + q + 3] * y[yOff + q + 3];
            s4 += x[xOff + q + 4] * y[yOff + q + 4];
            s5 += x[xOff + q + 5] * y[yOff + q + 5];
            s6 += x[xOff + q + 6] * y[yOff + q + 6];
            s7 += x[xOff + q + 7] * y[yOff + q + 7];
        }
        for (; q < len; q++) s0 += x[xOff + q] * y[yOff + q];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** sum_q x[off + q] for q below len, in eight partial sums (see {@link #dot}). */
    static float sum(float[] x, int off, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int q = 0;
        for (; q + 7 < len; q += 8) {
            s0 += x[off + q];
            s1 += x[off + q + 1];
            s2 += x[off + q + 2];
            s3 += x[off + q + 3];
            s4 += x[off + q + 4];
            s5 += x[off + q + 5];
            s6 += x[off + q + 6];
            s7 += x[off + q + 7];
        }
        for (; q < len; q++) s0 += x[off + q];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** out[r] = sum of row r of y [rows, cols] (a bias gradient in the channel-major layout). */
    private static void rowSums(float[] y, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) out[r] = sum(y, r * cols, cols);
    }

    /** The dense layers' bias gradient: column sums of da [n, out]. */
    private void denseBiasGradient(float[] da, int out, float[] gb) {
        Arrays.fill(gb, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < out; k++) gb[k] += da[i * out + k];
        }
    }

    /** upstream[i] *= tanh'(.) = 1 - y[i]^2 given y[i] = tanh(.). */
    private static void tanhBack(float[] y, float[] upstream, int size) {
        for (int i = 0; i < size; i++) upstream[i] *= 1 - y[i] * y[i];
    }

    /** A native matrix and a view of it for bulk copies, grown on demand and reused. */
    private static final class Native {
        final FloatPointer pointer;
        final FloatBuffer values;

        Native(long size) {
            pointer = new FloatPointer(size);
            values = pointer.asBuffer();
        }

        Native in(float[] v, int size) {
            values.put(0, v, 0, size);
            return this;
        }

        void out(float[] v, int size) {
            values.get(0, v, 0, size);
        }
    }

    private Native nat(String key, int size) {
        Native b = natives.get(key);
        if (b == null || b.pointer.capacity() < size) {
            if (b != null) b.pointer.close();
            natives.put(key, b = new Native(Math.max(size, 1)));
        }
        return b;
    }

    /** A reused work buffer of at least {@code size} floats (contents undefined). */
    float[] buf(String key, int size) {
        float[] b = buffers.get(key);
        if (b == null || b.length < size) buffers.put(key, b = new float[size]);
        return b;
    }

    /** Copies the network's live parameter arrays in (FLOAT, contiguous row-major as ImageNetwork builds them). */
    private void load() {
        for (var e : live.entrySet()) {
            INDArray a = e.getValue();
            float[] dst = p.get(e.getKey());
            if (e.getKey().startsWith("dense") && e.getKey().endsWith(".W") && a.dataType() == DataType.FLOAT && a.ordering() == 'c'
                    && a.elementWiseStride() == 1) continue;   // read in place by liveProduct
            if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
                System.arraycopy(a.castTo(DataType.FLOAT).dup('c').data().asFloat(), 0, dst, 0, dst.length);
                continue;
            }
            FloatBuffer b = a.data().asNioFloat();
            b.position((int) a.offset());
            b.get(dst);
        }
    }
}
