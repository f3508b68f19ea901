package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianStep;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eq. 14 for Gaussian diffusion with a network kernel. The forward marginal and posterior coefficients are read off
 * the core's {@link GaussianDiffusion} once per t (both are linear in x_0 and x_t), so the mathematics has one home.
 */
public final class GaussianObjective extends Objective {
    private final GaussianParameterisation parameterisation;
    private final GaussianParameterisation.Step[] steps;
    private final double[] marginalMean, marginalStd, postX0, postXt, postVar; // index t
    private final double ceilingPerExample;

    public GaussianObjective(NetworkGaussianKernel kernel) {
        super(kernel.network(), kernel.network().outputSize() / 2);
        this.parameterisation = kernel.parameterisation();
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        steps = GaussianParameterisation.Step.all(kernel.schedule());
        marginalMean = new double[T + 1];
        marginalStd = new double[T + 1];
        postX0 = new double[T + 1];
        postXt = new double[T + 1];
        postVar = new double[T + 1];
        var one = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 1);
        var unit = Nd4j.createFromArray(new double[][] {{1}, {0}});
        var other = Nd4j.createFromArray(new double[][] {{0}, {1}});
        for (int t = 1; t <= T; t++) {
            GaussianStep m = diffusion.marginal(one, t);
            marginalMean[t] = m.mean().getDouble(0, 0);
            marginalStd[t] = Math.sqrt(m.variance().getDouble(0, 0));
            if (t >= 2) {
                GaussianStep post = diffusion.posterior(unit, other, t);
                postX0[t] = post.mean().getDouble(0, 0);
                postXt[t] = post.mean().getDouble(1, 0);
                postVar[t] = post.variance().getDouble(0, 0);
            }
        }
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
        double[] o = new double[5];
        double total = 0, w = rows.weight();
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            double row = 0;
            for (int c = 0; c < d; c++) {
                double x = xt[i * d + c];
                parameterisation.map(x, z[i * 2 * d + c], z[i * 2 * d + d + c], steps[t], o);
                double mean = o[0], var = o[1];
                double mq = postX0[t] * x0[e + c] + postXt[t] * x, vq = postVar[t], diff = mq - mean;
                double spread = (vq + diff * diff) / var;
                row += 0.5 * (Math.log(var / vq) + spread - 1);                  // KL(q || p), nats
                if (dz != null) {
                    double dMean = -diff / var, dLogVar = 0.5 * (1 - spread);
                    dz[i * 2 * d + c] = (float) (w * dMean * o[2]);
                    dz[i * 2 * d + d + c] = (float) (w * (dMean * o[3] + dLogVar * o[4]));
                }
            }
            total += w * row;
        }
        return total;
    }

    @Override double ceilingNats(double[] x0) { return ceilingPerExample; }
}
