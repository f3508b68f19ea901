package org.dpm4j.nn.conv;

import java.util.Arrays;
import org.dpm4j.nn.FloatKernels;

/**
 * The U-Net lower pathway of {@link ImageNetwork#unet} without GroupNorm ({@link ImageNetworkConfig#unetGroupNorm}
 * false), forward and hand-derived backward on float[], a part of {@link ImageNetworkFloat}: it uses that network's
 * 3x3 convolutions ({@link ImageNetworkFloat#conv3x3}, im2col blocks in native memory, sgemm), 1x1 products
 * ({@link ImageNetworkFloat#pointwise}), pooling and upsampling by 2 and their adjoints, work buffers and parameters,
 * and the network puts its own input layer before it and the upper layers and fused readout after it. Activations are
 * channel-major [channel, image, row, column] like the rest of the float[] path, so a concatenation of channels is two
 * blocks written one after the other: e1's output is written straight into the first c0 channels of d1's input, e2's
 * into the first 2 c0 of d2's, and their gradients are read from the same places.
 * <p>
 * Each block (Eq. of {@link ImageNetwork#unet}): a1 = SiLU(h), u = conv1(a1) + A g(t) + a, a2 = SiLU(u),
 * out = skip(h) + conv2(a2), skip a 1x1 convolution where the channels change, else h. The backward pass keeps
 * SiLU's derivative from the forward pass (as the multi-scale layers keep softplus'), and the time bias's gradient is
 * dU summed over each image's pixels, then through g(t): dA[j, c] = sum_i g_j(t_i) sum_pixels dU[c, i, .].
 */
final class UnetFloat {
    private final ImageNetworkFloat net;
    private final int H, W, c0, J;

    UnetFloat(ImageNetworkFloat net, ImageNetworkConfig c) {
        this.net = net;
        this.H = c.shape().height();
        this.W = c.shape().width();
        this.c0 = c.unetChannels();
        this.J = c.temporalBasis();
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
        FloatKernels.siluWithDerivative(h, a1, cin * ps, net.buf(name + ".s1", cin * ps));
        net.conv3x3(name + ".conv1", a1, cin, cout, hs, ws, a2);
        addTimeBias(name, a2, cout, hs * ws);
        FloatKernels.siluWithDerivative(a2, a2, cout * ps, net.buf(name + ".s2", cout * ps));   // u is not needed again
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
        timeBiasBackward(name, dU, cout, hs * ws);
        net.conv3x3Backward(name + ".conv1", net.buf(name + ".a1", 0), cin, cout, hs, ws, dU, dh);
        ImageNetworkFloat.multiply(net.buf(name + ".s1", 0), dh, cin * ps);                        // SiLU' of h
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
}
