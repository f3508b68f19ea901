package org.dpm4j.nn;

import java.util.SplittableRandom;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;

/** The paper's reverse kernels, ready to train, each from a schedule and a seed. */
public final class Models {
    private Models() {}

    /** Swiss roll as in the paper: normalised RBF network, 16 hidden units, per-step readout, d = 2. */
    public static NetworkGaussianKernel swissRollRbf(BetaSchedule schedule, GaussianParameterisation parameterisation, long seed) {
        return new NetworkGaussianKernel(new RbfNetwork(2, 16, 4, schedule.T(), new SplittableRandom(seed)), schedule, parameterisation);
    }

    /** Swiss roll with a softplus MLP of the given hidden widths (e.g. {128, 128}) and per-step readout, d = 2. */
    public static NetworkGaussianKernel swissRollMlp(BetaSchedule schedule, GaussianParameterisation parameterisation, int[] hidden, long seed) {
        return gaussianMlp(2, hidden, Activation.SOFTPLUS, Mlp.Readout.PER_STEP, schedule, parameterisation, seed);
    }

    /** Any d-dimensional Gaussian kernel on an MLP (2d outputs: z_mu and z_Sigma). */
    public static NetworkGaussianKernel gaussianMlp(int d, int[] hidden, Activation activation, Mlp.Readout readout,
                                                    BetaSchedule schedule, GaussianParameterisation parameterisation, long seed) {
        return new NetworkGaussianKernel(new Mlp(d, hidden, 2 * d, activation, readout, schedule.T(), new SplittableRandom(seed)),
                schedule, parameterisation);
    }

    /**
     * Binary heartbeat as in the paper: MLP 20 -> 50 -> 50 -> 50 with sigmoid units and a per-step readout, added to the
     * logit of the forward kernel (base rate r, 0.2 for the paper's numbers).
     */
    public static NetworkBinomialKernel heartbeat(BetaSchedule schedule, double baseRate, long seed) {
        return binomialMlp(20, new int[] {50, 50, 50}, schedule, baseRate, seed);
    }

    /** A d-bit binomial kernel on a sigmoid MLP with per-step readout. */
    public static NetworkBinomialKernel binomialMlp(int d, int[] hidden, BetaSchedule schedule, double baseRate, long seed) {
        Check.positive("d", d);
        return new NetworkBinomialKernel(new Mlp(d, hidden, d, Activation.SIGMOID, Mlp.Readout.PER_STEP, schedule.T(), new SplittableRandom(seed)),
                schedule, baseRate);
    }
}
