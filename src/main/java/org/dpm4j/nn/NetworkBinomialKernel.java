package org.dpm4j.nn;

import org.dpm4j.kernel.GaussianParameterisation;
import java.util.Arrays;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * p(x_{t-1} = 1 | x_t) = sigmoid(z + logit(x_t (1 - beta_t) + r beta_t)) (paper Eq. 6): the network's readout is
 * added to the logit of the forward kernel applied to x_t, so an untrained network (z = 0) is the forward kernel's form
 * and K starts at L_null instead of far below it.
 */
public final class NetworkBinomialKernel implements BinomialReverseKernel {
    private final Network network;
    private final BetaSchedule schedule;
    private final double baseRate;
    private final int d;

    public NetworkBinomialKernel(Network network, BetaSchedule schedule, double baseRate) {
        if (network.T() != schedule.T()) throw Check.bad("network.T", network.T(), "the schedule's T = " + schedule.T());
        if (network.inputSize() != network.outputSize()) throw Check.bad("network.outputSize", network.outputSize(), "the input size " + network.inputSize());
        this.network = network;
        this.schedule = schedule;
        this.baseRate = Check.openUnit("baseRate", baseRate);
        this.d = network.outputSize();
    }

    public Network network() { return network; }

    public BetaSchedule schedule() { return schedule; }

    public double baseRate() { return baseRate; }

    /** logit of the forward kernel's probability of one, x (1 - beta_t) + r beta_t, for a bit x in {0, 1}. */
    public static double forwardLogit(double x, double beta, double r) {
        double p = x * (1 - beta) + r * beta;
        return Math.log(p) - Math.log1p(-p);
    }

    /** Eq. 6: p(x_{t-1} = 1 | x_t) per bit, [n, d] DOUBLE. */
    @Override public INDArray probabilityOfOne(INDArray xt, int t) {
        Check.inRange("t", t, 1, schedule.T());
        if (xt.columns() != d) throw Check.bad("xt.columns", xt.columns(), d + " (the kernel's dimension)");
        int n = (int) xt.rows();
        int[] ts = new int[n];
        Arrays.fill(ts, t);
        float[] z = FloatMatrices.floats(network.forward(xt.castTo(DataType.FLOAT).dup('c'), ts).output());
        double[] xs = xt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double beta = schedule.beta(t);
        double[] p = new double[n * d];
        for (int i = 0; i < n * d; i++) p[i] = org.dpm4j.util.Logistic.sigmoid(z[i] + forwardLogit(xs[i], beta, baseRate));
        return Nd4j.createFromArray(p).reshape(n, d);
    }
}
