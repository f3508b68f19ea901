package org.dpm4j.data;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binary heartbeat data of the paper: sequences of LENGTH bins with a 1 in every PERIOD-th bin, the phase
 * uniform over the first PERIOD bins. So there are exactly PERIOD equally likely sequences.
 */
public final class Heartbeat {
    public static final int LENGTH = 20;
    public static final int PERIOD = 5;

    private Heartbeat() {}

    /** n sequences, shape [n, LENGTH] DOUBLE with entries in {0, 1}. */
    public static INDArray sample(int n, RandomGenerator rng) {
        Check.positive("n", n);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) x[i] = sequence(rng.nextInt(PERIOD));
        return Nd4j.createFromArray(x);
    }

    /** The sequence with its first 1 at bin phase (0-based). */
    public static double[] sequence(int phase) {
        Check.inRange("phase", phase, 0, PERIOD - 1);
        double[] x = new double[LENGTH];
        for (int j = phase; j < LENGTH; j += PERIOD) x[j] = 1;
        return x;
    }

    /** The true log-likelihood of every sequence, log2(1 / PERIOD) = -2.322 bits per sequence: the ceiling for K. */
    public static double trueLogLikelihoodBits() {
        return -Math.log(PERIOD) / Math.log(2);
    }

    /**
     * L_null: the log-likelihood of a data sequence under independent Bernoulli(p) bits (the terminal distribution
     * pi(x_T)), in bits per sequence. Every sequence has LENGTH / PERIOD ones, so it is the same for all;
     * -14.439 for p = 0.2.
     */
    public static double nullLogLikelihoodBits(double p) {
        Check.openUnit("p", p);
        int ones = LENGTH / PERIOD;
        return (ones * Math.log(p) + (LENGTH - ones) * Math.log(1 - p)) / Math.log(2);
    }

    /** Whether a row (entries rounded at 0.5) is one of the PERIOD valid sequences. */
    public static boolean isValid(double[] row) {
        if (row.length != LENGTH) return false;
        int first = -1;
        for (int j = 0; j < LENGTH && first < 0; j++) if (row[j] >= 0.5) first = j;
        if (first < 0 || first >= PERIOD) return false;
        for (int j = 0; j < LENGTH; j++) if ((row[j] >= 0.5) != ((j - first) % PERIOD == 0 && j >= first)) return false;
        return true;
    }

    /** The fraction of the rows of samples ([n, LENGTH]) that are valid heartbeat sequences. */
    public static double fractionValid(INDArray samples) {
        if (samples.rank() != 2 || samples.columns() != LENGTH) {
            throw Check.bad("samples.shape", samples.shape(), "[n, " + LENGTH + "]");
        }
        double[][] rows = samples.toDoubleMatrix();
        int valid = 0;
        for (double[] row : rows) if (isValid(row)) valid++;
        return (double) valid / rows.length;
    }
}
