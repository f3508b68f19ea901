package org.dpm4j.diffusion;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one home for checking [n, d] DOUBLE arrays at public boundaries and for drawing seeded noise into them.
 * All randomness goes through the caller's {@link RandomGenerator}, never ND4J's global generator.
 */
public final class Matrices {
    private Matrices() {}

    /** x is a rank-2 DOUBLE array [n, d] with n, d >= 1 and no NaN or infinity. */
    public static INDArray matrix(String parameter, INDArray x) {
        if (x == null) throw Check.bad(parameter, null, "a [n, d] DOUBLE array");
        if (x.rank() != 2 || x.size(0) < 1 || x.size(1) < 1) {
            throw Check.bad(parameter + ".shape", x.shape(), "rank 2, [n, d] with n, d >= 1");
        }
        if (x.dataType() != DataType.DOUBLE) throw Check.bad(parameter + ".dataType", x.dataType(), "DOUBLE");
        if (!Double.isFinite(x.sumNumber().doubleValue())) {
            double[] v = x.dup('c').data().asDouble();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw Check.bad(parameter + "[" + i / x.size(1) + ", " + i % x.size(1) + "]", v[i],
                            "a finite number (no NaN or infinity in " + parameter + ")");
                }
            }
        }
        return x;
    }

    /** x and y are valid matrices of the same shape. */
    public static void sameShape(String px, INDArray x, String py, INDArray y) {
        matrix(px, x);
        matrix(py, y);
        if (x.size(0) != y.size(0) || x.size(1) != y.size(1)) {
            throw Check.bad(py + ".shape", y.shape(), "the shape of " + px + ", " + java.util.Arrays.toString(x.shape()));
        }
    }

    /** x is a valid matrix whose every entry is 0 or 1. */
    public static INDArray binary(String parameter, INDArray x) {
        matrix(parameter, x);
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                throw Check.bad(parameter + "[" + i / x.size(1) + ", " + i % x.size(1) + "]", v[i], "0 or 1");
            }
        }
        return x;
    }

    /** x is a valid matrix whose every entry is a probability in [0, 1]. */
    public static INDArray probabilities(String parameter, INDArray x) {
        matrix(parameter, x);
        if (x.minNumber().doubleValue() < 0 || x.maxNumber().doubleValue() > 1) {
            throw Check.bad(parameter + ".range", "[" + x.minNumber() + ", " + x.maxNumber() + "]", "probabilities in [0, 1]");
        }
        return x;
    }

    /** Standard normal draws, [n, d] DOUBLE. */
    public static INDArray gaussian(long n, long d, RandomGenerator rng) {
        double[] v = new double[Math.toIntExact(n * d)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Nd4j.create(v, new long[] {n, d}, DataType.DOUBLE);
    }

    /** Uniform draws on [0, 1), [n, d] DOUBLE. */
    public static INDArray uniform(long n, long d, RandomGenerator rng) {
        double[] v = new double[Math.toIntExact(n * d)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble();
        return Nd4j.create(v, new long[] {n, d}, DataType.DOUBLE);
    }

    /** Independent Bernoulli draws: 1 with probability p (elementwise), else 0; same shape as p. */
    public static INDArray bernoulli(INDArray p, RandomGenerator rng) {
        double[] pv = p.dup('c').data().asDouble();
        double[] v = new double[pv.length];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < pv[i] ? 1 : 0;
        return Nd4j.create(v, p.shape(), DataType.DOUBLE);
    }

    /** A DOUBLE [n, d] array filled with value. */
    public static INDArray full(long n, long d, double value) {
        return Nd4j.valueArrayOf(new long[] {n, d}, value, DataType.DOUBLE);
    }

    /** A [1, d] DOUBLE row vector holding v. */
    public static INDArray row(double[] v) {
        return Nd4j.create(v, new long[] {1, v.length}, DataType.DOUBLE);
    }

    /** An [n, d] DOUBLE array whose every row is v. */
    public static INDArray tile(double[] v, long n) {
        return Nd4j.ones(DataType.DOUBLE, n, 1).mmul(row(v));
    }

    /** Row sums of an [n, d] array as a Java array of length n. */
    public static double[] rowSums(INDArray x) {
        return x.sum(1).data().asDouble();
    }
}
