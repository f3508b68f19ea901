package org.dpm4j.data;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.dpm4j.util.Quadrature;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2-D Swiss roll of the paper's first experiment: (s cos s, s sin s) with s uniform on [1.5 pi, 4.5 pi],
 * noise-free, then each coordinate z-scored with the population mean and standard deviation of that
 * distribution (so the data have zero mean and unit variance per coordinate, whatever the sample size).
 */
public final class SwissRoll implements Curve {
    public static final double S_MIN = 1.5 * Math.PI;
    public static final double S_MAX = 4.5 * Math.PI;

    private static final SwissRoll INSTANCE = new SwissRoll();

    private final double meanX, meanY, sdX, sdY;

    private SwissRoll() {
        // Population moments by Gauss-Legendre quadrature over s (the integrands are smooth; 64 panels x 16 nodes
        // gives them to ~1e-12 relative).
        double[] m = new double[4];
        double width = S_MAX - S_MIN;
        m[0] = Quadrature.integrate(S_MIN, S_MAX, 64, s -> s * Math.cos(s)) / width;
        m[1] = Quadrature.integrate(S_MIN, S_MAX, 64, s -> s * Math.sin(s)) / width;
        m[2] = Quadrature.integrate(S_MIN, S_MAX, 64, s -> s * s * Math.cos(s) * Math.cos(s)) / width;
        m[3] = Quadrature.integrate(S_MIN, S_MAX, 64, s -> s * s * Math.sin(s) * Math.sin(s)) / width;
        meanX = m[0];
        meanY = m[1];
        sdX = Math.sqrt(m[2] - meanX * meanX);
        sdY = Math.sqrt(m[3] - meanY * meanY);
    }

    /** The Swiss roll distribution (immutable; its scaling constants are computed once). */
    public static SwissRoll get() { return INSTANCE; }

    @Override public double sMin() { return S_MIN; }

    @Override public double sMax() { return S_MAX; }

    @Override public double[] point(double s) {
        return new double[] {(s * Math.cos(s) - meanX) / sdX, (s * Math.sin(s) - meanY) / sdY};
    }

    @Override public double speed(double s) {
        double dx = (Math.cos(s) - s * Math.sin(s)) / sdX;
        double dy = (Math.sin(s) + s * Math.cos(s)) / sdY;
        return Math.hypot(dx, dy);
    }

    /** n points of the unit-variance roll, shape [n, 2] DOUBLE; the only randomness is the parameter s. */
    public INDArray sample(int n, RandomGenerator rng) {
        Check.positive("n", n);
        double[][] xy = new double[n][];
        for (int i = 0; i < n; i++) xy[i] = point(rng.nextDouble(S_MIN, S_MAX));
        return Nd4j.createFromArray(xy);
    }

    /** Population mean and standard deviation of the raw roll: {meanX, meanY, sdX, sdY}. */
    public double[] scaling() { return new double[] {meanX, meanY, sdX, sdY}; }
}
