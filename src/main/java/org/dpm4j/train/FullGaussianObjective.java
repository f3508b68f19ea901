package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.Cholesky;
import org.dpm4j.kernel.CholeskyReadout;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.NetworkFullGaussianKernel;

/**
 * Eq. 14 for Gaussian diffusion with a full-covariance network kernel: per row, KL(q(x_{t-1} | x_t, x_0) || N(mu, L L^T))
 * with q isotropic, in closed form ({@link Cholesky#klFromDiagonal}), its gradient chained to the network outputs by
 * the kernel's {@link CholeskyReadout}. Draws x_t exactly as {@link GaussianObjective} does, so with the off-diagonal
 * outputs at zero the two objectives agree on the same noise.
 */
public final class FullGaussianObjective extends NetworkObjective {
    private final GaussianParameterisation parameterisation;
    private final String description;
    private final org.dpm4j.schedule.BetaSchedule schedule;
    private final GaussianParameterisation.Step[] steps;
    private final double[] marginalMean, marginalStd; // index t
    private final GaussianDiffusion.PosteriorCoefficients[] posterior;
    private final double ceilingPerExample;

    public FullGaussianObjective(NetworkFullGaussianKernel kernel) {
        super(kernel.network(), kernel.dimension());
        this.parameterisation = kernel.parameterisation();
        this.description = ", parameterisation=" + parameterisation + ", covariance=full";
        this.schedule = kernel.schedule();
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        steps = GaussianParameterisation.Step.all(kernel.schedule());
        marginalMean = diffusion.sqrtAlphaBars();   // q(x_t | x_0) = N(sqrt(alphabar_t) x_0, 1 - alphabar_t)
        marginalStd = diffusion.sqrtOneMinusAlphaBars();
        posterior = new GaussianDiffusion.PosteriorCoefficients[T + 1];
        for (int t = 2; t <= T; t++) posterior[t] = diffusion.posteriorCoefficients(t);
        ceilingPerExample = d * diffusion.entropyTermsPerDimension();
    }

    @Override float[] drawXt(double[] x0, Rows rows, RandomGenerator rng) {
        float[] xt = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            for (int c = 0; c < d; c++) xt[i * d + c] = (float) (marginalMean[t] * x0[e + c] + marginalStd[t] * rng.nextGaussian());
        }
        return xt;
    }

    @Override double lossAndGradient(double[] x0, Rows rows, float[] xt, float[] z, float[] dz) {
        int k = network.outputSize();
        CholeskyReadout r = new CholeskyReadout(parameterisation, d);
        double[] x = new double[d], mq = new double[d], vq = new double[d];
        double[] gMu = dz == null ? null : new double[d], gL = dz == null ? null : new double[d * d];
        double total = 0, w = rows.weight();
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            GaussianDiffusion.PosteriorCoefficients q = posterior[t];
            for (int c = 0; c < d; c++) {
                x[c] = xt[i * d + c];
                mq[c] = q.x0() * x0[e + c] + q.xt() * x[c];
                vq[c] = q.variance();
            }
            r.read(x, 0, z, i * k, steps[t]);
            total += w * Cholesky.klFromDiagonal(mq, vq, r.mean, r.cholesky, 0, d, gMu, gL);   // nats
            if (dz != null) r.backward(gMu, gL, w, dz, i * k);
        }
        return total;
    }

    @Override double ceilingNats(double[] x0) { return ceilingPerExample; }

    @Override String describeMore() { return description; }

    @Override public org.dpm4j.schedule.BetaSchedule schedule() { return schedule; }
}
