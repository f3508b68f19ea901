package org.dpm4j.nn.conv;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpm4j.nn.FloatKernels;
import org.dpm4j.nn.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ImageNetwork}'s network, forward and hand-derived backward, on row-major float[] with OpenBLAS sgemm on one
 * thread: the fast path that FLOAT networks train and read out through (the SameDiff graph stays the reference that
 * tests hold this against). Activations are NHWC ([image, row, column, channel]), so a 3x3 SAME convolution is one
 * product of the im2col matrix [n h w, 9 in] (columns in the order ky, kx, channel: the YXIO weights [3, 3, in, out]
 * read as [9 in, out]) with the weights; its weight gradient is im2col^T dY and its input gradient im2col(dY) times
 * the flipped weights (see {@link #convBackward}). Mean-pooling, nearest upsampling and their adjoints are plain loops
 * from scale to scale, as are the concatenation and the fused bump readout (per image the last layer's weights are
 * mixed over j first, as the graph does).
 * <p>
 * Parameters are read from the network's live arrays at every {@link #forward} (so optimiser updates and checkpoint
 * restores need no synchronisation); gradients are left in float[] by name until the next {@link #backward}. Work
 * buffers grow to the largest batch seen and are reused, so a training step allocates nothing of its size. Not
 * thread-safe: a network serves one thread.
 */
final class ImageNetworkFloat {
    private final ImageNetworkConfig c;
    private final Map<String, INDArray> live;
    private final int C, H, W, HW, d, J, S, L, Cc, Ld, Cd, Ccat, U, hidden;
    private final float[][] bumps;
    private final float convScale, denseScale;
    private final Gemm gemm = new Gemm();
    private final Map<String, float[]> p = new LinkedHashMap<>(), g = new LinkedHashMap<>(), buffers = new HashMap<>();
    private int n;
    private int[] t;

    ImageNetworkFloat(ImageNetworkConfig config, Map<String, INDArray> parameters, float[][] bumps) {
        this.c = config;
        this.live = parameters;
        this.bumps = bumps;
        C = c.shape().channels();
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
        Ccat = Cc + Cd;
        U = c.upperLayers();
        hidden = c.upperHidden();
        convScale = (float) (1 / Math.sqrt(Math.max(Cc, 1)));
        denseScale = (float) (1 / Math.sqrt(Math.max(Cd, 1)));
        for (var e : parameters.entrySet()) {
            p.put(e.getKey(), new float[(int) e.getValue().length()]);
            g.put(e.getKey(), new float[(int) e.getValue().length()]);
        }
    }

    /** The gradient of the last backward pass by parameter name, row-major in the parameter's shape. */
    Map<String, float[]> gradients() { return g; }

    /**
     * The readout z [n, 2d] (z_mu then z_Sigma, each channel-major as x_t) for x_t [n, d] (channel-major) at t[i];
     * the returned buffer is valid until the next call.
     */
    float[] forward(float[] xt, int[] t) {
        load();
        this.n = t.length;
        this.t = t.clone();
        int P = n * HW;
        float[] x = buf("xt", n * d);
        System.arraycopy(xt, 0, x, 0, n * d);
        float[] u = buf("u", P * Ccat);
        if (c.hasConv()) {
            float[] h = buf("act0", P * C);
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < C; ch++) {
                    for (int q = 0; q < HW; q++) h[(i * HW + q) * C + ch] = x[i * d + ch * HW + q];
                }
            }
            int in = C;
            for (int l = 0; l < L; l++) {
                float[] out = buf("act" + (l + 1), P * Cc), src = h;
                for (int s = 0; s < S; s++) {
                    int hs = H >> s, ws = W >> s, rows = n * hs * ws;
                    if (s > 0) down2(src, src = buf("pool" + l + "." + s, rows * in), hs, ws, in, 0.25f);   // pool by 2^s
                    float[] col = buf("col" + l + "." + s, rows * 9 * in), y = s == 0 ? out : buf("convOut" + s, rows * Cc);
                    im2col(src, col, hs, ws, in);
                    String name = "conv" + l + ".s" + s;
                    gemm.multiply(false, false, rows, Cc, 9 * in, col, 0, p.get(name + ".W"), 0, 0f, y);
                    addBias(y, rows, Cc, p.get(name + ".b"));
                }
                // sum_s upsample_{2^s}(y_s), coarsest first, each scale upsampled by 2 onto the next finer
                for (int s = S - 1; s >= 1; s--) up2Add(buf("convOut" + s, 0), s == 1 ? out : buf("convOut" + (s - 1), 0), H >> s, W >> s, Cc, 1f);
                FloatKernels.softplus(out, P * Cc, buf("scratch", P * Cc));
                h = out;
                in = Cc;
            }
            for (int r = 0; r < P; r++) {
                for (int ch = 0; ch < Cc; ch++) u[r * Ccat + ch] = h[r * Cc + ch] * convScale;
            }
        }
        if (c.hasDense()) {
            float[] a = x;
            int in = d;
            for (int l = 0; l < Ld; l++) {
                int out = denseWidth(l);
                float[] z = buf("dense" + l, n * out);
                gemm.multiply(false, false, n, out, in, a, 0, p.get("dense" + l + ".W"), 0, 0f, z);
                addBias(z, n, out, p.get("dense" + l + ".b"));
                FloatKernels.tanh(z, n * out);
                a = z;
                in = out;
            }
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < Cd; ch++) {
                    for (int q = 0; q < HW; q++) u[(i * HW + q) * Ccat + Cc + ch] = a[i * Cd * HW + ch * HW + q] * denseScale;
                }
            }
        }
        float[] v = u;
        int in = Ccat;
        for (int l = 0; l < U - 1; l++) {
            float[] o = buf("upper" + l, P * hidden);
            gemm.multiply(false, false, P, hidden, in, v, 0, p.get("upper" + l + ".W"), 0, 0f, o);
            addBias(o, P, hidden, p.get("upper" + l + ".b"));
            FloatKernels.tanh(o, P * hidden);
            v = o;
            in = hidden;
        }
        return readout(v, in);
    }

    /**
     * Back-propagates dLoss/dz [n, 2d] through the last forward pass: fills {@link #gradients()} and, when
     * {@code input}, returns the network's part of dLoss/dx_t [n, d] (channel-major; a buffer valid until the next
     * call), else null.
     */
    float[] backward(float[] dz, boolean input) {
        int P = n * HW, top = U > 1 ? hidden : Ccat;
        float[] dv = buf("dUpper" + (U - 1), P * top);
        readoutBackward(U > 1 ? buf("upper" + (U - 2), P * hidden) : buf("u", P * Ccat), top, dz, dv);
        for (int l = U - 2; l >= 0; l--) {
            int in = l == 0 ? Ccat : hidden;
            float[] o = buf("upper" + l, P * hidden), below = l == 0 ? buf("u", P * Ccat) : buf("upper" + (l - 1), P * hidden);
            tanhBack(o, dv, P * hidden);
            gemm.multiply(true, false, in, hidden, P, below, 0, dv, 0, 0f, g.get("upper" + l + ".W"));
            columnSums(dv, P, hidden, g.get("upper" + l + ".b"));
            float[] dBelow = buf("dUpper" + l, P * in);
            gemm.multiply(false, true, P, in, hidden, dv, 0, p.get("upper" + l + ".W"), 0, 0f, dBelow);
            dv = dBelow;
        }
        float[] du = dv, dx = input ? buf("dxt", n * d) : null;
        if (dx != null) Arrays.fill(dx, 0, n * d, 0f);
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
        int P = n * HW, widest = Math.max(Cc, C);
        float[] dh = buf("dConv0", P * widest), other = buf("dConv1", P * widest);
        for (int r = 0; r < P; r++) {
            for (int ch = 0; ch < Cc; ch++) dh[r * Cc + ch] = du[r * Ccat + ch] * convScale;
        }
        for (int l = L - 1; l >= 0; l--) {
            int in = l == 0 ? C : Cc;
            FloatKernels.softplusBack(buf("act" + (l + 1), P * Cc), dh, P * Cc);
            float[] dIn = l > 0 || dx != null ? other : null, dy = dh;
            for (int s = 0; s < S; s++) {
                int hs = H >> s, ws = W >> s, rows = n * hs * ws;
                if (s > 0) down2(dy, dy = buf("dConvOut" + s, rows * Cc), hs, ws, Cc, 1f);   // adjoint of upsampling
                String name = "conv" + l + ".s" + s;
                columnSums(dy, rows, Cc, g.get(name + ".b"));
                gemm.multiply(true, false, 9 * in, Cc, rows, buf("col" + l + "." + s, rows * 9 * in), 0, dy, 0, 0f, g.get(name + ".W"));
                if (dIn == null) continue;
                float[] colBack = buf("colBack", rows * 9 * Cc), flipped = buf("flipped", 9 * Cc * in);
                im2col(dy, colBack, hs, ws, Cc);
                flip(p.get(name + ".W"), flipped, in);
                gemm.multiply(false, false, rows, in, 9 * Cc, colBack, 0, flipped, 0, 0f, s == 0 ? dIn : buf("dPool" + s, rows * in));
            }
            if (dIn == null) break;
            // adjoint of pooling, coarsest first: each scale's gradient spread by 2 (divided by 4) onto the next finer
            for (int s = S - 1; s >= 1; s--) up2Add(buf("dPool" + s, 0), s == 1 ? dIn : buf("dPool" + (s - 1), 0), H >> s, W >> s, in, 0.25f);
            other = dh;
            dh = dIn;
        }
        if (dx != null) {
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < C; ch++) {
                    for (int q = 0; q < HW; q++) dx[i * d + ch * HW + q] += dh[(i * HW + q) * C + ch];
                }
            }
        }
    }

    /** flipped[(ky, kx, out), in] = w[(2 - ky, 2 - kx, in), out]: the weights of the input-gradient convolution. */
    private void flip(float[] w, float[] flipped, int in) {
        for (int k = 0; k < 9; k++) {
            int src = (8 - k) * in * Cc;
            for (int co = 0; co < Cc; co++) {
                for (int ci = 0; ci < in; ci++) flipped[(k * Cc + co) * in + ci] = w[src + ci * Cc + co];
            }
        }
    }

    private void denseBackward(float[] du, float[] dx) {
        int last = Ld - 1, width = Cd * HW;
        float[] da = buf("dDense" + last, n * width);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < Cd; ch++) {
                for (int q = 0; q < HW; q++) da[i * width + ch * HW + q] = du[(i * HW + q) * Ccat + Cc + ch] * denseScale;
            }
        }
        for (int l = last; l >= 0; l--) {
            int out = denseWidth(l), in = l == 0 ? d : denseWidth(l - 1);
            tanhBack(buf("dense" + l, n * out), da, n * out);
            float[] below = l == 0 ? buf("xt", n * d) : buf("dense" + (l - 1), n * in);
            gemm.multiply(true, false, in, out, n, below, 0, da, 0, 0f, g.get("dense" + l + ".W"));
            columnSums(da, n, out, g.get("dense" + l + ".b"));
            if (l == 0 && dx == null) break;
            float[] dBelow = buf(l == 0 ? "dDenseInput" : "dDense" + (l - 1), n * in);
            gemm.multiply(false, true, n, in, out, da, 0, p.get("dense" + l + ".W"), 0, 0f, dBelow);
            if (l == 0) {
                for (int k = 0; k < n * d; k++) dx[k] += dBelow[k];
            }
            da = dBelow;
        }
    }

    /**
     * The last 1x1 layer fused with the bump readout: per image i the weights w_i = sum_j g_j(t_i) W_j [in, 2C] and
     * bias b_i = sum_j g_j(t_i) b_j, then z[i, k HW + q] = b_i[k] + sum_c v[i, q, c] w_i[c, k], k = kind C + channel.
     */
    private float[] readout(float[] v, int in) {
        int K = 2 * C;
        float[] z = buf("z", n * 2 * d), wi = buf("wMixed", n * in * K), bi = buf("bMixed", n * K);
        float[] wJ = p.get(lastName() + ".W"), bJ = p.get(lastName() + ".b");
        mixWeights(wJ, bJ, in, wi, bi);
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < HW; q++) {
                int row = (i * HW + q) * in;
                for (int k = 0; k < K; k++) {
                    float s = bi[i * K + k];
                    for (int ch = 0; ch < in; ch++) s += v[row + ch] * wi[(i * in + ch) * K + k];
                    z[i * 2 * d + k * HW + q] = s;
                }
            }
        }
        return z;
    }

    private void readoutBackward(float[] v, int in, float[] dz, float[] dv) {
        int K = 2 * C;
        float[] wi = buf("wMixed", n * in * K), dwi = buf("dwMixed", in * K), dbi = new float[K];
        float[] gW = g.get(lastName() + ".W"), gb = g.get(lastName() + ".b");
        Arrays.fill(gW, 0f);
        Arrays.fill(gb, 0f);
        for (int i = 0; i < n; i++) {
            Arrays.fill(dwi, 0f);
            Arrays.fill(dbi, 0f);
            for (int q = 0; q < HW; q++) {
                int row = (i * HW + q) * in;
                for (int ch = 0; ch < in; ch++) dv[row + ch] = 0f;
                for (int k = 0; k < K; k++) {
                    float e = dz[i * 2 * d + k * HW + q];
                    dbi[k] += e;
                    for (int ch = 0; ch < in; ch++) {
                        dwi[ch * K + k] += v[row + ch] * e;
                        dv[row + ch] += e * wi[(i * in + ch) * K + k];
                    }
                }
            }
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

    /** im2col of a 3x3 SAME convolution: src [n, h, w, ch] to col [n h w, 9 ch], zeros outside the image. */
    private void im2col(float[] src, float[] col, int h, int w, int ch) {
        int k9 = 9 * ch;
        for (int i = 0, r = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++, r++) {
                    for (int ky = 0; ky < 3; ky++) {
                        int yy = y + ky - 1, off = r * k9 + ky * 3 * ch;
                        if (yy < 0 || yy >= h) {
                            Arrays.fill(col, off, off + 3 * ch, 0f);
                        } else if (x >= 1 && x + 1 < w) {
                            System.arraycopy(src, ((i * h + yy) * w + x - 1) * ch, col, off, 3 * ch);
                        } else {
                            for (int kx = 0; kx < 3; kx++) {
                                int xx = x + kx - 1, o = off + kx * ch;
                                if (xx < 0 || xx >= w) Arrays.fill(col, o, o + ch, 0f);
                                else System.arraycopy(src, ((i * h + yy) * w + xx) * ch, col, o, ch);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * dst [n, hs, ws, ch] = scale times the sum of each 2x2 block of src [n, 2 hs, 2 ws, ch]: mean-pooling by 2 with
     * scale 1/4, the adjoint of nearest upsampling by 2 with scale 1.
     */
    private void down2(float[] src, float[] dst, int hs, int ws, int ch, float scale) {
        int rowFine = 2 * ws * ch;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < hs; y++) {
                int fine = (i * 2 * hs + 2 * y) * rowFine, coarse = (i * hs + y) * ws * ch;
                for (int x = 0; x < ws; x++) {
                    int a = fine + 2 * x * ch, b = a + ch, c = a + rowFine, e = c + ch, o = coarse + x * ch;
                    for (int k = 0; k < ch; k++) dst[o + k] = scale * (src[a + k] + src[b + k] + src[c + k] + src[e + k]);
                }
            }
        }
    }

    /**
     * dst [n, 2 hs, 2 ws, ch] += scale times src [n, hs, ws, ch] copied onto each 2x2 block: nearest upsampling by 2
     * with scale 1, the adjoint of mean-pooling by 2 with scale 1/4.
     */
    private void up2Add(float[] src, float[] dst, int hs, int ws, int ch, float scale) {
        int rowFine = 2 * ws * ch;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < hs; y++) {
                int fine = (i * 2 * hs + 2 * y) * rowFine, coarse = (i * hs + y) * ws * ch;
                for (int x = 0; x < ws; x++) {
                    int a = fine + 2 * x * ch, b = a + ch, c = a + rowFine, e = c + ch, o = coarse + x * ch;
                    for (int k = 0; k < ch; k++) {
                        float v = scale * src[o + k];
                        dst[a + k] += v;
                        dst[b + k] += v;
                        dst[c + k] += v;
                        dst[e + k] += v;
                    }
                }
            }
        }
    }

    private static void addBias(float[] y, int rows, int cols, float[] b) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) y[r * cols + k] += b[k];
        }
    }

    private static void columnSums(float[] y, int rows, int cols, float[] out) {
        Arrays.fill(out, 0f);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) out[k] += y[r * cols + k];
        }
    }

    /** upstream[i] *= tanh'(.) = 1 - y[i]^2 given y[i] = tanh(.). */
    private static void tanhBack(float[] y, float[] upstream, int size) {
        for (int i = 0; i < size; i++) upstream[i] *= 1 - y[i] * y[i];
    }

    /** A reused work buffer of at least {@code size} floats (contents undefined). */
    private float[] buf(String key, int size) {
        float[] b = buffers.get(key);
        if (b == null || b.length < size) buffers.put(key, b = new float[size]);
        return b;
    }

    /** Copies the network's live parameter arrays in (FLOAT, contiguous row-major as ImageNetwork builds them). */
    private void load() {
        for (var e : live.entrySet()) {
            INDArray a = e.getValue();
            float[] dst = p.get(e.getKey());
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
