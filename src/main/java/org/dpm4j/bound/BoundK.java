package org.dpm4j.bound;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.FullGaussianStep;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The lower bound K on the log-likelihood (Eq. 14):
 * K = - sum_{t=2..T} E_q[KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))] + H_q(X_T | X_0) - H_q(X_1 | X_0) - H_p(X_T),
 * with the first reverse step fixed to the forward kernel's form. Each expectation over x_t ~ q(x_t | x_0) uses one
 * draw per example per step, so one evaluation is an unbiased estimate; the per-step work is a handful of array
 * operations over all examples at once.
 *
 * <p>Draws (a contract other code reproduces, e.g. training objectives that must equal K with the same noise):
 * x_t = diffusion.sampleQ(x0, t, rng) for t = 2, 3, ..., T in that order, rng = new SplittableRandom(seed), nothing
 * else drawn. A fixed seed therefore freezes the noise, making K a deterministic function of the schedule and kernel.
 * Data of more than 2^22 entries are split into consecutive chunks of examples, each drawing in that order in turn.
 */
public final class BoundK {
    private BoundK() {}

    /** K (Eq. 14) of Gaussian diffusion with the given reverse kernel on data x0 [n, d]; nats per example inside. */
    public static BoundResult gaussian(GaussianDiffusion diffusion, GaussianReverseKernel kernel, INDArray x0, long seed) {
        check(diffusion, kernel, x0);
        return gaussian(diffusion, x0, seed, (x, t, rng) -> KlTerms.gaussian(diffusion, x, t, kernel, rng));
    }

