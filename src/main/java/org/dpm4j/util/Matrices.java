package org.dpm4j.util;

import java.util.random.RandomGenerator;
import org.bytedeco.javacpp.DoublePointer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one home for checking [n, d] DOUBLE arrays at public boundaries and for drawing seeded noise into them.
 * All randomness goes through the caller's {@link RandomGenerator}, never ND4J's global generator.
 */
public final class Matrices {
    private Matrices() {}

    private static final WorkspaceConfiguration LOOP = WorkspaceConfiguration.builder()
            .initialSize(0).policyLearning(LearningPolicy.FIRST_LOOP).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.3).policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE).build();

    /**
     * A workspace for the body of a per-time-step loop: arrays made inside it reuse one block of memory from one
     * iteration to the next instead of each being freshly allocated (allocation dominates the cost of a step of K
     * otherwise). Use in try-with-resources; anything that must outlive the iteration must be detach()ed, and
     * caller-supplied code runs through {@link #outsideWorkspace}.
     */
    public static MemoryWorkspace loopWorkspace() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(LOOP, "dpm4j-time-step");
    }

    /**
     * Runs caller-supplied code (a reverse kernel, a conditioning function) outside any workspace, so arrays it
     * creates and keeps between calls (cached parameters, say) live in ordinary memory and are never overwritten
     * when the loop's workspace is reused.
     */
    public static <T> T outsideWorkspace(java.util.function.Supplier<T> call) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return call.get();
        }
    }

    /** x is a rank-2 DOUBLE array [n, d] with n, d >= 1 and no NaN or infinity. */
    public static INDArray matrix(String parameter, INDArray x) {
        if (x == null) throw Check.bad(parameter, null, "a [n, d] DOUBLE array");
        if (x.rank() != 2 || x.size(0) < 1 || x.size(1) < 1) {
            throw Check.bad(parameter + ".shape", x.shape(), "rank 2, [n, d] with n, d >= 1");
        }
        if (x.dataType() != DataType.DOUBLE) throw Check.bad(parameter + ".dataType", x.dataType(), "DOUBLE");
        if (!Double.isFinite(x.sumNumber().doubleValue())) {
            double[] v = values(x);
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw Check.bad(parameter + "[" + i / x.size(1) + ", " + i % x.size(1) + "]", v[i],
                            "a finite number (no NaN or infinity in " + parameter + ")");
                }
            }
        }
        return x;
    }

    /** x and y are rank-2 DOUBLE arrays of the same shape; entries are not inspected (no reduction). */
    public static void sameShapeOnly(String px, INDArray x, String py, INDArray y) {
        if (y == null) throw Check.bad(py, null, "a [n, d] DOUBLE array");
        if (y.rank() != 2 || x.size(0) != y.size(0) || x.size(1) != y.size(1)) {
            throw Check.bad(py + ".shape", y.shape(), "the shape of " + px + ", " + java.util.Arrays.toString(x.shape()));
        }
        if (y.dataType() != DataType.DOUBLE) throw Check.bad(py + ".dataType", y.dataType(), "DOUBLE");
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
        // x (1 - x) vanishes exactly on {0, 1}; scan for the offending entry only when it does not
        if (x.mul(x.rsub(1)).amaxNumber().doubleValue() == 0) return x;
        double[] v = values(x);
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
        return fromValues(v, n, d);
    }

    /** Uniform draws on [0, 1), [n, d] DOUBLE. */
    public static INDArray uniform(long n, long d, RandomGenerator rng) {
        double[] v = new double[Math.toIntExact(n * d)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble();
        return fromValues(v, n, d);
    }

    /** Independent Bernoulli draws: 1 with probability p (elementwise), else 0; same shape as p. */
    public static INDArray bernoulli(INDArray p, RandomGenerator rng) {
        double[] v = values(p);
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < v[i] ? 1 : 0;
        return fromValues(v, p.size(0), p.size(1));
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
        return values(x.sum(1));
    }

    /** The entries of x in row-major order, copied in bulk (ND4J's element-wise accessors are slow). */
    public static double[] values(INDArray x) {
        INDArray c = x.dataType() == DataType.DOUBLE && x.ordering() == 'c' && !x.isView() && x.offset() == 0
                && x.length() == x.data().length() ? x : x.castTo(DataType.DOUBLE).dup('c');
        double[] v = new double[Math.toIntExact(c.length())];
        ((DoublePointer) c.data().addressPointer()).get(v);
        return v;
    }

    /** A new [n, d] DOUBLE array holding v in row-major order, copied in bulk. */
    public static INDArray fromValues(double[] v, long n, long d) {
        if (v.length != n * d) throw Check.bad("values.length", v.length, "n * d = " + n * d);
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, n, d);
        ((DoublePointer) x.data().addressPointer()).put(v);
        return x;
    }
}
