package org.dpm4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.data.Heartbeat;
import org.dpm4j.train.TrainConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The denoising autoencoder against its oracles: the masking rate, central differences, and fill-in scores in closed form. */
class DenoisingAutoencoderTest {
    @Test
    @DisplayName("masking noise destroys a fraction nu of the inputs (binomial, within 4 standard errors) and keeps the rest as they were")
    void maskingRate() {
        int n = 200_000;
        double[] x = new double[n];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < n; i++) x[i] = 0.5 + rng.nextDouble();   // never 0, so every 0 out is a destroyed input
        for (double nu : new double[] {0.1, 0.25, 0.5}) {
            double[] y = MaskingNoise.apply(x, nu, new SplittableRandom(7));
            int zeros = 0;
            for (int i = 0; i < n; i++) {
                if (y[i] == 0) zeros++;
                else assertEquals(x[i], y[i], "kept input " + i + " changed");
            }
            assertEquals(nu, zeros / (double) n, 4 * Math.sqrt(nu * (1 - nu) / n), "destruction rate at nu = " + nu);
        }
        assertThrows(IllegalArgumentException.class, () -> MaskingNoise.apply(x, 1.0, rng));
    }

    @Test
    @DisplayName("gradient of the cross-entropy reconstruction loss = central differences")
    void gradientMatchesCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        DenoisingAutoencoder dae = new DenoisingAutoencoder(6, 4, 0.3, rng);
        float[] p = dae.parameterValues();
        for (int i = 0; i < p.length; i++) p[i] = (float) (0.5 * rng.nextGaussian());
        int n = 5;
        double[] x = new double[n * 6];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        double[] corrupted = MaskingNoise.apply(x, 0.3, rng);
        dae.zeroGradients();
        dae.loss(x, corrupted, true);
        float[] g = dae.parameterGradients().clone();
        double h = 1e-2;
        for (int i = 0; i < p.length; i++) {
            float old = p[i];
            p[i] = (float) (old + h);
            double up = dae.loss(x, corrupted, false);
            p[i] = (float) (old - h);
            double down = dae.loss(x, corrupted, false);
            p[i] = old;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g[i], 3e-3 + 2e-2 * Math.abs(fd), "parameter " + i + " of " + p.length);
        }
    }

    @Test
    @DisplayName("fill-in score: log2 of the probability given to each true missing value, summed; KT estimate from draws")
    void fillInScore() {
        double[] truth = {1, 0, 1, 0}, known = {1, 0, 0, 1}, p = {0.9, 0.25, 0.5, 0.1};
        // only values 1 (truth 0, p 0.25) and 2 (truth 1, p 0.5) are missing
        assertEquals(Math.log(0.75) / Math.log(2) + Math.log(0.5) / Math.log(2), FillIn.logLikelihoodBits(p, truth, known, 4), 1e-12);
        double[] draws = {1, 0, 1, 1, 0, 0};   // example of d = 2, m = 3 draws: ones 2 and 1
        double[] q = FillIn.fromDraws(draws, 3, 2);
        assertEquals(2.5 / 4, q[0], 1e-12);
        assertEquals(1.5 / 4, q[1], 1e-12);
        double[] perfect = FillIn.fromDraws(new double[] {1, 0, 1, 0, 1, 0}, 3, 2);   // every draw right: (1, 0)
        assertEquals(FillIn.floorBits(2, 3), FillIn.logLikelihoodBits(perfect, new double[] {1, 0}, new double[] {0, 0}, 2), 1e-12);
        assertEquals(0.5, FillIn.exactFraction(new double[] {0.9, 0.2, 0.6, 0.6}, new double[] {1, 0, 1, 0}, new double[] {0, 0, 0, 0}, 2), 1e-12);
        double[] mask = FillIn.blockMask(50, 20, 10, new SplittableRandom(1));
        for (int i = 0; i < 50; i++) {
            int missing = 0, runs = 0;
            for (int j = 0; j < 20; j++) {
                if (mask[i * 20 + j] == 0) missing++;
                if (mask[i * 20 + j] == 0 && (j == 0 || mask[i * 20 + j - 1] == 1)) runs++;
            }
            assertEquals(10, missing, "row " + i);
            assertEquals(1, runs, "one contiguous block in row " + i);
        }
    }

    @Test
    @DisplayName("a stack trained layer-wise by the one loop fills in a heartbeat's missing half better than the per-bit base rate")
    void stackFillsInHeartbeats() {
        INDArray train = Heartbeat.sample(2000, new SplittableRandom(1)), held = Heartbeat.sample(200, new SplittableRandom(2));
        TrainConfig config = TrainConfig.of(3, 600).withBatch(32).withLearningRate(1e-2).withEvaluation(0, 1).withProgress(false);
        StackedDenoisingAutoencoder stack = StackedDenoisingAutoencoder.train(train, held, new int[] {32, 16}, 0.5, config, 4);
        assertEquals(2, stack.layers().size());
        assertEquals(16, stack.features(held.dup().data().asDouble()).length / 200, "top features");
        double[] x = held.dup().data().asDouble(), known = FillIn.blockMask(200, 20, 10, new SplittableRandom(5));
        double dae = FillIn.logLikelihoodBits(stack.fillIn(x, known), x, known, 20);
        double[] base = new double[x.length];
        java.util.Arrays.fill(base, 0.2);   // every bin is a 1 with probability 1/5
        double rate = FillIn.logLikelihoodBits(base, x, known, 20);
        assertTrue(dae > rate + 3, "DAE fill-in " + dae + " bits/seq against the base rate's " + rate);
    }
}
