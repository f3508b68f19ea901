package org.dpm4j.kernel;

import org.dpm4j.diffusion.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The two published ways to turn readouts (z_mu, z_Sigma) into the mean and variance of p(x_{t-1} | x_t).
 * Both give the forward kernel's form (variance beta_t, mean about x_t (1 - beta_t)) at z = 0, so an untrained
 * network starts with K at L_null rather than far below it.
 */
public enum GaussianParameterisation {
    /**
     * The paper's Eqs. 64-65: Sigma = sigmoid(z_Sigma + logit(beta_t)); mu = (x_t - z_mu)(1 - Sigma) + z_mu.
     */
    PAPER {
        @Override public GaussianStep step(INDArray xt, Readout z, double betaT, int T) {
            INDArray variance = Transforms.sigmoid(z.zSigma().add(logit(betaT)), false);
            INDArray mean = xt.sub(z.zMu()).muli(variance.rsub(1)).addi(z.zMu());
            return new GaussianStep(mean, variance);
        }
    },
    /**
     * The reference code's variant: mu = x_t sqrt(1 - beta_t) + z_mu sqrt(beta_t);
     * Sigma = sigmoid(z_Sigma / sqrt(T) + logit(beta_t)).
     */
    REFERENCE {
        @Override public GaussianStep step(INDArray xt, Readout z, double betaT, int T) {
            INDArray variance = Transforms.sigmoid(z.zSigma().div(Math.sqrt(T)).addi(logit(betaT)), false);
            INDArray mean = xt.mul(Math.sqrt(1 - betaT)).addi(z.zMu().mul(Math.sqrt(betaT)));
            return new GaussianStep(mean, variance);
        }
    };

    /** Mean and variance of p(x_{t-1} | x_t) from the readouts; betaT is beta_t of the step, T the number of steps. */
    public abstract GaussianStep step(INDArray xt, Readout z, double betaT, int T);

    /** A reverse kernel from a readout function and a schedule, in this parameterisation. */
    public GaussianReverseKernel kernel(Readout.Function network, BetaSchedule schedule) {
        if (network == null) throw Check.bad("network", null, "a Readout.Function");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        return (xt, t) -> {
            Matrices.matrix("xt", xt);
            Readout z = network.apply(xt, t);
            Matrices.sameShape("xt", xt, "zMu", z.zMu());
            Matrices.sameShape("xt", xt, "zSigma", z.zSigma());
            return step(xt, z, schedule.beta(t), schedule.T());
        };
    }

    // logit(1) = +infinity gives sigmoid = 1, the right variance for a step that forgets everything
    static double logit(double p) { return Math.log(p / (1 - p)); }
}
