package org.dpm4j.nn.conv;

import java.util.Arrays;
import org.dpm4j.nn.FloatKernels;

/**
 * The U-Net lower pathway of {@link ImageNetwork#unet}, with or without GroupNorm
 * ({@link ImageNetworkConfig#unetGroupNorm}), forward and hand-derived backward on float[], a part of
 * {@link ImageNetworkFloat}: it uses that network's 3x3 convolutions ({@link ImageNetworkFloat#conv3x3}, im2col
 * blocks in native memory, sgemm), 1x1 products ({@link ImageNetworkFloat#pointwise}), pooling and upsampling by 2
 * and their adjoints, work buffers and parameters; the network builds its input (x_t, and the scaled copy) and puts
 * the upper layers and the fused readout after it. Activations are channel-major [channel, image, row, column] like
 * the rest of the float[] path, so a concatenation of channels is two blocks written one after the other: e1's output
 * is written straight into the first c0 channels of d1's input, e2's into the first 2 c0 of d2's, and their gradients
 * are read from the same places.
 * <p>
 * Each block ({@link ImageNetwork#unet}): a1 = SiLU(GN(h)), u = conv1(a1) + A g(t) + a, a2 = SiLU(GN(u)),
 * out = skip(h) + conv2(a2), skip a 1x1 convolution where the channels change, else h, and GN the identity without
 * the norm. The backward pass keeps SiLU's derivative from the forward pass (as the multi-scale layers keep
 * softplus'), and the time bias's gradient is dU summed over each image's pixels, then through g(t):
 * dA[j, c] = sum_i g_j(t_i) sum_pixels dU[c, i, .].
 */
final class UnetFloat {
    private final ImageNetworkFloat net;
    private final int H, W, c0, J;
    /** Whether each SiLU in a block follows a GroupNorm ({@link ImageNetworkConfig#unetGroupNorm}). */
    private final boolean norm;
    private static final int GROUPS = ImageNetworkConfig.UNET_GROUPS;
    /** The graph's variance offset (PyTorch's GroupNorm default). */
    private static final double EPSILON = 1e-5;

    UnetFloat(ImageNetworkFloat net, ImageNetworkConfig c) {
        this.net = net;
        this.H = c.shape().height();
        this.W = c.shape().width();
        this.c0 = c.unetChannels();
        this.J = c.temporalBasis();
        this.norm = c.unetGroupNorm();
    }

    /** out [c0, n H W] = SiLU(d1) of the U-Net on act0 [in0, n, H, W] (x_t, and with noiseScaledInput the scaled copy). */
    void forward(float[] act0, int in0, float[] out) {
        int n = net.rows(), P = n * H * W, P2 = P / 4, P4 = P / 16, h2 = H / 2, w2 = W / 2, h4 = H / 4, w4 = W / 4;
        float[] h0 = net.buf("unet.h0", c0 * P), cat1 = net.buf("unet.cat1", 3 * c0 * P), cat2 = net.buf("unet.cat2", 4 * c0 * P2);
        float[] pool1 = net.buf("unet.pool1", c0 * P2), pool2 = net.buf("unet.pool2", 2 * c0 * P4), e3 = net.buf("unet.e3", 2 * c0 * P4);
        float[] d2 = net.buf("unet.d2", 2 * c0 * P2), d1 = net.buf("unet.d1", c0 * P);
        net.conv3x3("unet.in", act0, in0, c0, H, W, h0);
        block("unet.e1", h0, c0, c0, H, W, cat1);                             // e1 = cat1's first c0 channels
        ImageNetworkFloat.down2(cat1, pool1, c0 * n, h2, w2, 0.25f);
        block("unet.e2", pool1, c0, 2 * c0, h2, w2, cat2);                    // e2 = cat2's first 2 c0 channels
        ImageNetworkFloat.down2(cat2, pool2, 2 * c0 * n, h4, w4, 0.25f);
        block("unet.e3", pool2, 2 * c0, 2 * c0, h4, w4, e3);
        Arrays.fill(cat2, 2 * c0 * P2, 4 * c0 * P2, 0f);
        ImageNetworkFloat.up2Add(e3, cat2, 2 * c0 * P2, 2 * c0 * n, h4, w4, 1f);   // [e2, up2(e3)], the graph's order
        block("unet.d2", cat2, 4 * c0, 2 * c0, h2, w2, d2);
        Arrays.fill(cat1, c0 * P, 3 * c0 * P, 0f);
        ImageNetworkFloat.up2Add(d2, cat1, c0 * P, 2 * c0 * n, h2, w2, 1f);        // [e1, up2(d2)]
        block("unet.d1", cat1, 3 * c0, c0, H, W, d1);
        FloatKernels.siluWithDerivative(d1, out, c0 * P, net.buf("unet.dOut", c0 * P));
    }

