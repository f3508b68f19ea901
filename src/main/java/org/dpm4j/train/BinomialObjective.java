package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eq. 14 for binomial diffusion with a network kernel, p = sigmoid(z + logit(x_t (1 - beta_t) + r beta_t)).
 * Bits take two values, so the marginal q(x_t = 1 | x_0) and the posterior q(x_{t-1} = 1 | x_t, x_0) are tables
 * read once per t from the core's {@link BinomialDiffusion}.
 */
public final class BinomialObjective extends Objective {
    private final BinomialDiffusion diffusion;
    private final double[][] marginal1;     // [t][x0]
    private final double[][][] posterior1;  // [t][x0][xt]
    private final double[][] forwardLogit;  // [t][xt]

    public BinomialObjective(NetworkBinomialKernel kernel) {
        super(kernel.network(), kernel.network().outputSize());
        diffusion = new BinomialDiffusion(kernel.schedule(), kernel.baseRate());
        marginal1 = new double[T + 1][2];
        posterior1 = new double[T + 1][2][2];
        forwardLogit = new double[T + 1][2];
        INDArray x0s = Nd4j.createFromArray(new double[][] {{0}, {0}, {1}, {1}});
        INDArray xts = Nd4j.createFromArray(new double[][] {{0}, {1}, {0}, {1}});
        INDArray bits = Nd4j.createFromArray(new double[][] {{0}, {1}});
        for (int t = 1; t <= T; t++) {
            INDArray m = diffusion.marginalProbabilityOfOne(bits, t);
            for (int b = 0; b < 2; b++) {
                marginal1[t][b] = m.getDouble(b, 0);
                forwardLogit[t][b] = NetworkBinomialKernel.forwardLogit(b, kernel.schedule().beta(t), kernel.baseRate());
            }
            if (t >= 2) {
                INDArray p = diffusion.posteriorProbabilityOfOne(x0s, xts, t);
                for (int k = 0; k < 4; k++) posterior1[t][k / 2][k % 2] = p.getDouble(k, 0);
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
                int bt = (int) xt[i * d + c];
                double q = posterior1[t][(int) x0[e + c]][bt];
                double u = z[i * d + c] + forwardLogit[t][bt];
                double logP = -softplus(-u), log1mP = -softplus(u);
                row += xlogx(q) + xlogx(1 - q) - q * logP - (1 - q) * log1mP; // KL(B(q) || B(p)), nats
                if (dz != null) dz[i * d + c] = (float) (w * (Math.exp(logP) - q));
            }
            total += w * row;
        }
        return total;
    }

    @Override double ceilingNats(double[] x0) {
        int batch = batchOf(x0);
        INDArray x = Nd4j.create(x0, new long[] {batch, d}, DataType.DOUBLE);
        double[] hT = diffusion.forwardEntropy(x, T), h1 = diffusion.forwardEntropy(x, 1);
        double s = 0;
        for (int i = 0; i < batch; i++) s += hT[i] - h1[i];
        return s / batch - d * diffusion.terminalEntropyPerDimension();
    }

    private static double softplus(double a) { return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a)); }

    private static double xlogx(double p) { return p > 0 ? p * Math.log(p) : 0; }
}
