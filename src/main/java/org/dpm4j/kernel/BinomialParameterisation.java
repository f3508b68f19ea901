package org.dpm4j.kernel;

import java.util.function.BiFunction;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.util.Check;
import org.dpm4j.util.Logistic;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turning a network readout z [n, d] into flip probabilities p(x_{t-1} = 1 | x_t) for binomial diffusion (the
 * function f_b of Eq. 6). Each form acts per bit, on that bit's z and x_t.
 * <ul>
 * <li>PLAIN, the paper's sigmoid output, p = sigmoid(z); an untrained network starts far below L_null.
 * <li>FORWARD_LOGIT, p = sigmoid(z + logit(x_t (1 - beta_t) + r beta_t)): z = 0 is the stationary chain's reverse
 *     step, so K starts at L_null.
 * <li>POSTERIOR_X0: the network predicts the probability that the bit was a one at the start, x0hat = sigmoid(z), and
 *     p = x0hat q(x_{t-1} = 1 | x_t, x_0 = 1) + (1 - x0hat) q(x_{t-1} = 1 | x_t, x_0 = 0). The best factorised kernel
 *     for any data has exactly this form with x0hat = q(x_0 = 1 | x_t) per bit (see {@link FiniteDataBinomialKernel}),
 *     and that target is a denoiser's output, smooth in t, where the flip logit is not.
 * </ul>
 */
public enum BinomialParameterisation {
    PLAIN {
        @Override public double probabilityOfOne(double z, int xt, Step s) { return Logistic.sigmoid(z); }
    },
    FORWARD_LOGIT {
        @Override public double probabilityOfOne(double z, int xt, Step s) { return Logistic.sigmoid(z + s.forwardLogit(xt)); }
    },
    POSTERIOR_X0 {
        @Override public double probabilityOfOne(double z, int xt, Step s) {
            double a = s.posterior(0, xt), b = s.posterior(1, xt);
            return a + (b - a) * Logistic.sigmoid(z);
        }
    };

    /** p(x_{t-1} = 1 | x_t) for one bit x_t in {0, 1} with readout z, at the step described by s. */
    public abstract double probabilityOfOne(double z, int xt, Step s);

    /**
     * What the forms need from the forward process at step t: the logits of q(x_t = 1 | x_{t-1}) and the posterior
     * q(x_{t-1} = 1 | x_t, x_0) for the four binary cases, indexed [2 x_0 + x_t].
     */
    public record Step(double[] forwardLogits, double[] posteriors) {
        public static Step of(BinomialDiffusion diffusion, int t) {
            double b = diffusion.schedule().beta(t), r = diffusion.baseRate();
            return new Step(new double[] {logit(r * b), logit(1 - b + r * b)}, diffusion.posteriorTable(t));
        }

        /** log p - log(1 - p), accurate for p near 0 (the forward kernel's flip probabilities r beta_t). */
        private static double logit(double p) { return Math.log(p) - Math.log1p(-p); }

        public double forwardLogit(int xt) { return forwardLogits[xt]; }

        public double posterior(int x0, int xt) { return posteriors[2 * x0 + xt]; }
    }

    /** p(x_{t-1} = 1 | x_t) per bit, [n, d] DOUBLE, from readouts z of the same shape. */
    public INDArray probabilityOfOne(INDArray xt, INDArray z, BinomialDiffusion diffusion, int t) {
        Matrices.binary("xt", xt);
        Matrices.sameShape("xt", xt, "z", z);
        Step s = Step.of(diffusion, t);
        double[] x = Matrices.values(xt.reshape(xt.length())), zs = Matrices.values(z.reshape(z.length()));
        double[] p = new double[x.length];
        for (int i = 0; i < p.length; i++) p[i] = probabilityOfOne(zs[i], (int) x[i], s);
        return Nd4j.createFromArray(p).reshape(xt.shape());
    }

    /** A reverse kernel from a readout function (x_t, t) -> z and the forward process. */
    public BinomialReverseKernel kernel(BiFunction<INDArray, Integer, INDArray> network, BinomialDiffusion diffusion) {
        if (network == null) throw Check.bad("network", null, "a function (x_t, t) -> z");
        if (diffusion == null) throw Check.bad("diffusion", null, "a BinomialDiffusion");
        return new BinomialReverseKernel() {
            @Override public INDArray probabilityOfOne(INDArray xt, int t) {
                Check.inRange("t", t, 1, diffusion.T());
                return BinomialParameterisation.this.probabilityOfOne(xt, network.apply(xt, t), diffusion, t);
            }

            @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(diffusion.T()); }
        };
    }
}