    /**
     * K (Eq. 14) with a full-covariance reverse kernel, nats per example inside: the same draws, entropy and edge terms
     * as {@link #gaussian(GaussianDiffusion, GaussianReverseKernel, INDArray, long)}, the KL against N(mu, L L^T).
     */
    public static BoundResult gaussianFull(GaussianDiffusion diffusion, FullGaussianReverseKernel kernel, INDArray x0, long seed) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a FullGaussianReverseKernel");
        sameT(kernel.steps(), diffusion.T());
        data(x0);
        return gaussian(diffusion, x0, seed, (x, t, rng) -> {
            INDArray xt = diffusion.sampleQ(x, t, rng);
            FullGaussianStep p = Matrices.outsideWorkspace(() -> kernel.step(xt, t));
            return Nd4j.createFromArray(p.klFrom(diffusion.posterior(x, xt, t)));
        });
    }

    private static BoundResult gaussian(GaussianDiffusion diffusion, INDArray x0, long seed, KlTerm klTerm) {
        int T = diffusion.T(), n = (int) x0.size(0), d = (int) x0.size(1);
        double[] steps = new double[T];
        INDArray perExample = minusKlSum(x0, T, klTerm, seed, steps);
        steps[0] = d * diffusion.entropyTermsPerDimension();
        perExample.addi(steps[0]);

        // the terms Eq. 14 drops, in closed form: E[x_1^2] = a_1 x_0^2 + beta_1, E[x_T^2] = abar_T x_0^2 + 1 - abar_T
        double b1 = diffusion.schedule().beta(1), abT = diffusion.schedule().alphaBar(T);
        double meanSquare = x0.mul(x0).sumNumber().doubleValue() / n;
        double edge = (b1 + abT) * (d - meanSquare) / 2;
        double lNull = mean(diffusion.logTerminal(x0));
        return result("gaussian", diffusion.schedule().name(), T, d, n, seed, steps, perExample, lNull, edge);
    }

    /** K (Eq. 14) of binomial diffusion with the given reverse kernel on binary data x0 [n, d]; nats per example. */
    public static BoundResult binomial(BinomialDiffusion diffusion, BinomialReverseKernel kernel, INDArray x0, long seed) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a BinomialDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a BinomialReverseKernel");
        sameT(kernel.steps(), diffusion.T());
        Matrices.binary("x0", x0);
        int T = diffusion.T(), n = (int) x0.size(0), d = (int) x0.size(1);
        double[] steps = new double[T];
        INDArray perExample = minusKlSum(x0, T, (x, t, rng) -> KlTerms.binomial(diffusion, x, t, kernel, rng), seed, steps);
        // binomial entropies depend on x_0, so they are computed per example
        double[] hT = diffusion.forwardEntropy(x0, T), h1 = diffusion.forwardEntropy(x0, 1);
        double hPi = d * diffusion.terminalEntropyPerDimension();
        double[] entropyTerms = new double[n];
        for (int i = 0; i < n; i++) entropyTerms[i] = hT[i] - h1[i] - hPi;
        perExample.addi(Nd4j.createFromArray(entropyTerms));
        steps[0] = mean(entropyTerms);

        // log pi is linear in x for B(r): the dropped terms are logit(r) (beta_1 + abar_T) (mean(x_0) - r) per bit
        double r = diffusion.baseRate(), b1 = diffusion.schedule().beta(1), abT = diffusion.schedule().alphaBar(T);
        double onesPerExample = x0.sumNumber().doubleValue() / n;
        double edge = Math.log(r / (1 - r)) * (b1 + abT) * (onesPerExample - d * r);
        double lNull = mean(diffusion.logTerminal(x0));
        return result("binomial", diffusion.schedule().name(), T, d, n, seed, steps, perExample, lNull, edge);
    }

    /** Largest number of entries (examples x dimensions) processed at once; bigger data go in chunks of examples. */
    static final int MAX_ELEMENTS = 1 << 22;

    @FunctionalInterface
    interface KlTerm {
        INDArray at(INDArray x0, int t, RandomGenerator rng);
    }

    /**
     * -sum_{t=2..T} KL_t per example, and steps[t-1] = -(mean over examples of KL_t). Examples go in consecutive
     * chunks of at most MAX_ELEMENTS entries (one chunk for all but very large data), each drawing x_t for
     * t = 2..T in order from the one generator.
     */
    private static INDArray minusKlSum(INDArray x0, int T, KlTerm term, long seed, double[] steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        long n = x0.size(0), chunk = Math.max(1, MAX_ELEMENTS / x0.size(1));
        INDArray perExample = Nd4j.zeros(DataType.DOUBLE, n);
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            INDArray part = start == 0 && end == n ? x0 : x0.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup();
            INDArray acc = start == 0 && end == n ? perExample : perExample.get(NDArrayIndex.interval(start, end));
            for (int t = 2; t <= T; t++) {
                try (MemoryWorkspace ws = Matrices.loopWorkspace()) {
                    INDArray kl = term.at(part, t, rng);
                    acc.subi(kl);
                    steps[t - 1] -= kl.sumNumber().doubleValue() / n;
                }
            }
        }
        return perExample;
    }

    private static BoundResult result(String process, String schedule, int T, int d, int n, long seed, double[] steps,
                                      INDArray perExample, double lNull, double edge) {
        double[] k = Matrices.values(perExample);
        double mean = mean(k), ss = 0;
        for (double v : k) ss += (v - mean) * (v - mean);
        double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
        return new BoundResult(process, schedule, T, d, n, seed, steps, mean, se, lNull, k, edge);
    }

    private static void check(GaussianDiffusion diffusion, GaussianReverseKernel kernel, INDArray x0) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        sameT(kernel.steps(), diffusion.T());
        data(x0);
    }

    /** Gaussian data x0: a finite [n, d] DOUBLE matrix whose values are of sane magnitude (see DataValues). */
    static void data(INDArray x0) {
        Matrices.matrix("x0", x0);
        DataValues.bounded("x0", x0);
    }

    /**
     * A kernel built for T steps only answers t = 1..T; on a diffusion of another T it would fail midway (T larger)
     * or silently use the wrong steps (T smaller), so the mismatch is refused before anything is drawn.
     */
    static void sameT(java.util.OptionalInt kernelT, int diffusionT) {
        if (kernelT.isPresent() && kernelT.getAsInt() != diffusionT) {
            throw Check.bad("kernel.steps() (the kernel's T)", kernelT.getAsInt(), "the diffusion's T = " + diffusionT
                    + ": the kernel was built for a schedule of " + kernelT.getAsInt() + " steps, the diffusion has "
                    + diffusionT);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
