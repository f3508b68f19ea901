package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Goodfellow et al.'s Parzen-window protocol against cases computed by hand. */
class ParzenWindowTest {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /**
     * By hand: centres {0, 2} in 1-D, sigma 1. At x = 1 both kernels are exp(-1/2), so log p = -1/2 - log sqrt(2 pi);
     * at x = 0 they are 1 and exp(-2), so log p = log((1 + e^-2)/2) - log sqrt(2 pi).
     */
    @Test
    void oneDimensionalCaseByHand() {
        INDArray centres = Nd4j.createFromArray(new double[][] {{0}, {2}});
        double[] ll = ParzenWindow.logLikelihoodNats(centres, Nd4j.createFromArray(new double[][] {{1}, {0}}), 1.0, 100);
        assertEquals(-0.5 - LOG_SQRT_2PI, ll[0], 1e-12);
        assertEquals(Math.log((1 + Math.exp(-2)) / 2) - LOG_SQRT_2PI, ll[1], 1e-12);
    }

    /**
     * By hand: centres (0,0), (1,0), (0,1), sigma 1/2, x = (0,0): squared distances 0, 1, 1, exponents 0, -2, -2, so
     * log p = log((1 + 2 e^-2)/3) - 2 log(sqrt(2 pi)/2).
     */
    @Test
    void twoDimensionalCaseByHand() {
        INDArray centres = Nd4j.createFromArray(new double[][] {{0, 0}, {1, 0}, {0, 1}});
        double[] ll = ParzenWindow.logLikelihoodNats(centres, Nd4j.createFromArray(new double[][] {{0, 0}}), 0.5, 1);
        assertEquals(Math.log((1 + 2 * Math.exp(-2)) / 3) - 2 * Math.log(0.5 * Math.sqrt(2 * Math.PI)), ll[0], 1e-12);
    }

    /** Subtracting the maximum keeps a test point 10,000 widths away finite: -(1000^2)/(2 0.1^2) - log(0.1 sqrt(2 pi)). */
    @Test
    void farPointsStayFinite() {
        double[] ll = ParzenWindow.logLikelihoodNats(Nd4j.createFromArray(new double[][] {{0}, {0}}),
                Nd4j.createFromArray(new double[][] {{1000}}), 0.1, 100);
        assertEquals(-1000.0 * 1000 / (2 * 0.01) - Math.log(0.1 * Math.sqrt(2 * Math.PI)), ll[0], 1e-6);
    }

    @Test
    void batchesDoNotChangeTheValues() {
        SplittableRandom rng = new SplittableRandom(1);
        INDArray c = gaussian(rng, 50, 4), x = gaussian(rng, 37, 4);
        double[] all = ParzenWindow.logLikelihoodNats(c, x, 0.7, 1000);
        assertArrayEquals(all, ParzenWindow.logLikelihoodNats(c, x, 0.7, 1), 1e-10);
        assertArrayEquals(all, ParzenWindow.logLikelihoodNats(c, x, 0.7, 10), 1e-10);
    }

    /** numpy.logspace(-1, 0, 10): 10^(-1 + k/9). */
    @Test
    void goodfellowGrid() {
        double[] s = ParzenWindow.goodfellowSigmas();
        assertEquals(10, s.length);
        assertEquals(0.1, s[0], 1e-15);
        assertEquals(1.0, s[9], 1e-15);
        assertEquals(s[1] / s[0], s[9] / s[8], 1e-12);   // geometric
        assertEquals(Math.pow(10, -8.0 / 9), s[1], 1e-15);
    }

    /**
     * Monte Carlo: centres from N(0, 1) in 1-D make, in expectation, the density of N(0, 1 + sigma^2); with 40,000
     * centres the estimate at x = 0 agrees within 0.02 nats (its relative standard deviation is about 0.005). The
     * protocol picks the grid's argmax on the validation points and reports mean +- std/sqrt(n) on the test points.
     */
    @Test
    void protocolSelectsSigmaOnValidationAndMatchesTheSmoothedDensity() {
        SplittableRandom rng = new SplittableRandom(2);
        INDArray centres = gaussian(rng, 40_000, 1);
        double sigma = 0.3;
        double[] at0 = ParzenWindow.logLikelihoodNats(centres, Nd4j.createFromArray(new double[][] {{0}}), sigma, 100);
        assertEquals(-0.5 * Math.log(2 * Math.PI * (1 + sigma * sigma)), at0[0], 0.02);

        INDArray validation = gaussian(rng, 300, 1), test = gaussian(rng, 200, 1);
        double[] grid = {0.01, 0.1, 0.3, 3.0};
        ParzenWindow.Result r = ParzenWindow.evaluate(centres, validation, test, grid, 100);
        double[] v = ParzenWindow.meanLogLikelihoodNats(centres, validation, grid, 100);
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        assertEquals(grid[best], r.sigma());
        assertArrayEquals(v, r.validationMeanNats(), 1e-12);
        assertArrayEquals(ParzenWindow.logLikelihoodNats(centres, test, r.sigma(), 7), r.test().perExampleNats(), 1e-10);
        assertEquals(r.test().meanNats() / Math.log(2), r.meanBits(), 1e-12);
    }

    @Test
    void refusesBadSamplesSigmasAndBatch() {
        INDArray c = Nd4j.createFromArray(new double[][] {{0, 0}, {1, 1}}), x = Nd4j.createFromArray(new double[][] {{0, 0}});
        assertRejected(() -> ParzenWindow.logLikelihoodNats(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 0, 2), x, 1, 10), "samples", "[0, 2]");
        assertRejected(() -> ParzenWindow.logLikelihoodNats(c, Nd4j.zeros(1, 3), 1, 10), "x", "[1, 3]");
        assertRejected(() -> ParzenWindow.logLikelihoodNats(c, x, 0, 10), "sigma", "0");
        assertRejected(() -> ParzenWindow.logLikelihoodNats(c, x, 1, 0), "batch", "0");
        assertRejected(() -> ParzenWindow.evaluate(c, x, x, new double[0], 10), "sigmas", "[]");
        assertRejected(() -> ParzenWindow.evaluate(c, x, x, new double[] {0.1, -1}, 10), "sigmas", "-1");
        assertRejected(() -> ParzenWindow.evaluate(c, x, x, new double[] {0.1, Double.NaN}, 10), "sigmas", "NaN");
        assertRejected(() -> ParzenWindow.evaluate(c, x, x, ParzenWindow.goodfellowSigmas(), -5), "batch", "-5");
    }

    private static INDArray gaussian(SplittableRandom rng, int n, int d) {
        double[][] v = new double[n][d];
        for (double[] row : v) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
        return Nd4j.createFromArray(v);
    }
}
