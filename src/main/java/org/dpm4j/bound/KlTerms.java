package org.dpm4j.bound;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.GaussianKL;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.util.Check;
import org.dpm4j.util.Matrices;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The terms of Eq. 14's sum, KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) at one draw of x_t, for a reverse kernel
 * against its diffusion. They live with the bound, not with the diffusion, because they need the reverse kernel: the
 * forward process ({@code diffusion}) knows nothing of the model that reverses it.
 */
public final class KlTerms {
    private KlTerms() {}

    /**
     * The t-th term of Eq. 14 before averaging, t in 2..T: per example, KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))
     * summed over dimensions, in nats, at one draw x_t = sampleQ(x0, t, rng). The kernel's output is validated only
     * if the result is not finite (NaN, negative variance), so the check costs nothing per step in the usual case.
     *
     * @return [n] KL per example, nats
     */
    public static INDArray gaussian(GaussianDiffusion diffusion, INDArray x0, int t, GaussianReverseKernel kernel, RandomGenerator rng) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 2, diffusion.T());
        INDArray xt = diffusion.sampleQ(x0, t, rng);
        GaussianStep p = Matrices.outsideWorkspace(() -> kernel.step(xt, t));
        if (p == null || p.mean() == null || p.variance() == null) throw Check.bad("p", p, "a GaussianStep with mean and variance");
        Matrices.sameShapeOnly("xt", xt, "p.mean", p.mean());
        Matrices.sameShapeOnly("xt", xt, "p.variance", p.variance());
        GaussianDiffusion.PosteriorCoefficients c = diffusion.posteriorCoefficients(t);
        double[] x = Matrices.values(x0), y = Matrices.values(xt), mean = Matrices.values(p.mean()), var = Matrices.values(p.variance());
        int n = (int) x0.size(0), d = (int) x0.size(1);
        double[] kl = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int e = i * d; e < (i + 1) * d; e++) row += GaussianKL.nats(c.x0() * x[e] + c.xt() * y[e], c.variance(), mean[e], var[e]);
            kl[i] = row;
            total += row;
        }
        if (!Double.isFinite(total)) GaussianDiffusion.checkStep("p", p);
        return Nd4j.createFromArray(kl);
    }

    /**
     * The t-th term of Eq. 14 before averaging, t in 2..T: per example, KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))
     * summed over bits, in nats, at one draw x_t = sampleQ(x0, t, rng). The kernel's output must lie in [0, 1].
     *
     * @return [n] KL per example, nats
     */
    public static INDArray binomial(BinomialDiffusion diffusion, INDArray x0, int t, BinomialReverseKernel kernel, RandomGenerator rng) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 2, diffusion.T());
        // Binary x_0 and x_t make every posterior one of four values, so the draw of x_t (the same draws as
        // sampleQ), the posterior and its entropy come from one pass over the bits in Java instead of a dozen array ops.
        long n = x0.size(0), d = x0.size(1);
        double[] x = Matrices.values(x0), xt = new double[x.length], q = new double[x.length], negH = new double[x.length];
        double ab = diffusion.schedule().alphaBar(t), p1 = 1 * ab + diffusion.baseRate() * (1 - ab), p0 = diffusion.baseRate() * (1 - ab);
        double[] table = diffusion.posteriorTable(t), tableNegH = new double[4];
        for (int c = 0; c < 4; c++) tableNegH[c] = BinomialDiffusion.xlogx(table[c]) + BinomialDiffusion.xlogx(1 - table[c]);
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0 && x[i] != 1) throw Check.bad("x0[" + i / d + ", " + i % d + "]", x[i], "0 or 1");
            xt[i] = rng.nextDouble() < (x[i] == 1 ? p1 : p0) ? 1 : 0;
            int c = (int) (2 * x[i] + xt[i]);
            q[i] = table[c];
            negH[i] = tableNegH[c];
        }
        INDArray xtArray = Matrices.fromValues(xt, n, d);
        INDArray p = Matrices.outsideWorkspace(() -> kernel.probabilityOfOne(xtArray, t));
        Matrices.sameShapeOnly("xt", xtArray, "p", p);
        if (p.sub(0.5).amaxNumber().doubleValue() > 0.5) Matrices.probabilities("p", p);
        INDArray kl = Matrices.fromValues(negH, n, d).subi(BinomialDiffusion.crossTerm(Matrices.fromValues(q, n, d), p)).sum(1);
        if (!Double.isFinite(kl.sumNumber().doubleValue())) Matrices.probabilities("p", p);
        return kl;
    }
}
