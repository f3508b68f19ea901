package org.dpm4j.bench;

import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.ImportanceSampledLikelihood;
import org.dpm4j.bound.LikelihoodEstimate;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactBernoulliDataKernel;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Timing of K (Eq. 14) and Eq. 9, in wall seconds: BoundBenchmark [n = 4000] [T = 2000], run from the repository's root
 * as {@code java -cp 'environment/bench/target/dpm4j-bench.jar:lib/*' org.dpm4j.bench.BoundBenchmark}.
 * Target from the issue: K on a few thousand examples with T = 2000 in seconds.
 */
public final class BoundBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000, T = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        double[] m = {0.5, -1}, s2 = {0.6, 1.4};
        BetaSchedule g = Schedules.referenceGaussian(T);
        INDArray x = Matrices.gaussian(n, 2, new java.util.SplittableRandom(1));
        GaussianDiffusion gd = new GaussianDiffusion(g);
        ExactGaussianDataKernel gk = new ExactGaussianDataKernel(g, m, s2);
        BoundK.gaussian(gd, gk, x.getRows(0, 1), 0);   // warm-up
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            BoundResult k = BoundK.gaussian(gd, gk, x, rep);
            System.out.printf("gaussian K: n=%d d=2 T=%d: %.2f s  (%s)%n", n, T, (System.nanoTime() - t0) / 1e9, k);
        }
        double[] rates = new double[20];
        java.util.Arrays.fill(rates, 0.2);
        BetaSchedule b = Schedules.binomialPaper(T);
        BinomialDiffusion bd = new BinomialDiffusion(b, 0.2);
        INDArray bits = Matrices.bernoulli(Matrices.full(n, 20, 0.2), new java.util.SplittableRandom(2));
        ExactBernoulliDataKernel bk = new ExactBernoulliDataKernel(b, 0.2, rates);
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            BoundResult k = BoundK.binomial(bd, bk, bits, rep);
            System.out.printf("binomial K: n=%d d=20 T=%d: %.2f s  (%s)%n", n, T, (System.nanoTime() - t0) / 1e9, k);
        }
        long t0 = System.nanoTime();
        LikelihoodEstimate e = ImportanceSampledLikelihood.gaussian(gd, gk, x.getRows(java.util.stream.IntStream.range(0, 100).toArray()), 40, 3);
        System.out.printf("gaussian Eq. 9: 100 examples x 40 trajectories, T=%d: %.2f s (mean %.4f +- %.4f nats, min ESS %.1f)%n",
                T, (System.nanoTime() - t0) / 1e9, e.meanNats(), e.monteCarloErrorNats(), e.minEffectiveSampleSize());
    }
}