    /**
     * Back-propagates dLoss/dout [c0, n H W] (overwritten) through the last {@link #forward} on act0 into the
     * network's gradients; the input gradient is not formed (training needs the parameters' alone).
     */
    void backward(float[] act0, int in0, float[] dOut) {
        int n = net.rows(), P = n * H * W, P2 = P / 4, P4 = P / 16, h2 = H / 2, w2 = W / 2, h4 = H / 4, w4 = W / 4;
        ImageNetworkFloat.multiply(net.buf("unet.dOut", 0), dOut, c0 * P);   // SiLU' of d1
        float[] dCat1 = net.buf("unet.dCat1", 3 * c0 * P), dCat2 = net.buf("unet.dCat2", 4 * c0 * P2);
        float[] dD2 = net.buf("unet.dD2", 2 * c0 * P2), dE3 = net.buf("unet.dE3", 2 * c0 * P4);
        float[] dPool2 = net.buf("unet.dPool2", 2 * c0 * P4), dPool1 = net.buf("unet.dPool1", c0 * P2), dH0 = net.buf("unet.dH0", c0 * P);
        blockBackward("unet.d1", net.buf("unet.cat1", 0), 3 * c0, c0, H, W, dOut, dCat1);
        ImageNetworkFloat.down2(dCat1, c0 * P, dD2, 2 * c0 * n, h2, w2, 1f);        // adjoint of up2: the second block
        blockBackward("unet.d2", net.buf("unet.cat2", 0), 4 * c0, 2 * c0, h2, w2, dD2, dCat2);
        ImageNetworkFloat.down2(dCat2, 2 * c0 * P2, dE3, 2 * c0 * n, h4, w4, 1f);
        blockBackward("unet.e3", net.buf("unet.pool2", 0), 2 * c0, 2 * c0, h4, w4, dE3, dPool2);
        // e2 reaches the loss through d2's input (dCat2's first block) and through the pool into e3: add the latter
        ImageNetworkFloat.up2Add(dPool2, dCat2, 2 * c0 * n, h4, w4, 0.25f);
        blockBackward("unet.e2", net.buf("unet.pool1", 0), c0, 2 * c0, h2, w2, dCat2, dPool1);
        ImageNetworkFloat.up2Add(dPool1, dCat1, c0 * n, h2, w2, 0.25f);           // e1 likewise, into dCat1's first block
        blockBackward("unet.e1", net.buf("unet.h0", 0), c0, c0, H, W, dCat1, dH0);
        net.conv3x3Backward("unet.in", act0, in0, c0, H, W, dH0, null);
    }

    /** out [cout, n hs ws] = one residual block {@code name} on h [cin, n, hs, ws]; see the class comment. */
    private void block(String name, float[] h, int cin, int cout, int hs, int ws, float[] out) {
        int ps = net.rows() * hs * ws;
        float[] a1 = net.buf(name + ".a1", cin * ps), a2 = net.buf(name + ".a2", cout * ps);
        FloatKernels.siluWithDerivative(norm ? groupNorm(name + ".norm1", h, cin, hs * ws, a1) : h, a1, cin * ps, net.buf(name + ".s1", cin * ps));
        net.conv3x3(name + ".conv1", a1, cin, cout, hs, ws, a2);
        addTimeBias(name, a2, cout, hs * ws);
        // u is not needed again (the norm keeps what its backward pass needs): SiLU in place
        FloatKernels.siluWithDerivative(norm ? groupNorm(name + ".norm2", a2, cout, hs * ws, a2) : a2, a2, cout * ps, net.buf(name + ".s2", cout * ps));
        net.conv3x3(name + ".conv2", a2, cout, cout, hs, ws, out);
        if (cin == cout) ImageNetworkFloat.add(h, out, cout * ps);
        else net.pointwise(name + ".skip", h, cin, cout, ps, 1f, out);
    }

    /**
     * The backward pass of {@link #block} for dLoss/dout [cout, n hs ws] (read, not changed): its parameters'
     * gradients, and dLoss/dh [cin, n hs ws] written into dh.
     */
    private void blockBackward(String name, float[] h, int cin, int cout, int hs, int ws, float[] dOut, float[] dh) {
        int ps = net.rows() * hs * ws;
        float[] dU = net.buf("unet.dU", cout * ps);
        net.conv3x3Backward(name + ".conv2", net.buf(name + ".a2", 0), cout, cout, hs, ws, dOut, dU);
        ImageNetworkFloat.multiply(net.buf(name + ".s2", 0), dU, cout * ps);                       // SiLU' of u
        if (norm) groupNormBackward(name + ".norm2", dU, cout, hs * ws);
        timeBiasBackward(name, dU, cout, hs * ws);
        net.conv3x3Backward(name + ".conv1", net.buf(name + ".a1", 0), cin, cout, hs, ws, dU, dh);
        ImageNetworkFloat.multiply(net.buf(name + ".s1", 0), dh, cin * ps);                        // SiLU' of h
        if (norm) groupNormBackward(name + ".norm1", dh, cin, hs * ws);
        if (cin == cout) ImageNetworkFloat.add(dOut, dh, cin * ps);
        else net.pointwiseBackward(name + ".skip", h, cin, cout, ps, dOut, dh, 1f);
    }

