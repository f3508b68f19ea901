package org.dpm4j.nn.conv;

import org.dpm4j.data.ImageShape;
import org.dpm4j.util.Check;

/**
 * The sizes of the image reverse-kernel network (paper App. D, the reference code's MLP_conv_dense). Defaults from
 * the reference code: 4 convolution layers of 20 channels, a dense lower pathway of 4 layers (3 x 500 hidden, output
 * 2 channels per pixel), an upper per-pixel pathway of 2 layers (20 hidden), J = 10 temporal basis functions.
 *
 * @param shape               image shape (channels x height x width); examples are flattened channel-major
 * @param convLayers          multi-scale convolution layers (0: dense pathway alone, the MNIST model)
 * @param convChannels        channels of every convolution layer
 * @param scales              mean-pool factors 1, 2, ..., 2^(scales-1) inside each convolution layer
 * @param denseLayers         layers of the dense (tanh) pathway on the flattened image (0: convolutional pathway alone)
 * @param denseHidden         width of the dense pathway's hidden layers
 * @param denseOutputChannels channels per pixel the dense pathway hands to the upper layers
 * @param upperLayers         per-pixel (1x1 convolution) layers on top, the last one linear with 2 J channels per colour
 * @param upperHidden         width of the upper hidden layers
 * @param temporalBasis       J, the number of bump functions g_j(t) in the time readout
 * @param noiseScaledInput    whether the first convolution layer also sees x_t / sqrt(1 - alphabar_t), the input at
 *                            the noise's unit scale, as C more channels (not in the paper, whose network sees x_t only;
 *                            false by default): at low noise the network must tell noise of amplitude
 *                            sqrt(1 - alphabar_t) from edges of amplitude about 1, and the scaled channel lets softplus
 *                            thresholds at the noise's scale come without large weights
 * @param unetChannels        0 for the paper's network; c0 > 0 for a small U-Net in place of the multi-scale layers
 *                            (not in the paper; {@link ImageNetwork} describes it): base channels c0 at full
 *                            resolution, 2 c0 at a half and a quarter. It needs convLayers = 0, denseLayers = 0,
 *                            upperLayers = 1 (its output goes straight into the bump readout), c0 a multiple of 8 (the
 *                            GroupNorm's 8 groups; any positive c0 without the norm) and sides divisible by 4; see
 *                            {@link #withUnet}
 * @param unetGroupNorm       whether the U-Net's blocks apply GroupNorm before each SiLU (true, the default and the
 *                            form of the sketch of issue #15) or SiLU directly, with no norm parameters (false; the
 *                            sketch measured it better at 3,000 steps); false needs unetChannels > 0, see
 *                            {@link #withUnetGroupNorm}
 */
