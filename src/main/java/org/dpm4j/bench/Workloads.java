package org.dpm4j.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark's data, generated identically here and in environment/bench/*.py so both sides train on the same
 * examples: the heartbeat sequences, a noiseless 2-D Swiss roll scaled to unit variance per dimension, and smooth
 * synthetic grey images for the image network's throughput.
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

    /**
     * n grey side x side images of plane waves, flattened row-major: image i is sin(2 pi (a r + b c) / side + 0.1 i)
     * with a = 1 + i mod 5, b = 1 + (i / 5) mod 5, then all values z-scored by one scalar mean and standard deviation
     * (as the reference code scales images).
     */
    public static INDArray images(int n, int side) {
        double[] v = new double[n * side * side];
        for (int i = 0; i < n; i++) {
            int a = 1 + i % 5, b = 1 + (i / 5) % 5;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) v[(i * side + r) * side + c] = Math.sin(2 * Math.PI * (a * r + b * c) / side + 0.1 * i);
            }
        }
        double m = 0, ss = 0;
        for (double x : v) m += x / v.length;
        for (double x : v) ss += (x - m) * (x - m) / v.length;
        double sd = Math.sqrt(ss);
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - m) / sd;
        return Nd4j.createFromArray(v).reshape(n, (long) side * side);
    }
}
