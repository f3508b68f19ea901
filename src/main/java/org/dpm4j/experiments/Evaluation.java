package org.dpm4j.experiments;

import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.ImportanceSampledLikelihood;
import org.dpm4j.bound.LikelihoodEstimate;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.experiments.Profile;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An experiment's held-out measurements in its own unit: K (Eq. 14), the Eq. 9 log-likelihood and the ceiling on K,
 * all in bits per {@code per} (a 2-D point for the Swiss roll, a 20-bit sequence for the heartbeat).
 */
public record Evaluation(BoundResult bound, LikelihoodEstimate eq9, double ceilingBits, Per per) {
    /**
     * The image experiments' evaluation (MNIST, dead leaves, bark, CIFAR-10): K (Eq. 14) on the held-out images and
     * Eq. 9 with {@code trajectories} importance samples on {@code eq9Images}, from the root seed's bound and Eq. 9
     * streams; no ceiling is known for image data (NaN).
     */
    public static Evaluation gaussianImages(GaussianDiffusion diffusion, GaussianReverseKernel kernel, INDArray heldOut,
                                            INDArray eq9Images, int trajectories, long seed, Per per) {
        BoundResult bound = BoundK.gaussian(diffusion, kernel, heldOut, new Seeds(seed).bound());
        LikelihoodEstimate eq9 = ImportanceSampledLikelihood.gaussian(diffusion, kernel, eq9Images, trajectories, new Seeds(seed).eq9());
        return new Evaluation(bound, eq9, Double.NaN, per);
    }

    public double kBits() { return bound.kBits(per); }

    /** Standard error of K's mean over the held-out examples, bits per {@code per}. */
    public double kStandardErrorBits() { return bound.kStandardErrorBits(per); }

    /** E_q KL_t in bits per {@code per} for t = 1..T (index t - 1): the bound lost at each step. */
    public double[] lostPerStepBits() { return bound.klBits(per); }

    public double kMinusLNullBits() { return bound.kMinusLNullBits(per); }

    public double lNullBits() { return bound.lNullBits(per); }

    public double eq9Bits() { return eq9.meanBits(per); }

    /** Standard error of the Eq. 9 mean: over the examples and the importance sampling together. */
    public double eq9StandardErrorBits() {
        double data = eq9.dataStandardErrorNats(), mc = eq9.monteCarloErrorNats();
        return per.of(Math.sqrt(data * data + mc * mc) / Math.log(2), bound.dimensions());
    }

    /**
     * The run of these measurements, one row per metric in {@code unit}: K (Eq. 14) with its standard error,
     * K - L_null (no standard error: L_null is a mean over the same examples, so K's does not carry over), the
     * Eq. 9 log-likelihood with its standard error, and the ceiling on K; and the series K of each held-out example
     * and the bound lost per step ({@link Run#K_PER_EXAMPLE}, {@link Run#BOUND_LOST_PER_STEP}, in {@code unit}), so
     * two runs on the same held-out data can be compared paired. Add metrics to the builder before build().
     */
    public Run.Builder run(String experiment, String dataset, String unit, Profile profile, long seed, Record config,
                           Elapsed elapsed) {
        return Run.builder(experiment, dataset, "diffusion").profile(profile.id()).seed(seed).configuration(config)
                .elapsed(elapsed)
                .metric(Metric.K, kBits(), bound.kStandardErrorBits(per), unit)
                .metric(Metric.K_MINUS_L_NULL, kMinusLNullBits(), unit)
                .metric(Metric.EQ9, eq9Bits(), eq9StandardErrorBits(), unit)
                .metric(Metric.CEILING, ceilingBits, unit)
                .series(Run.K_PER_EXAMPLE, kPerExampleBits())
                .series(Run.BOUND_LOST_PER_STEP, bound.klBits(per));
    }

    /** K of each held-out example (its own draws of x_t), bits per {@code per}. */
    public double[] kPerExampleBits() { return perExampleBits(bound, per); }

    /** K of each example of a bound, bits per {@code per}. */
    public static double[] perExampleBits(BoundResult bound, Per per) {
        double[] nats = bound.perExampleNats(), b = new double[nats.length];
        for (int i = 0; i < b.length; i++) b[i] = per.of(nats[i] / Math.log(2), bound.dimensions());
        return b;
    }
}
