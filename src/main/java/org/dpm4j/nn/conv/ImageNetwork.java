package org.dpm4j.nn.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.kernel.Readout;
import org.dpm4j.nn.BumpReadout;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The paper's image reverse kernel (App. D; the reference code's MLP_conv_dense) as one SameDiff graph, built once:
 * <ul>
 * <li>a multi-scale convolution pathway: in each layer the input is mean-pooled by 1, 2, ..., 2^(S-1), convolved
 * 3x3 at each scale, upsampled back and summed, then softplus; with {@link ImageNetworkConfig#noiseScaledInput} (not
 * in the paper) the first layer's input is x_t beside x_t / sqrt(1 - alphabar_t), the latter from the current schedule
 * per row (a placeholder in the graph, refilled by {@link #setSchedule});</li>
 * <li>a dense pathway in parallel: a tanh MLP on the flattened image whose output is read as a few channels per pixel;</li>
 * <li>the two concatenated (each divided by the square root of its channel count, as the reference code does) and
 * passed through per-pixel 1x1 convolutions (tanh), the last one linear with 2 J outputs per pixel and colour;</li>
 * <li>or, in place of both pathways (not in the paper; {@link ImageNetworkConfig#unetChannels}, issue #15), a small
 * U-Net with GroupNorm (optional) and a time bias from the same bumps in each block ({@link #unet}), whose SiLU output goes
 * straight into the readout; its FLOAT network has the float[] path too ({@link UnetFloat});</li>
 * <li>the bump readout z = sum_j g_j(t) y_j (g from {@link BumpReadout#bumps}), split into z_mu and z_Sigma; it is
 * fused with the last linear layer (the weights are mixed over j first), which gives the same z.</li>
 * </ul>
 * The same graph carries the training loss of Eq. 14's KL terms for rows (x_0, t, x_t) so SameDiff derives every
 * gradient; see {@link ImageObjective}. Every {@link GaussianParameterisation} is supported. The last layer starts at
 * zero, so an untrained network is the parameterisation's kernel at z = 0: the forward form (variance beta_t) under
 * PAPER and REFERENCE, the posterior mean at x_0 = sqrt(alphabar_t) x_t under POSTERIOR_X0 and POSTERIOR_V; either
 * way K starts near L_null.
 * <p>
 * Two implementations: a FLOAT network (the default, what training uses) reads out and trains through
 * {@link ImageNetworkFloat}, the same network on float[] with a hand-derived backward and OpenBLAS sgemm (about
 * 1.7 times as fast per CPU second as the graph on the 28x28 reference network, batch 64), reading its parameters from the
 * graph's arrays; a DOUBLE network runs the graph. The graph, built for both, is the reference the float[] path is
 * tested against ({@code readoutGraph}). Parameter names, shapes, initialisation and {@link #parameterValues()}
 * (the checkpoint layout) are the graph's either way.
 */
public final class ImageNetwork {
    /**
     * Placeholders of the graph: x_t, the bump weights g(t), and the per-row coefficients of the loss (see
     * {@link ImageObjective#graphInputs}): the posterior's c0, ct, vq; logit(beta_t), log(beta_t), sqrt(1 - beta_t),
     * sqrt(beta_t), sqrt(alphabar_t), and the scale of z_mu in a predicted x_0; with
     * {@link ImageNetworkConfig#noiseScaledInput} also 1/sqrt(1 - alphabar_t) per row ({@link #XT_SCALE}).
     */
    static final String XT = "xt", G = "g", X0 = "x0", C0 = "c0", CT = "ct", VQ = "vq", LOGIT_BETA = "logitBeta",
            LOG_BETA = "logBeta", SQRT_BETA = "sqrtBeta", SQRT_ALPHA = "sqrtAlpha", SQRT_ALPHA_BAR = "sqrtAlphaBar",
            X0_SCALE = "x0Scale", WEIGHT = "weight", XT_SHIFT = "xtShift", XT_SCALE = "xtScale";
    /** Outputs: the readout [n, 2d], per-row KL summed over dimensions [n, 1] (nats), the weighted loss (scalar). */
    static final String Z = "z", KL_ROW = "klRow", LOSS = "loss";

    private final ImageNetworkConfig config;
    private BetaSchedule schedule;             // swapped by a run that learns it, T fixed
    private final GaussianParameterisation parameterisation;
    private final DataType dataType;
    private final SameDiff sd = SameDiff.create();
    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private final float[][] bumps;
    private final RandomGenerator init;
    private final ImageNetworkFloat fast;      // the FLOAT networks' forward and backward; null for DOUBLE
    /**
     * 1/sqrt(1 - alphabar_t) of the current schedule at index t - 1, the factor of the noise-scaled input channels
     * (null without them); the float[] path holds this same array, so {@link #setSchedule} refills it in place.
     */
    private final float[] inputScale;

    private ImageNetwork(ImageNetworkConfig config, BetaSchedule schedule, GaussianParameterisation parameterisation,
                         DataType dataType, long seed) {
        if (config == null) throw Check.bad("config", null, "an ImageNetworkConfig");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        if (parameterisation == null) throw Check.bad("parameterisation", null, "a GaussianParameterisation");
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) throw Check.bad("dataType", dataType, "FLOAT or DOUBLE");
        this.config = config;
        this.schedule = schedule;
        this.parameterisation = parameterisation;
        this.dataType = dataType;
        this.bumps = BumpReadout.bumps(schedule.T(), config.temporalBasis());
        this.init = new SplittableRandom(seed);
        this.inputScale = config.noiseScaledInput() ? new float[schedule.T()] : null;
        fillInputScale();
        build();
        this.fast = dataType == DataType.FLOAT ? new ImageNetworkFloat(config, Collections.unmodifiableMap(params), bumps, inputScale) : null;
    }

    /** A FLOAT network with parameters drawn from the seed (the training default). */
    public static ImageNetwork create(ImageNetworkConfig config, BetaSchedule schedule, GaussianParameterisation parameterisation, long seed) {
        return new ImageNetwork(config, schedule, parameterisation, DataType.FLOAT, seed);
    }

    /** The same in a chosen precision (DOUBLE for finite-difference checks). */
    public static ImageNetwork create(ImageNetworkConfig config, BetaSchedule schedule, GaussianParameterisation parameterisation,
                                      long seed, DataType dataType) {
        return new ImageNetwork(config, schedule, parameterisation, dataType, seed);
    }

    public ImageNetworkConfig config() { return config; }

    /**
     * This network applied to images of another shape (Figure 4: dead-leaves samples larger than the training images).
     * A network of the convolutional pathway alone has no parameter whose shape depends on the image's height and
     * width (3x3 and 1x1 kernels, per-pixel upper layers, the bump readout), so the returned network holds a copy of
     * every parameter unchanged and computes the same function at every pixel; only the borders (zero padding, and
     * the coarse scales' pooling windows) meet the image edge at other places. The copy is independent of this
     * network (training one does not move the other) and has the same schedule, parameterisation and precision.
     *
     * With the U-Net every parameter is kept as well, but its GroupNorm statistics are each image's own, so a pixel's
     * output depends on the whole image and is not the same as at that pixel of a smaller image. The returned network
     * is built afresh at the new shape, so a FLOAT one has a float[] path of its own.
     *
     * @param shape the new image shape: the same channels, each side divisible by the largest pool factor 2^(scales-1)
     *              (by 4 for the U-Net)
     * @throws IllegalArgumentException for a network with the dense pathway (its weights are sized by the image), other
     *                                  channels, or sides the pool factor does not divide
     */
    public ImageNetwork atShape(org.dpm4j.data.ImageShape shape) {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (config.hasDense()) throw Check.bad("network's denseLayers", config.denseLayers(),
                "0 to change the image shape: the dense pathway's weights are sized by the image (" + config.shape() + ")");
        if (shape.channels() != config.shape().channels()) throw Check.bad("shape.channels", shape.channels(),
                config.shape().channels() + " (the network's colour channels)");
        ImageNetwork other = new ImageNetwork(config.withShape(shape), schedule, parameterisation, dataType, 0);
        for (var e : params.entrySet()) other.params.get(e.getKey()).assign(e.getValue());
        return other;
    }

    public BetaSchedule schedule() { return schedule; }

    /**
     * Uses another schedule with the same T from now on (a schedule learned jointly with the network, Sec. 2.4.1):
     * {@link #kernel()} and every {@link ImageObjective} of this network follow it. Nothing else changes: the graph
     * takes the schedule's coefficients as inputs, and the bump readout depends on T alone.
     */
    public void setSchedule(BetaSchedule s) {
        if (s == null) throw Check.bad("schedule", null, "a BetaSchedule");
        if (s.T() != schedule.T()) throw Check.bad("schedule.T", s.T(), "the network's T = " + schedule.T());
        schedule = s;
        fillInputScale();
    }

    /** inputScale[t - 1] = 1/sqrt(1 - alphabar_t) from the current schedule's forward marginal (Eq. 2 applied t times). */
    private void fillInputScale() {
        if (inputScale == null) return;
        double[] std = new GaussianDiffusion(schedule).sqrtOneMinusAlphaBars();
        for (int t = 1; t <= schedule.T(); t++) inputScale[t - 1] = (float) (1 / std[t]);
    }

    /**
     * The per-row factor of the noise-scaled input channels, 1/sqrt(1 - alphabar_{t_i}), [n, 1] in the network's
     * precision (the graph's {@link #XT_SCALE} placeholder); only for a network with them.
     */
    INDArray inputScales(int n, int... t) {
        if (inputScale == null) throw Check.bad("noiseScaledInput", false, "true (this network has no noise-scaled input)");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = inputScale[(t.length == 1 ? t[0] : t[i]) - 1];
        return Nd4j.createFromArray(v).reshape(n, 1).castTo(dataType);
    }

    /** x_t, the gates and (with noise-scaled input) the input scale: the graph's placeholders of the network's forward pass. */
    Map<String, INDArray> forwardInputs(INDArray xt, int n, int... t) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(XT, xt.castTo(dataType));
        ph.put(G, gates(n, t));
        if (inputScale != null) ph.put(XT_SCALE, inputScales(n, t));
        return ph;
    }

    public GaussianParameterisation parameterisation() { return parameterisation; }

    public DataType dataType() { return dataType; }

    public int T() { return schedule.T(); }

    /** d, values per image. */
    public int dimensions() { return config.dimensions(); }

    /** The trainable arrays by name, live (writes change the network), in declaration order. */
    public Map<String, INDArray> parameters() { return Collections.unmodifiableMap(params); }

    public long parameterCount() {
        long n = 0;
        for (INDArray a : params.values()) n += a.length();
        return n;
    }

    /**
     * Every parameter as one FLOAT vector, the arrays in declaration order, each row-major: what a checkpoint holds.
     * Exact for a FLOAT network.
     */
    public float[] parameterValues() {
        float[] v = new float[Math.toIntExact(parameterCount())];
        int offset = 0;
        for (INDArray a : params.values()) {
            float[] part = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(part, 0, v, offset, part.length);
            offset += part.length;
        }
        return v;
    }

    /** Overwrites every parameter in place from a vector laid out as {@link #parameterValues()} gives it. */
    public void setParameterValues(float[] v) {
        if (v == null || v.length != parameterCount()) {
            throw Check.bad("parameter values", v == null ? null : v.length, parameterCount() + " values (this network's size)");
        }
        int offset = 0;
        for (INDArray a : params.values()) {
            int n = (int) a.length();
            a.assign(Nd4j.createFromArray(Arrays.copyOfRange(v, offset, offset + n)).reshape(a.shape()).castTo(dataType));
            offset += n;
        }
    }

    SameDiff graph() { return sd; }

    /** The live table 1/sqrt(1 - alphabar_t) at index t - 1 of the noise-scaled input, null without it. */
    float[] inputScaleTable() { return inputScale; }

    /** The float[] forward and backward of a FLOAT network, null for a DOUBLE one (which runs on the graph). */
    ImageNetworkFloat fast() { return fast; }

    /**
     * The threads a FLOAT network made now splits each batch over (1 or 2): the system property dpm4j.imageThreads,
     * by default 2 on a machine with two or more processors. Results differ between thread counts by float rounding
     * only, and are the same from run to run at one count; experiments record it as the configuration field
     * {@link #THREADS_FIELD}.
     */
    public static int threads() { return ImageNetworkFloat.defaultThreads(); }

    /** The configuration field under which a run records {@link #threads()}. */
    public static final String THREADS_FIELD = "imageThreads";

    /** The network's readouts (z_mu, z_Sigma), each [n, d] DOUBLE, for x_t [n, d] at one t. */
    public Readout readout(INDArray xt, int t) {
        return fast == null ? readoutGraph(xt, t) : split(fast.readout(FloatMatrices.floats(checkedXt(xt, t)), filled((int) xt.rows(), t)), (int) xt.rows());
    }

    /** The same through the SameDiff graph, the reference the fast path is tested against. */
    Readout readoutGraph(INDArray xt, int t) {
        int n = (int) checkedXt(xt, t).rows();
        INDArray z = sd.output(forwardInputs(xt, n, t), Z).get(Z).castTo(DataType.DOUBLE);
        return new Readout(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dimensions())).dup(),
                z.get(NDArrayIndex.all(), NDArrayIndex.interval(dimensions(), 2 * dimensions())).dup());
    }

    private INDArray checkedXt(INDArray xt, int t) {
        Check.inRange("t", t, 1, T());
        int d = dimensions();
        if (xt == null || xt.rank() != 2 || xt.columns() != d) {
            throw Check.bad("xt shape", xt == null ? null : Arrays.toString(xt.shape()), "[n, " + d + "]");
        }
        return xt;
    }

    private Readout split(float[] z, int n) {
        int d = dimensions();
        double[] mu = new double[n * d], sigma = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mu[i * d + c] = z[i * 2 * d + c];
                sigma[i * d + c] = z[i * 2 * d + d + c];
            }
        }
        return new Readout(Nd4j.createFromArray(mu).reshape(n, d), Nd4j.createFromArray(sigma).reshape(n, d));
    }

    private static int[] filled(int n, int t) {
        int[] ts = new int[n];
        Arrays.fill(ts, t);
        return ts;
    }

    /** p(x_{t-1} | x_t) of this network in its parameterisation (Eq. 5 through {@link GaussianParameterisation#map}). */
    public GaussianReverseKernel kernel() {
        return parameterisation.kernel(this::readout, schedule);
    }

    /** g(t_i) for every row, [n, J]. */
    INDArray gates(int n, int... t) {
        int J = config.temporalBasis();
        double[] g = new double[n * J];
        for (int i = 0; i < n; i++) {
            float[] gi = bumps[(t.length == 1 ? t[0] : t[i]) - 1];
            for (int j = 0; j < J; j++) g[i * J + j] = gi[j];
        }
        return Nd4j.createFromArray(g).reshape(n, J).castTo(dataType);
    }

    private void build() {
        ImageNetworkConfig c = config;
        int C = c.shape().channels(), H = c.shape().height(), W = c.shape().width(), d = c.dimensions(), J = c.temporalBasis();
        // SameDiff differentiates only ops that depend on a trainable variable, so ops on placeholders alone pass no
        // gradient back to x_t; adding a zero variable (not a parameter, never updated) makes them all count, for dK/dx_t
        SDVariable xt = sd.placeHolder(XT, dataType, -1, d).add(sd.var(XT_SHIFT, Nd4j.zeros(dataType, 1, 1)));
        SDVariable g = sd.placeHolder(G, dataType, -1, J);
        List<SDVariable> lower = new ArrayList<>();
        if (c.hasUnet()) lower.add(unet(convInput(xt), g));
        if (c.hasConv()) {
            SDVariable h = convInput(xt);
            int in = c.convInputChannels();
            for (int l = 0; l < c.convLayers(); l++) {
                SDVariable sum = null;
                for (int s = 0; s < c.scales(); s++) {
                    int f = 1 << s;
                    SDVariable pooled = s == 0 ? h : pool(h, f);
                    SDVariable conv = conv(pooled, "conv" + l + ".s" + s, 3, in, c.convChannels(), 1 / Math.sqrt(9.0 * in * c.scales()));
                    SDVariable up = s == 0 ? conv : upsample(conv, f);
                    sum = sum == null ? up : sum.add(up);
                }
                h = sd.nn().softplus(sum);
                in = c.convChannels();
            }
            lower.add(h.div(Math.sqrt(c.convChannels())));
        }
        if (c.hasDense()) {
            SDVariable a = xt;
            int in = d;
            for (int l = 0; l < c.denseLayers(); l++) {
                int out = l == c.denseLayers() - 1 ? c.denseOutputChannels() * H * W : c.denseHidden();
                SDVariable w = param("dense" + l + ".W", gaussian(1 / Math.sqrt(in), in, out));
                SDVariable b = param("dense" + l + ".b", Nd4j.zeros(dataType, 1, out));
                a = sd.math().tanh(a.mmul(w).add(b));
                in = out;
            }
            SDVariable perPixel = sd.reshape(a, -1, c.denseOutputChannels(), H, W);
            lower.add(nhwc(perPixel).div(Math.sqrt(c.denseOutputChannels())));
        }
        SDVariable y = lower.size() == 1 ? lower.get(0) : sd.concat(3, lower.toArray(new SDVariable[0]));
        int in = (c.hasConv() ? c.convChannels() : 0) + (c.hasDense() ? c.denseOutputChannels() : 0) + (c.hasUnet() ? c.unetChannels() : 0);
        for (int l = 0; l < c.upperLayers() - 1; l++) {
            y = sd.math().tanh(conv(y, "upper" + l, 1, in, c.upperHidden(), 1 / Math.sqrt(in)));
            in = c.upperHidden();
        }
        // The last 1x1 layer and the bump readout in one: z = sum_j g_j(t) (W_j h + b_j) = (sum_j g_j W_j) h + sum_j g_j b_j,
        // so each image gets its own mixed weights [in, 2C] and one batched product replaces J times wider outputs.
        // Output channel k * C + c: k = 0 for z_mu, 1 for z_Sigma.
        String last = "upper" + (c.upperLayers() - 1);
        SDVariable wJ = param(last + ".W", Nd4j.zeros(dataType, J, (long) in * 2 * C));
        SDVariable bJ = param(last + ".b", Nd4j.zeros(dataType, J, 2L * C));
        SDVariable w = sd.reshape(g.mmul(wJ), -1, in, 2 * C), b = sd.reshape(g.mmul(bJ), -1, 1, 2 * C);
        SDVariable mixed = sd.mmul(sd.reshape(y, -1, H * W, in), w).add(b);                    // [n, HW, 2C]
        SDVariable z = sd.reshape(Z, sd.permute(mixed, 0, 2, 1), -1, 2 * d);
        loss(xt, z.get(SDIndex.all(), SDIndex.interval(0, d)), z.get(SDIndex.all(), SDIndex.interval(d, 2 * d)));
        // SameDiff may hold its own copies: expose the arrays the graph actually uses
        for (String name : params.keySet()) params.put(name, sd.getVariable(name).getArr());
    }

    /**
     * The U-Net lower pathway (not in the paper; {@link ImageNetworkConfig#unetChannels}, issue #15), [n, H, W, c0]
     * NHWC, already through SiLU for the readout: a 3x3 convolution of the input (x_t, with noiseScaledInput beside
     * x_t / sqrt(1 - alphabar_t)) to c0 channels; encoder blocks e1 (c0, full size), e2 (2 c0) on avgpool2(e1), e3
     * (2 c0) on avgpool2(e2); decoder d2 (2 c0) on [e2, up2(e3)], d1 (c0) on [e1, up2(d2)], nearest upsampling. Each
     * block is u = conv3x3(SiLU(GN(h))) + A g(t) + a, out = skip(h) + conv3x3(SiLU(GN(u))), with g(t) the readout's J
     * bumps and skip a 1x1 convolution where the channels change. GroupNorm is over the whole image, so unlike the
     * multi-scale layers its output at a pixel depends on every pixel (through the per-image group statistics).
     * With {@link ImageNetworkConfig#unetGroupNorm} false each GN is the identity (SiLU of h and of u directly, as the
     * sketch's nogn variant). Either way a FLOAT network trains and reads out through the float[] path
     * ({@link UnetFloat}, held to this graph by ImageNetworkUnetFloatTest).
     */
    private SDVariable unet(SDVariable image, SDVariable g) {
        ImageNetworkConfig c = config;
        int H = c.shape().height(), W = c.shape().width(), c0 = c.unetChannels(), in = c.convInputChannels();
        SDVariable h = conv(image, "unet.in", 3, in, c0, fanIn(9 * in));
        SDVariable e1 = block("unet.e1", h, g, c0, c0, H, W);
        SDVariable e2 = block("unet.e2", pool(e1, 2), g, c0, 2 * c0, H / 2, W / 2);
        SDVariable e3 = block("unet.e3", pool(e2, 2), g, 2 * c0, 2 * c0, H / 4, W / 4);
        SDVariable d2 = block("unet.d2", sd.concat(3, e2, upsample(e3, 2)), g, 4 * c0, 2 * c0, H / 2, W / 2);
        SDVariable d1 = block("unet.d1", sd.concat(3, e1, upsample(d2, 2)), g, 3 * c0, c0, H, W);
        return silu(d1);
    }

    /** One residual block of the U-Net on h [n, h, w, cin] NHWC with the bumps g [n, J]; see {@link #unet}. */
    private SDVariable block(String name, SDVariable h, SDVariable g, int cin, int cout, int height, int width) {
        SDVariable a = silu(norm(name + ".norm1", h, cin, height, width));
        SDVariable time = g.mmul(param(name + ".time.W", gaussian(fanIn(config.temporalBasis()), config.temporalBasis(), cout)))
                .add(param(name + ".time.b", Nd4j.zeros(dataType, cout)));
        SDVariable u = conv(a, name + ".conv1", 3, cin, cout, fanIn(9 * cin)).add(sd.reshape(time, -1, 1, 1, cout));
        SDVariable v = conv(silu(norm(name + ".norm2", u, cout, height, width)), name + ".conv2", 3, cout, cout, fanIn(9 * cout));
        SDVariable skip = cin == cout ? h : conv(h, name + ".skip", 1, cin, cout, fanIn(cin));
        return skip.add(v);
    }

    /** GroupNorm of x, or x itself without it ({@link ImageNetworkConfig#unetGroupNorm} false: no parameters made). */
    private SDVariable norm(String name, SDVariable x, int ch, int height, int width) {
        return config.unetGroupNorm() ? groupNorm(name, x, ch, height, width) : x;
    }

    /**
     * GroupNorm of x [n, h, w, ch] NHWC with {@link ImageNetworkConfig#UNET_GROUPS} groups of consecutive channels:
     * each image's group is shifted and scaled to mean 0, variance 1 over its pixels and channels (biased variance,
     * plus 1e-5 as PyTorch's GroupNorm), then a learned per-channel scale (init 1) and shift (init 0). The normalised
     * values before the affine are the graph variable {@code name + ".normalised"}, for tests. The variance is the mean
     * of the centred squares, not SameDiff's variance op, whose gradient over these two axes was wrong (caught by the
     * finite-difference test).
     */
    private SDVariable groupNorm(String name, SDVariable x, int ch, int height, int width) {
        int groups = ImageNetworkConfig.UNET_GROUPS;
        SDVariable r = sd.reshape(x, -1, (long) height * width, groups, ch / groups);
        SDVariable centred = r.sub(sd.mean(r, true, 1, 3));
        SDVariable var = sd.mean(centred.mul(centred), true, 1, 3);
        SDVariable normalised = sd.reshape(name + ".normalised", centred.div(sd.math().sqrt(var.add(1e-5))), -1, height, width, ch);
        return normalised.mul(param(name + ".scale", Nd4j.ones(dataType, ch))).add(param(name + ".shift", Nd4j.zeros(dataType, ch)));
    }

    /** x sigmoid(x), composed so SameDiff differentiates it through ops it is known to get right. */
    private SDVariable silu(SDVariable x) { return x.mul(sd.nn().sigmoid(x)); }

    /** f x f mean pooling (stride f) of [n, h, w, c] NHWC. */
    private SDVariable pool(SDVariable x, int f) {
        return sd.cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(f).kW(f).sH(f).sW(f).type(Pooling2D.Pooling2DType.AVG)
                .divisor(Pooling2D.Divisor.INCLUDE_PADDING).paddingMode(PaddingMode.VALID).isNHWC(true).build());
    }

    /**
     * The convolutional pathways' input [n, H, W, C or 2C] NHWC (oneDNN's native layout, no reorder around every
     * convolution, about 3x faster here): x_t, and with noiseScaledInput, in channels C..2C-1, x_t / sqrt(1 -
     * alphabar_t), the noise at unit scale.
     */
    private SDVariable convInput(SDVariable xt) {
        int C = config.shape().channels(), H = config.shape().height(), W = config.shape().width();
        SDVariable image = sd.reshape(xt, -1, C, H, W);
        if (config.noiseScaledInput()) image = sd.concat(1, image, sd.reshape(xt.mul(column(XT_SCALE)), -1, C, H, W));
        return nhwc(image);
    }

    /** The standard deviation of PyTorch's default weight init, uniform on +-1/sqrt(fan-in): 1/sqrt(3 fan-in). */
    private static double fanIn(int fanIn) { return 1 / Math.sqrt(3.0 * fanIn); }

    /**
     * Eq. 14's KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) per row, nats summed over dimensions, and the weighted sum.
     * Graph ops cannot call Java, so the parameterisation repeats {@link GaussianParameterisation#map} and the KL repeats
     * {@link org.dpm4j.diffusion.GaussianKL#nats(double, double, double, double)} in graph form; but every coefficient
     * is a placeholder fed from the core's tables (GaussianDiffusion's posterior coefficients and sqrt(alphabar_t),
     * through {@link ImageObjective#graphInputs}), so no schedule arithmetic lives here. Tests hold the graph equal to
     * the float[] path, which calls map and GaussianKL themselves.
     */
    private void loss(SDVariable xt, SDVariable zMu, SDVariable zSigma) {
        SDVariable x0 = sd.placeHolder(X0, dataType, -1, dimensions());
        SDVariable c0 = column(C0), ct = column(CT), vq = column(VQ), weight = column(WEIGHT);
        SDVariable var, mean;
        switch (parameterisation) {
            case PAPER -> {
                var = sd.nn().sigmoid(zSigma.add(column(LOGIT_BETA)));                      // Eq. 64
                mean = xt.add(zMu.sub(xt).mul(var));                                        // Eq. 65
            }
            case REFERENCE -> {
                var = sd.nn().sigmoid(zSigma.div(Math.sqrt(T())).add(column(LOGIT_BETA)));
                mean = xt.mul(column(SQRT_ALPHA)).add(zMu.mul(column(SQRT_BETA)));
            }
            default -> {   // POSTERIOR_X0, POSTERIOR_V: the posterior mean at x_0 = sqrt(alphabar_t) x_t + c z_mu
                SDVariable x0Hat = xt.mul(column(SQRT_ALPHA_BAR)).add(zMu.mul(column(X0_SCALE)));
                mean = x0Hat.mul(c0).add(xt.mul(ct));
                SDVariable logVq = sd.math().log(vq);                                       // log-variance linear in z_Sigma
                var = sd.math().exp(logVq.add(zSigma.add(0.5).mul(column(LOG_BETA).sub(logVq))));
            }
        }
        SDVariable diff = x0.mul(c0).add(xt.mul(ct)).sub(mean);
        SDVariable kl = sd.math().log(var.div(vq)).add(vq.add(diff.mul(diff)).div(var)).sub(1.0).mul(0.5);
        SDVariable klRow = sd.sum(KL_ROW, kl, true, 1);
        SDVariable loss = sd.sum(LOSS, klRow.mul(weight));
        sd.setLossVariables(loss);
    }

    /**
     * Nearest-neighbour upsampling of [n, h, w, c] by f. SameDiff's upsampling2d has a wrong gradient in NHWC (M2.1,
     * caught by the finite-difference test) and a broadcast product with ones has a very slow one, so this goes
     * through NCHW, where upsampling2d is right.
     */
    private SDVariable upsample(SDVariable x, int f) {
        return sd.permute(sd.cnn().upsampling2d(sd.permute(x, 0, 3, 1, 2), f, f, true), 0, 2, 3, 1);
    }

    /** [n, C, H, W] to [n, H, W, C]. */
    private SDVariable nhwc(SDVariable x) {
        return sd.permute(x, 0, 2, 3, 1);
    }

    private SDVariable column(String name) { return sd.placeHolder(name, dataType, -1, 1); }

    private SDVariable conv(SDVariable x, String name, int k, int in, int out, double std) {
        SDVariable w = param(name + ".W", std == 0 ? Nd4j.zeros(dataType, k, k, in, out) : gaussian(std, k, k, in, out));
        SDVariable b = param(name + ".b", Nd4j.zeros(dataType, out));
        return sd.cnn().conv2d(x, w, b, Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO).build());
    }

    private SDVariable param(String name, INDArray value) {
        params.put(name, value);
        return sd.var(name, value);
    }

    private INDArray gaussian(double std, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = std * init.nextGaussian();
        return Nd4j.createFromArray(v).reshape(shape).castTo(dataType);
    }
}
