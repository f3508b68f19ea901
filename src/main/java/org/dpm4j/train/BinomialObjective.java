package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.kernel.BinomialParameterisation;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eq. 14 for binomial diffusion with a network kernel in any {@link BinomialParameterisation}. Bits take two values,
 * so the marginal q(x_t = 1 | x_0) and the posterior q(x_{t-1} = 1 | x_t, x_0) are tables read once per t from the
 * core's {@link BinomialDiffusion}. The logit forms (PLAIN, FORWARD_LOGIT) compute the KL from the logit, stable in
 * both tails; POSTERIOR_X0 mixes two posteriors that lie strictly inside (0, 1) for t >= 2, so its p does too.
 */
public final class BinomialObjective extends NetworkObjective {
    private final BinomialDiffusion diffusion;
    private final double[][] marginal1;     // [t][x0]
    private final double[][][] posterior1;  // [t][x0][xt]
    private final BinomialParameterisation parameterisation;
    private final String description;
    private final org.dpm4j.schedule.BetaSchedule schedule;
    private final double[][] forwardLogit;  // [t][xt], 0 for PLAIN
    private final double[][][] negEntropy;  // [t][x0][xt]: q ln q + (1 - q) ln(1 - q) of the posterior
    private final double[] entropyGap;      // [x0]: H_q(X_T | x_0) - H_q(X_1 | x_0) for one bit
    private final double terminalEntropy;   // H_p(X_T) per bit

    public BinomialObjective(NetworkBinomialKernel kernel) {
        super(kernel.network(), kernel.network().outputSize());
        parameterisation = kernel.parameterisation();
        diffusion = new BinomialDiffusion(kernel.schedule(), kernel.baseRate());
        description = ", parameterisation=" + parameterisation + ", baseRate=" + kernel.baseRate();
        schedule = kernel.schedule();
        marginal1 = new double[T + 1][2];
        posterior1 = new double[T + 1][2][2];
        forwardLogit = new double[T + 1][2];
        negEntropy = new double[T + 1][2][2];
        INDArray x0s = Nd4j.createFromArray(new double[][] {{0}, {0}, {1}, {1}});
        INDArray xts = Nd4j.createFromArray(new double[][] {{0}, {1}, {0}, {1}});
        INDArray bits = Nd4j.createFromArray(new double[][] {{0}, {1}});
        double[] hT = diffusion.forwardEntropy(bits, T), h1 = diffusion.forwardEntropy(bits, 1);
        entropyGap = new double[] {hT[0] - h1[0], hT[1] - h1[1]};
        terminalEntropy = diffusion.terminalEntropyPerDimension();
        for (int t = 1; t <= T; t++) {
            INDArray m = diffusion.marginalProbabilityOfOne(bits, t);
            for (int b = 0; b < 2; b++) {
                marginal1[t][b] = m.getDouble(b, 0);
                forwardLogit[t][b] = parameterisation == BinomialParameterisation.PLAIN ? 0
                        : BinomialParameterisation.Step.of(diffusion, t).forwardLogit(b);
            }
            if (t >= 2) {
                INDArray p = diffusion.posteriorProbabilityOfOne(x0s, xts, t);
                for (int k = 0; k < 4; k++) {
                    double q = posterior1[t][k / 2][k % 2] = p.getDouble(k, 0);
                    negEntropy[t][k / 2][k % 2] = xlogx(q) + xlogx(1 - q);
                }
            }
        }
    }

    @Override float[] drawXt(double[] x0, Rows rows, RandomGenerator rng) {
        float[] xt = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            double[] m = marginal1[rows.t()[i]];
            int e = rows.example()[i] * d;
            for (int c = 0; c < d; c++) xt[i * d + c] = rng.nextDouble() < m[(int) x0[e + c]] ? 1f : 0f;
        }
        return xt;
    }

    @Override double lossAndGradient(double[] x0, Rows rows, float[] xt, float[] z, float[] dz) {
        double total = 0, w = rows.weight();
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            double row = 0;
            for (int c = 0; c < d; c++) {
                int bt = (int) xt[i * d + c], b0 = (int) x0[e + c];
                double q = posterior1[t][b0][bt];
                if (parameterisation == BinomialParameterisation.POSTERIOR_X0) {
                    double a = posterior1[t][0][bt], b = posterior1[t][1][bt], zc = z[i * d + c];
                    double ex = Math.exp(-Math.abs(zc)), s = (zc >= 0 ? 1 : ex) / (1 + ex);
                    double p = a + (b - a) * s;
                    row += negEntropy[t][b0][bt] - q * Math.log(p) - (1 - q) * Math.log1p(-p);
                    // dKL/dp = (p - q) / (p (1 - p)), dp/dz = (b - a) s (1 - s) with s (1 - s) = ex / (1 + ex)^2
                    if (dz != null) dz[i * d + c] = (float) (w * (p - q) / (p * (1 - p)) * (b - a) * ex / ((1 + ex) * (1 + ex)));
                    continue;
                }
                double u = z[i * d + c] + forwardLogit[t][bt];
                // softplus(u) = max(u, 0) + ln(1 + e), sigmoid(u) from the same e = exp(-|u|)
                double ex = Math.exp(-Math.abs(u)), softplusU = Math.max(u, 0) + Math.log1p(ex);
                // KL(B(q) || B(p)) = q ln q + (1-q) ln(1-q) - q ln p - (1-q) ln(1-p), ln p = u - softplus(u), ln(1-p) = -softplus(u)
                row += negEntropy[t][b0][bt] - q * u + softplusU;
                if (dz != null) dz[i * d + c] = (float) (w * ((u >= 0 ? 1 : ex) / (1 + ex) - q));
            }
            total += w * row;
        }
        return total;
    }

    @Override double ceilingNats(double[] x0) {
        // the entropies factor over bits, so per-bit values read from the core once suffice
        double s = 0;
        for (double bit : x0) s += entropyGap[(int) bit];
        return s / batchOf(x0) - d * terminalEntropy;
    }

    private static double xlogx(double p) { return p > 0 ? p * Math.log(p) : 0; }

    @Override String describeMore() { return description; }

    @Override public org.dpm4j.schedule.BetaSchedule schedule() { return schedule; }
}
