package org.dpm4j.kernel;

import java.util.function.BiFunction;
import org.dpm4j.diffusion.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Turning a network readout z [n, d] into flip probabilities p(x_{t-1} = 1 | x_t) for binomial diffusion.
 * FORWARD_LOGIT adds z to the logit of the forward kernel applied to x_t, x_t (1 - beta_t) + r beta_t, so z = 0 is
 * the stationary chain's reverse step and K starts at L_null (the paper's plain sigmoid readout, PLAIN, starts far
 * below it; see the paper brief's measured hints).
 */
public enum BinomialParameterisation {
    /** p = sigmoid(z): the paper's plain sigmoid output. */
    PLAIN {
        @Override public INDArray probabilityOfOne(INDArray xt, INDArray z, double betaT, double baseRate) {
            return Transforms.sigmoid(z, true);
        }
    },
    /** p = sigmoid(z + logit(x_t (1 - beta_t) + r beta_t)). */
    FORWARD_LOGIT {
        @Override public INDArray probabilityOfOne(INDArray xt, INDArray z, double betaT, double baseRate) {
            INDArray forward = xt.mul(1 - betaT).addi(baseRate * betaT);
            INDArray logit = Transforms.log(forward.div(forward.rsub(1)), false);
            return Transforms.sigmoid(logit.addi(z), false);
        }
    };

    public abstract INDArray probabilityOfOne(INDArray xt, INDArray z, double betaT, double baseRate);

    /** A reverse kernel from a readout function (x_t, t) -> z and the forward process's schedule and base rate. */
    public BinomialReverseKernel kernel(BiFunction<INDArray, Integer, INDArray> network, BetaSchedule schedule,
                                        double baseRate) {
        if (network == null) throw Check.bad("network", null, "a function (x_t, t) -> z");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.openUnit("baseRate", baseRate);
        return (xt, t) -> {
            Matrices.matrix("xt", xt);
            INDArray z = network.apply(xt, t);
            Matrices.sameShape("xt", xt, "z", z);
            return probabilityOfOne(xt, z, schedule.beta(t), baseRate);
        };
    }
}