public record ImageNetworkConfig(ImageShape shape, int convLayers, int convChannels, int scales, int denseLayers,
                                 int denseHidden, int denseOutputChannels, int upperLayers, int upperHidden,
                                 int temporalBasis, boolean noiseScaledInput, int unetChannels, boolean unetGroupNorm) {
    /** GroupNorm's groups in every U-Net block (as in the sketch that motivated it, issue #15). */
    public static final int UNET_GROUPS = 8;

    public ImageNetworkConfig {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        Check.inRange("convLayers", convLayers, 0, 1000);
        Check.inRange("denseLayers", denseLayers, 0, 1000);
        Check.inRange("unetChannels", unetChannels, 0, 100_000);
        if (unetChannels > 0) {
            if (convLayers != 0) throw Check.bad("convLayers", convLayers, "0 with the U-Net (unetChannels = " + unetChannels + " replaces the multi-scale layers)");
            if (denseLayers != 0) throw Check.bad("denseLayers", denseLayers, "0 with the U-Net (unetChannels = " + unetChannels + "): no dense pathway beside it");
            if (upperLayers != 1) throw Check.bad("upperLayers", upperLayers, "1 with the U-Net (unetChannels = " + unetChannels + "): its output feeds the bump readout directly");
            if (unetGroupNorm && unetChannels % UNET_GROUPS != 0) throw Check.bad("unetChannels", unetChannels, "a multiple of " + UNET_GROUPS + " (the GroupNorm's groups)");
            if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
                throw Check.bad("shape", shape, "sides divisible by 4 for the U-Net (two 2x2 poolings)");
            }
        }
        if (!unetGroupNorm && unetChannels == 0) {
            throw Check.bad("unetGroupNorm", false, "true for a network without the U-Net (unetChannels = 0): there is no norm to drop");
        }
        if (convLayers == 0 && denseLayers == 0 && unetChannels == 0) throw Check.bad("convLayers + denseLayers", 0, "at least one pathway");
        if (convLayers > 0) {
            Check.positive("convChannels", convChannels);
            Check.positive("scales", scales);
            int f = 1 << (scales - 1);
            if (shape.height() % f != 0 || shape.width() % f != 0) {
                throw Check.bad("scales", scales, "a count whose largest pool 2^(scales-1) = " + f + " divides the image " + shape);
            }
        }
        if (denseLayers > 0) {
            if (denseLayers > 1) Check.positive("denseHidden", denseHidden);
            Check.positive("denseOutputChannels", denseOutputChannels);
        }
        Check.positive("upperLayers", upperLayers);
        if (upperLayers > 1) Check.positive("upperHidden", upperHidden);
        Check.inRange("temporalBasis", temporalBasis, 2, 10_000);
        if (noiseScaledInput && convLayers == 0 && unetChannels == 0) {
            throw Check.bad("noiseScaledInput", true, "false for a network without the convolutional pathway (convLayers = 0)");
        }
    }

    /** The network with the U-Net's GroupNorm where there is a U-Net ({@code unetGroupNorm} true, the default). */
    public ImageNetworkConfig(ImageShape shape, int convLayers, int convChannels, int scales, int denseLayers,
                              int denseHidden, int denseOutputChannels, int upperLayers, int upperHidden,
                              int temporalBasis, boolean noiseScaledInput, int unetChannels) {
        this(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden,
                temporalBasis, noiseScaledInput, unetChannels, true);
    }

    /** The multi-scale network (the paper's form; {@code unetChannels} 0). */
    public ImageNetworkConfig(ImageShape shape, int convLayers, int convChannels, int scales, int denseLayers,
                              int denseHidden, int denseOutputChannels, int upperLayers, int upperHidden,
                              int temporalBasis, boolean noiseScaledInput) {
        this(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden,
                temporalBasis, noiseScaledInput, 0);
    }

    /** The paper's network: x_t is the only input ({@code noiseScaledInput} false). */
    public ImageNetworkConfig(ImageShape shape, int convLayers, int convChannels, int scales, int denseLayers,
                              int denseHidden, int denseOutputChannels, int upperLayers, int upperHidden, int temporalBasis) {
        this(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden,
                temporalBasis, false);
    }

    /** The reference code's defaults for an image of this shape, both pathways. */
    public static ImageNetworkConfig reference(ImageShape shape) {
        return new ImageNetworkConfig(shape, 4, 20, defaultScales(shape), 4, 500, 2, 2, 20, 10);
    }

    /** The dense pathway alone (the paper's MNIST model), reference sizes otherwise. */
    public static ImageNetworkConfig denseOnly(ImageShape shape) {
        return new ImageNetworkConfig(shape, 0, 0, 1, 4, 500, 2, 2, 20, 10);
    }

    /**
     * Pool factors while the image halves evenly and the coarsest scale keeps at least 4 pixels a side
     * (28x28: 28, 14, 7; 32x32: 32, 16, 8, 4).
     */
    public static int defaultScales(ImageShape shape) {
        int s = 1, h = shape.height(), w = shape.width();
        while (h % 2 == 0 && w % 2 == 0 && h / 2 >= 4 && w / 2 >= 4) {
            h /= 2;
            w /= 2;
            s++;
        }
        return s;
    }

    public boolean hasConv() { return convLayers > 0; }

    public boolean hasDense() { return denseLayers > 0; }

    /** Whether the lower pathway is the U-Net ({@code unetChannels} > 0) rather than the multi-scale layers. */
    public boolean hasUnet() { return unetChannels > 0; }

    /**
     * The U-Net of base channels c0 in place of the multi-scale layers, the shape, J and noise-scaled input kept (not in
     * the paper; issue #15): convLayers, denseLayers 0, upperLayers 1, with GroupNorm in its blocks.
     *
     * @throws IllegalArgumentException for c0 not a positive multiple of 8, or sides not divisible by 4
     */
    public ImageNetworkConfig withUnet(int c0) { return withUnet(c0, true); }

    /**
     * The U-Net of base channels c0 with or without GroupNorm in its blocks (see the record's {@code unetGroupNorm}).
     *
     * @throws IllegalArgumentException for c0 not positive (with the norm: not a positive multiple of 8), or sides not
     *                                  divisible by 4
     */
    public ImageNetworkConfig withUnet(int c0, boolean groupNorm) {
        if (c0 <= 0) throw Check.bad("unetChannels", c0, groupNorm ? "a positive multiple of " + UNET_GROUPS : "a positive count");
        return new ImageNetworkConfig(shape, 0, 0, 1, 0, 0, 0, 1, 0, temporalBasis, noiseScaledInput, c0, groupNorm);
    }

    /**
     * The same U-Net with or without GroupNorm in its blocks (see the record's {@code unetGroupNorm}); without it the
     * blocks have no norm parameters and c0 need not be a multiple of 8.
     *
     * @throws IllegalArgumentException for false on a network without the U-Net, or true with c0 not a multiple of 8
     */
    public ImageNetworkConfig withUnetGroupNorm(boolean on) {
        return new ImageNetworkConfig(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden, temporalBasis, noiseScaledInput, unetChannels, on);
    }

    /** Values per example, d. */
    public int dimensions() { return shape.dimensions(); }

    public ImageNetworkConfig withConv(int layers, int channels, int scales) {
        return new ImageNetworkConfig(shape, layers, channels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden, temporalBasis, noiseScaledInput, unetChannels, unetGroupNorm);
    }

    public ImageNetworkConfig withDense(int layers, int hidden, int outputChannels) {
        return new ImageNetworkConfig(shape, convLayers, convChannels, scales, layers, hidden, outputChannels, upperLayers, upperHidden, temporalBasis, noiseScaledInput, unetChannels, unetGroupNorm);
    }

    public ImageNetworkConfig withUpper(int layers, int hidden) {
        return new ImageNetworkConfig(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, layers, hidden, temporalBasis, noiseScaledInput, unetChannels, unetGroupNorm);
    }

    /**
     * The same network sizes for images of another shape. Only the convolutional pathway's parameters are independent
     * of the image's height and width (3x3 and 1x1 kernels, the bump readout), so only a network without the dense
     * pathway keeps its parameters across shapes ({@link ImageNetwork#atShape}).
     */
    public ImageNetworkConfig withShape(ImageShape other) {
        return new ImageNetworkConfig(other, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden, temporalBasis, noiseScaledInput, unetChannels, unetGroupNorm);
    }

    public ImageNetworkConfig withTemporalBasis(int J) {
        return new ImageNetworkConfig(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden, J, noiseScaledInput, unetChannels, unetGroupNorm);
    }

    /**
     * The same sizes with or without the noise-scaled input channels of the first convolution layer (see the record's
     * {@code noiseScaledInput}); only that layer's weights change shape, [3, 3, C, out] to [3, 3, 2C, out].
     *
     * @throws IllegalArgumentException for true on a network without the convolutional pathway
     */
    public ImageNetworkConfig withNoiseScaledInput(boolean on) {
        return new ImageNetworkConfig(shape, convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels, upperLayers, upperHidden, temporalBasis, on, unetChannels, unetGroupNorm);
    }

    /**
     * The record's usual form, with noiseScaledInput named only when true, unetChannels only when positive and
     * unetGroupNorm only when false: the text is part of a training run's
     * fingerprint (the objective's description), so checkpoints written before the option existed still resume.
     */
    @Override
    public String toString() {
        return "ImageNetworkConfig[shape=" + shape + ", convLayers=" + convLayers + ", convChannels=" + convChannels + ", scales=" + scales
                + ", denseLayers=" + denseLayers + ", denseHidden=" + denseHidden + ", denseOutputChannels=" + denseOutputChannels
                + ", upperLayers=" + upperLayers + ", upperHidden=" + upperHidden + ", temporalBasis=" + temporalBasis
                + (noiseScaledInput ? ", noiseScaledInput=true" : "") + (unetChannels > 0 ? ", unetChannels=" + unetChannels : "")
                + (unetGroupNorm ? "" : ", unetGroupNorm=false") + "]";
    }

    /** Input channels of the first convolution layer: C, or 2C with {@code noiseScaledInput}. */
    public int convInputChannels() { return noiseScaledInput ? 2 * shape.channels() : shape.channels(); }
}
