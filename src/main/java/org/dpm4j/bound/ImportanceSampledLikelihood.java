package org.dpm4j.bound;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.FullGaussianStep;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The model's log-likelihood by Eq. 9: p(x_0) = E_{q(x_1..T | x_0)}[p(x_T) prod_t p(x_{t-1} | x_t) / q(x_t | x_{t-1})],
 * estimated with M forward trajectories per example. The reverse kernel is used for t = 2..T and the first reverse
 * step is the fixed forward-kernel form, as in K. All n * M trajectories advance together, one array operation per
 * quantity per step.
 */
public final class ImportanceSampledLikelihood {
    private ImportanceSampledLikelihood() {}

    /** Eq. 9 for Gaussian diffusion; nats per example inside the result. */
    public static LikelihoodEstimate gaussian(GaussianDiffusion diffusion, GaussianReverseKernel kernel, INDArray x0,
                                              int trajectories, long seed) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        BoundK.sameT(kernel.steps(), diffusion.T());
        BoundK.data(x0);
        checkSize(x0, trajectories);
        GaussianReverseKernel model = GaussianReverseKernel.withFixedFirstStep(diffusion, kernel);
        Process process = new Process(diffusion.T(), diffusion::sampleStep,
                (prev, xt, t) -> {
                    GaussianStep p = Matrices.outsideWorkspace(() -> model.step(xt, t));
                    return GaussianDiffusion.logDensity(prev, p).sum(1)
                            .subi(GaussianDiffusion.logDensity(xt, diffusion.forwardStep(prev, t)).sum(1));
                },
                diffusion::logTerminal);
        return estimate("gaussian", diffusion.schedule().name(), process, x0, trajectories, seed);
    }

    /** Eq. 9 for Gaussian diffusion with a full-covariance reverse kernel; nats per example inside the result. */
    public static LikelihoodEstimate gaussianFull(GaussianDiffusion diffusion, FullGaussianReverseKernel kernel, INDArray x0,
                                              int trajectories, long seed) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a FullGaussianReverseKernel");
        BoundK.sameT(kernel.steps(), diffusion.T());
        BoundK.data(x0);
        checkSize(x0, trajectories);
        FullGaussianReverseKernel model = FullGaussianReverseKernel.withFixedFirstStep(diffusion, kernel);
        Process process = new Process(diffusion.T(), diffusion::sampleStep,
                (prev, xt, t) -> {
                    FullGaussianStep p = Matrices.outsideWorkspace(() -> model.step(xt, t));
                    return Nd4j.createFromArray(p.logDensity(prev))
                            .subi(GaussianDiffusion.logDensity(xt, diffusion.forwardStep(prev, t)).sum(1));
                },
                diffusion::logTerminal);
        return estimate("gaussian", diffusion.schedule().name(), process, x0, trajectories, seed);
    }

    /** Eq. 9 for binomial diffusion on binary data; nats per example inside the result. */
    public static LikelihoodEstimate binomial(BinomialDiffusion diffusion, BinomialReverseKernel kernel, INDArray x0,
                                              int trajectories, long seed) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a BinomialDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a BinomialReverseKernel");
        BoundK.sameT(kernel.steps(), diffusion.T());
        Matrices.binary("x0", x0);
        checkSize(x0, trajectories);
        BinomialReverseKernel model = BinomialReverseKernel.withFixedFirstStep(diffusion, kernel);
        Process process = new Process(diffusion.T(), diffusion::sampleStep,
                (prev, xt, t) -> {
                    INDArray p = Matrices.outsideWorkspace(() -> model.probabilityOfOne(xt, t));
                    return BinomialDiffusion.logProbability(prev, p).sum(1)
                            .subi(BinomialDiffusion.logProbability(xt, diffusion.forwardProbabilityOfOne(prev, t)).sum(1));
                },
                diffusion::logTerminal);
        return estimate("binomial", diffusion.schedule().name(), process, x0, trajectories, seed);
    }

    /** Largest number of entries in one Java array: the log weights, and one example's trajectories, are each one. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Refuses, before any work, a trajectory count whose arrays cannot exist: the n M log weights form one array, the
     * M trajectories of one example (M d values) another, and the log weights alone take 8 n M bytes of heap.
     */
    static void checkSize(INDArray x0, int trajectories) {
        Check.positive("trajectories", trajectories);
        long n = x0.size(0), d = x0.size(1), M = trajectories;
        if (n * M > MAX_ARRAY) throw Check.bad("examples x trajectories", n + " x " + M + " = " + n * M,
                "at most " + MAX_ARRAY + " (one log weight per trajectory, in one Java array)");
        if (M * d > MAX_ARRAY) throw Check.bad("trajectories x dimensions", M + " x " + d + " = " + M * d,
                "at most " + MAX_ARRAY + " (the trajectories of one example advance together in one array)");
        long bytes = 8 * (n * M + M * d), heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) throw Check.bad("trajectories", M, "fewer: " + n + " examples x " + M + " trajectories need at least "
                + (bytes >> 20) + " MB for the log weights and one example's states, more than this JVM's maximum heap of "
                + (heap >> 20) + " MB (-Xmx)");
    }

    /** What Eq. 9 needs of a diffusion process and its model: a forward step, the per-step log ratio, log pi. */
    private record Process(int T, StepSampler sampleStep, StepLogRatio logRatio,
                           java.util.function.Function<INDArray, double[]> logTerminal) {}

    @FunctionalInterface
    private interface StepSampler { INDArray sample(INDArray prev, int t, SplittableRandom rng); }

    /** log p(x_{t-1} | x_t) - log q(x_t | x_{t-1}) per row, nats. */
    @FunctionalInterface
    private interface StepLogRatio { INDArray apply(INDArray prev, INDArray xt, int t); }

    private static LikelihoodEstimate estimate(String name, String schedule, Process process, INDArray x0,
                                               int trajectories, long seed) {
        Check.positive("trajectories", trajectories);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] logWeights = inChunks(x0, trajectories, part -> logWeights(process, part, trajectories, rng));
        return LikelihoodEstimate.fromLogWeights(name, schedule, process.T(), (int) x0.size(1), trajectories, seed,
                logWeights);
    }

    /** log[p(x_T) prod_t p(x_{t-1} | x_t) / q(x_t | x_{t-1})] along M forward trajectories per example (Eq. 9). */
    private static double[] logWeights(Process process, INDArray x0, int trajectories, SplittableRandom rng) {
        INDArray prev = replicateRows(x0, trajectories);
        INDArray logW = Nd4j.zeros(DataType.DOUBLE, prev.size(0));
        for (int t = 1; t <= process.T(); t++) {
            try (MemoryWorkspace ws = Matrices.loopWorkspace()) {
                INDArray xt = process.sampleStep().sample(prev, t, rng);
                logW.addi(process.logRatio().apply(prev, xt, t));
                prev = xt.detach();
            }
        }
        logW.addi(Nd4j.createFromArray(process.logTerminal().apply(prev)));
        return Matrices.values(logW);
    }

    /**
     * Log weights of all examples, example-major, computed for consecutive chunks of examples whose n M d entries stay
     * within BoundK.MAX_ELEMENTS (one chunk unless the data are large), so memory stays bounded for images.
     */
    private static double[] inChunks(INDArray x0, int trajectories, java.util.function.Function<INDArray, double[]> chunkWeights) {
        long n = x0.size(0), chunk = Math.max(1, BoundK.MAX_ELEMENTS / (x0.size(1) * trajectories));
        double[] all = new double[Math.toIntExact(n * trajectories)];
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            INDArray part = start == 0 && end == n ? x0 : x0.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup();
            double[] w = chunkWeights.apply(part);
            System.arraycopy(w, 0, all, (int) (start * trajectories), w.length);
        }
        return all;
    }

    /** Each row of x repeated M times in place: rows i*M .. i*M + M - 1 are copies of row i. */
    static INDArray replicateRows(INDArray x, int M) {
        long n = x.size(0), d = x.size(1);
        double[] src = Matrices.values(x), dst = new double[Math.toIntExact(n * M * d)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < M; j++) System.arraycopy(src, (int) (i * d), dst, (int) ((i * M + j) * d), (int) d);
        }
        return Matrices.fromValues(dst, n * M, d);
    }
}
