package org.dpm4j.sampling;

import java.util.function.UnaryOperator;
import org.dpm4j.util.Matrices;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A general smooth r(x) through its gradient (Sec. 2.5, first-order form): if r varies slowly on the scale of the
 * step's variance, p~(x_{t-1} | x_t) ~ N(mu + Sigma d/dx log r(x) at mu, Sigma).
 */
public final class GradientConditioning implements GaussianConditioning {
    private final UnaryOperator<INDArray> gradLogR;

    /** @param gradLogR x [n, d] -> d/dx log r(x) [n, d] */
    public GradientConditioning(UnaryOperator<INDArray> gradLogR) {
        if (gradLogR == null) throw Check.bad("gradLogR", null, "a function x -> d/dx log r(x)");
        this.gradLogR = gradLogR;
    }

    @Override public GaussianStep condition(GaussianStep p, int t) {
        INDArray g = gradLogR.apply(p.mean());
        Matrices.sameShape("p.mean", p.mean(), "gradLogR(mean)", g);
        return new GaussianStep(p.mean().add(p.variance().mul(g)), p.variance());
    }
}
