package org.dpm4j.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark's data, generated identically here and in environment/bench/*.py so both sides train on the same
 * examples: the heartbeat sequences and a noiseless 2-D Swiss roll scaled to unit variance per dimension.
 */
public final class Workloads {
    private Workloads() {}

    /** The 5 heartbeat sequences of length 20: a 1 in every 5th bin, phase 0..4, each repeated {@code copies} times. */
    public static INDArray heartbeat(int copies) {
        double[][] x = new double[5 * copies][20];
        for (int i = 0; i < x.length; i++) for (int j = i % 5; j < 20; j += 5) x[i][j] = 1;
        return Nd4j.createFromArray(x);
    }

    /**
     * n points of a Swiss roll, u_i = (i + 0.5) / n (a deterministic grid, so Java and Python agree exactly):
     * s = 1.5 pi (1 + 2u), (s cos s, s sin s), then each coordinate z-scored.
     */
    public static INDArray swissRoll(int n) {
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            double s = 1.5 * Math.PI * (1 + 2 * (i + 0.5) / n);
            x[i][0] = s * Math.cos(s);
            x[i][1] = s * Math.sin(s);
        }
        for (int c = 0; c < 2; c++) {
            double m = 0, v = 0;
            for (double[] r : x) m += r[c] / n;
            for (double[] r : x) v += (r[c] - m) * (r[c] - m) / n;
            double sd = Math.sqrt(v);
            for (double[] r : x) r[c] = (r[c] - m) / sd;
        }
        return Nd4j.createFromArray(x);
    }
}
