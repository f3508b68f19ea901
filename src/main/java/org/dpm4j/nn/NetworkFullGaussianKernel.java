package org.dpm4j.nn;

import java.util.Arrays;
import org.dpm4j.kernel.CholeskyReadout;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.FullGaussianStep;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * p(x_{t-1} | x_t) = N(mu, L L^T) with a full covariance from a network's 2d + d(d-1)/2 outputs through a
 * {@link CholeskyReadout} (paper Eq. 5 without the diagonal restriction). The first 2d outputs mean what they mean
 * for {@link NetworkGaussianKernel}; with the off-diagonal outputs at zero the two kernels agree.
 */
public final class NetworkFullGaussianKernel implements FullGaussianReverseKernel {
    private final Network network;
    private final BetaSchedule schedule;
    private final GaussianParameterisation parameterisation;
    private final GaussianParameterisation.Step[] steps;
    private final int d;

    public NetworkFullGaussianKernel(Network network, BetaSchedule schedule, GaussianParameterisation parameterisation) {
        if (network == null) throw Check.bad("network", null, "a Network");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        if (parameterisation == null) throw Check.bad("parameterisation", null, "a GaussianParameterisation");
        if (network.T() != schedule.T()) throw Check.bad("network.T", network.T(), "the schedule's T = " + schedule.T());
        this.d = CholeskyReadout.dimension(network.outputSize());
        if (network.inputSize() != d) throw Check.bad("network.inputSize", network.inputSize(), "d = " + d + " (from its outputs)");
        this.network = network;
        this.schedule = schedule;
        this.parameterisation = parameterisation;
        this.steps = GaussianParameterisation.Step.all(schedule);
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    public Network network() { return network; }

    public BetaSchedule schedule() { return schedule; }

    public GaussianParameterisation parameterisation() { return parameterisation; }

    public int dimension() { return d; }

    /** Eq. 5 with a full covariance: mean [n, d] and Cholesky factor [n, d, d] of p(x_{t-1} | x_t). */
    @Override public FullGaussianStep step(INDArray xt, int t) {
        Check.inRange("t", t, 1, schedule.T());
        if (xt.columns() != d) throw Check.bad("xt.columns", xt.columns(), d + " (the kernel's dimension)");
        int n = (int) xt.rows(), k = network.outputSize();
        int[] ts = new int[n];
        Arrays.fill(ts, t);
        float[] z = FloatMatrices.floats(network.forward(xt.castTo(DataType.FLOAT).dup('c'), ts).output());
        double[] xs = xt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[n * d], chol = new double[n * d * d];
        CholeskyReadout r = new CholeskyReadout(parameterisation, d);
        for (int i = 0; i < n; i++) {
            r.read(xs, i * d, z, i * k, steps[t]);
            System.arraycopy(r.mean, 0, mean, i * d, d);
            System.arraycopy(r.cholesky, 0, chol, i * d * d, d * d);
        }
        return FullGaussianStep.of(mean, chol, n, d);
    }
}
