package org.dpm4j.nn;

import java.util.Arrays;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * p(x_{t-1} | x_t) = N(mu, diag Sigma) with (mu, Sigma) from a network's 2d outputs (first d: z_mu, last d: z_Sigma)
 * through a {@link GaussianParameterisation} (paper Eq. 5; the published Eqs. 64-65 or a posterior form).
 */
public final class NetworkGaussianKernel implements GaussianReverseKernel {
    private final Network network;
    private final BetaSchedule schedule;
    private final GaussianParameterisation parameterisation;
    private final GaussianParameterisation.Step[] steps;
    private final int d;

    public NetworkGaussianKernel(Network network, BetaSchedule schedule, GaussianParameterisation parameterisation) {
        if (network.outputSize() % 2 != 0) throw Check.bad("network.outputSize", network.outputSize(), "an even number 2d (z_mu and z_Sigma)");
        if (network.T() != schedule.T()) throw Check.bad("network.T", network.T(), "the schedule's T = " + schedule.T());
        this.network = network;
        this.schedule = schedule;
        this.parameterisation = parameterisation;
        this.steps = GaussianParameterisation.Step.all(schedule);
        this.d = network.outputSize() / 2;
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    public Network network() { return network; }

    public BetaSchedule schedule() { return schedule; }

    public GaussianParameterisation parameterisation() { return parameterisation; }

    /** Eq. 5 through the kernel's parameterisation; mean and variance of x_{t-1}, [n, d] DOUBLE. */
    @Override public GaussianStep step(INDArray xt, int t) {
        Check.inRange("t", t, 1, schedule.T());
        if (xt.columns() != d) throw Check.bad("xt.columns", xt.columns(), d + " (the kernel's dimension)");
        int n = (int) xt.rows();
        int[] ts = new int[n];
        Arrays.fill(ts, t);
        INDArray x = xt.castTo(DataType.FLOAT).dup('c');
        float[] z = FloatMatrices.floats(network.forward(x, ts).output());
        double[] xs = xt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[n * d], var = new double[n * d], o = new double[5];
        GaussianParameterisation.Step s = steps[t];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                parameterisation.map(xs[i * d + c], z[i * 2 * d + c], z[i * 2 * d + d + c], s, o);
                mean[i * d + c] = o[0];
                var[i * d + c] = o[1];
            }
        }
        return new GaussianStep(Nd4j.createFromArray(mean).reshape(n, d), Nd4j.createFromArray(var).reshape(n, d));
    }

    /** A d-dimensional Gaussian kernel on an MLP (2d outputs: z_mu and z_Sigma), its weights drawn with the seed. */
    public static NetworkGaussianKernel mlp(int d, int[] hidden, Activation activation, Mlp.Readout readout, BetaSchedule schedule,
                                            GaussianParameterisation parameterisation, long seed) {
        return new NetworkGaussianKernel(new Mlp(d, hidden, 2 * d, activation, readout, schedule.T(), new java.util.SplittableRandom(seed)),
                schedule, parameterisation);
    }
}
