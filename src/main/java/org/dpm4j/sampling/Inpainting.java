package org.dpm4j.sampling;

import org.dpm4j.util.Matrices;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inpainting (Sec. 2.5, Fig. 5): r(x) is a delta function on the known pixels, so the product with each reverse step
 * is exact: known pixels take their given values with variance 0 at every step, the last one and x_T included, and
 * unknown pixels keep the model's distribution. Works for Gaussian and binomial diffusion.
 */
public final class Inpainting implements GaussianConditioning, BinomialConditioning {
    private final INDArray known, values;

    /**
     * @param known  1 where the pixel is known, 0 where it is to be filled in; [n, d]
     * @param values the known pixels' values (other entries ignored); [n, d]
     */
    public Inpainting(INDArray known, INDArray values) {
        Matrices.binary("known", known);
        Matrices.sameShape("known", known, "values", values);
        this.known = known.dup();
        // only the known pixels' values enter the samples, so only they are checked (NaN elsewhere was refused above)
        this.values = DataValues.bounded("values", values.mul(known));
    }

    public INDArray known() { return known.dup(); }

    @Override public GaussianStep condition(GaussianStep p, int t) {
        check(p.mean());
        INDArray unknown = known.rsub(1);
        // exact: unknown * mean + values keeps known entries bit-for-bit equal to the given values
        return new GaussianStep(p.mean().mul(unknown).addi(values), p.variance().mul(unknown));
    }

    @Override public INDArray condition(INDArray probabilityOfOne, int t) {
        check(probabilityOfOne);
        Matrices.binary("values on known pixels", values);
        return probabilityOfOne.mul(known.rsub(1)).addi(values);
    }

    private void check(INDArray x) {
        if (x.size(0) != known.size(0) || x.size(1) != known.size(1)) {
            throw Check.bad("sample shape", x.shape(), "the inpainting mask's shape " + java.util.Arrays.toString(known.shape()));
        }
    }
}
