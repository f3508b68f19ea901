package org.dpm4j.baselines;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dpm4j.train.Objective;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Denoising autoencoders stacked by greedy layer-wise training (Vincent et al. 2008, Sec. 3.1, the lecture's recipe):
 * layer 1 is trained to denoise the data; layer l > 1 to denoise the clean features of layer l - 1 (its corruption
 * applied to those features, never to the data); each layer is an {@link Objective} trained by the one loop
 * ({@link Trainer}). The stack's output, the top layer's features of clean inputs, is what a classifier is given.
 *
 * @param layers   the trained layers, bottom first
 * @param training each layer's training run (history, times), bottom first
 */
public record StackedDenoisingAutoencoder(List<DenoisingAutoencoder> layers, List<TrainResult<Objective>> training) {
    public StackedDenoisingAutoencoder {
        if (layers == null || layers.isEmpty()) throw Check.bad("layers", layers, "at least one layer");
        layers = List.copyOf(layers);
        training = List.copyOf(training);
    }

    /**
     * Trains hidden.length layers one after another on data [n, d] (values in [0, 1]), each with masking noise at
     * rate nu, by {@code config} (the same settings for every layer; layer l's run seeded config.seed() + l); weights
     * from {@code seed}. Held-out data, when given, gets the same features for each layer's evaluations.
     */
    public static StackedDenoisingAutoencoder train(INDArray data, INDArray heldOut, int[] hidden, double nu, TrainConfig config, long seed) {
        if (data == null || data.rank() != 2) throw Check.bad("data", data == null ? null : java.util.Arrays.toString(data.shape()), "an array [n, d]");
        if (hidden == null || hidden.length == 0) throw Check.bad("hidden", hidden, "at least one hidden width");
        if (config == null) throw Check.bad("config", null, "a TrainConfig");
        SplittableRandom rng = new SplittableRandom(seed);
        List<DenoisingAutoencoder> layers = new ArrayList<>();
        List<TrainResult<Objective>> runs = new ArrayList<>();
        INDArray input = data, held = heldOut;
        for (int l = 0; l < hidden.length; l++) {
            DenoisingAutoencoder layer = new DenoisingAutoencoder((int) input.columns(), hidden[l], nu, rng.split());
            runs.add(Trainer.train(layer, input, held, config.withSeed(config.seed() + l)));
            layers.add(layer);
            if (l + 1 < hidden.length) {   // the next layer learns on this one's clean features
                input = features(layer, input);
                held = held == null ? null : features(layer, held);
            }
        }
        return new StackedDenoisingAutoencoder(layers, runs);
    }

    private static INDArray features(DenoisingAutoencoder layer, INDArray x) {
        double[] y = layer.encode(x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble());
        return Nd4j.create(y, new long[] {x.rows(), layer.hidden()}, 'c');
    }

    /** The top layer's features of clean inputs x [n, d]: [n, hidden[last]], row-major. */
    public double[] features(double[] x) {
        double[] y = x;
        for (DenoisingAutoencoder layer : layers) y = layer.encode(y);
        return y;
    }

    /**
     * Fill-in: each value's probability of being 1 given the known ones, by the bottom layer's reconstruction of the
     * input with the missing values set to 0 (the corruption it was trained to undo). known[i] = 1 where x[i] is known.
     */
    public double[] fillIn(double[] x, double[] known) { return layers.get(0).reconstruct(MaskingNoise.apply(x, known)); }
}