    /** u[c, i, .] += (g(t_i) A + a)[c] for u [cout, n, plane]: the block's time bias, one value per image and channel. */
    private void addTimeBias(String name, float[] u, int cout, int plane) {
        int n = net.rows();
        float[] A = net.parameter(name + ".time.W"), a = net.parameter(name + ".time.b");
        for (int i = 0; i < n; i++) {
            float[] gi = net.bumps(i);
            for (int c = 0; c < cout; c++) {
                float v = a[c];
                for (int j = 0; j < J; j++) v += gi[j] * A[j * cout + c];
                int o = (c * n + i) * plane;
                for (int q = 0; q < plane; q++) u[o + q] += v;
            }
        }
    }

    /** The time bias's gradients from dU [cout, n, plane]: per image the pixel sums s_i, dA = sum_i g(t_i)^T s_i, da = sum_i s_i. */
    private void timeBiasBackward(String name, float[] dU, int cout, int plane) {
        int n = net.rows();
        float[] gA = net.gradient(name + ".time.W"), ga = net.gradient(name + ".time.b");
        Arrays.fill(gA, 0f);
        Arrays.fill(ga, 0f);
        for (int i = 0; i < n; i++) {
            float[] gi = net.bumps(i);
            for (int c = 0; c < cout; c++) {
                float s = ImageNetworkFloat.sum(dU, (c * n + i) * plane, plane);
                ga[c] += s;
                for (int j = 0; j < J; j++) gA[j * cout + c] += gi[j] * s;
            }
        }
    }

    /**
     * y = GroupNorm {@code name} of x [ch, n, plane] (y may be x): per image and group of ch / 8 consecutive channels,
     * xhat = (x - mean) / sqrt(var + 1e-5) over the group's channels and pixels (biased variance, as the graph), then
     * y = scale[c] xhat + shift[c]. Keeps xhat and each (image, group)'s 1/sqrt(var + 1e-5) for the backward pass.
     * Statistics are summed in double: a group holds up to 16 x 256 values. Returns y.
     */
    private float[] groupNorm(String name, float[] x, int ch, int plane, float[] y) {
        int n = net.rows(), per = ch / GROUPS;
        float[] xhat = net.buf(name + ".xhat", ch * n * plane), rstd = net.buf(name + ".rstd", n * GROUPS);
        float[] scale = net.parameter(name + ".scale"), shift = net.parameter(name + ".shift");
        for (int i = 0; i < n; i++) {
            for (int gr = 0; gr < GROUPS; gr++) {
                double sum = 0, sq = 0;
                for (int c = gr * per; c < (gr + 1) * per; c++) {
                    for (int q = 0, o = (c * n + i) * plane; q < plane; q++) sum += x[o + q];
                }
                double mean = sum / ((double) per * plane);
                for (int c = gr * per; c < (gr + 1) * per; c++) {
                    for (int q = 0, o = (c * n + i) * plane; q < plane; q++) {
                        double e = x[o + q] - mean;
                        sq += e * e;
                    }
                }
                float r = (float) (1 / Math.sqrt(sq / ((double) per * plane) + EPSILON)), m = (float) mean;
                rstd[i * GROUPS + gr] = r;
                for (int c = gr * per; c < (gr + 1) * per; c++) {
                    float sc = scale[c], sh = shift[c];
                    for (int q = 0, o = (c * n + i) * plane; q < plane; q++) {
                        float v = (x[o + q] - m) * r;
                        xhat[o + q] = v;
                        y[o + q] = sc * v + sh;
                    }
                }
            }
        }
        return y;
    }

    /**
     * The backward pass of {@link #groupNorm} in place on dy [ch, n, plane]: the scale's and shift's gradients
     * (sums of dy xhat and of dy per channel), and dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with
     * dxhat = scale dy and the means over each image's group.
     */
    private void groupNormBackward(String name, float[] dy, int ch, int plane) {
        int n = net.rows(), per = ch / GROUPS;
        float[] xhat = net.buf(name + ".xhat", 0), rstd = net.buf(name + ".rstd", 0), scale = net.parameter(name + ".scale");
        float[] gScale = net.gradient(name + ".scale"), gShift = net.gradient(name + ".shift");
        Arrays.fill(gScale, 0f);
        Arrays.fill(gShift, 0f);
        for (int i = 0; i < n; i++) {
            for (int gr = 0; gr < GROUPS; gr++) {
                double a = 0, b = 0;
                for (int c = gr * per; c < (gr + 1) * per; c++) {
                    int o = (c * n + i) * plane;
                    float dyx = ImageNetworkFloat.dot(dy, o, xhat, o, plane), dys = ImageNetworkFloat.sum(dy, o, plane);
                    gScale[c] += dyx;
                    gShift[c] += dys;
                    a += scale[c] * dys;
                    b += scale[c] * dyx;
                }
                float ma = (float) (a / ((double) per * plane)), mb = (float) (b / ((double) per * plane)), r = rstd[i * GROUPS + gr];
                for (int c = gr * per; c < (gr + 1) * per; c++) {
                    float sc = scale[c];
                    for (int q = 0, o = (c * n + i) * plane; q < plane; q++) dy[o + q] = r * (sc * dy[o + q] - ma - xhat[o + q] * mb);
                }
            }
        }
    }
}
