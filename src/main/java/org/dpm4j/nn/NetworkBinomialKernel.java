package org.dpm4j.nn;

import java.util.Arrays;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.kernel.BinomialParameterisation;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * p(x_{t-1} = 1 | x_t) = f_b(x_t, t) (paper Eq. 6) from a network's readout z through a {@link BinomialParameterisation}.
 * The default, FORWARD_LOGIT, adds z to the logit of the forward kernel applied to x_t, so an untrained network (z = 0)
 * is the forward kernel's form and K starts at L_null instead of far below it.
 */
public final class NetworkBinomialKernel implements BinomialReverseKernel {
    private final Network network;
    private final BetaSchedule schedule;
    private final double baseRate;
    private final BinomialParameterisation parameterisation;
    private final BinomialDiffusion diffusion;
    private final int d;

    public NetworkBinomialKernel(Network network, BetaSchedule schedule, double baseRate) {
        this(network, schedule, baseRate, BinomialParameterisation.FORWARD_LOGIT);
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    public NetworkBinomialKernel(Network network, BetaSchedule schedule, double baseRate,
                                 BinomialParameterisation parameterisation) {
        if (network == null) throw Check.bad("network", null, "a Network");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        if (parameterisation == null) throw Check.bad("parameterisation", null, "a BinomialParameterisation");
        if (network.T() != schedule.T()) throw Check.bad("network.T", network.T(), "the schedule's T = " + schedule.T());
        if (network.inputSize() != network.outputSize()) throw Check.bad("network.outputSize", network.outputSize(), "the input size " + network.inputSize());
        this.network = network;
        this.schedule = schedule;
        this.baseRate = Check.openUnit("baseRate", baseRate);
        this.d = network.outputSize();
        this.parameterisation = parameterisation;
        this.diffusion = new BinomialDiffusion(schedule, baseRate);
    }

    public BinomialParameterisation parameterisation() { return parameterisation; }

    public Network network() { return network; }

    public BetaSchedule schedule() { return schedule; }

    public double baseRate() { return baseRate; }

    /** Eq. 6: p(x_{t-1} = 1 | x_t) per bit, [n, d] DOUBLE; x_t must be binary. */
    @Override public INDArray probabilityOfOne(INDArray xt, int t) {
        Check.inRange("t", t, 1, schedule.T());
        org.dpm4j.util.Matrices.binary("xt", xt);
        if (xt.columns() != d) throw Check.bad("xt.columns", xt.columns(), d + " (the kernel's dimension)");
        int n = (int) xt.rows();
        int[] ts = new int[n];
        Arrays.fill(ts, t);
        float[] z = FloatMatrices.floats(network.forward(xt.castTo(DataType.FLOAT).dup('c'), ts).output());
        double[] xs = xt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        BinomialParameterisation.Step step = BinomialParameterisation.Step.of(diffusion, t);
        double[] p = new double[n * d];
        for (int i = 0; i < n * d; i++) p[i] = parameterisation.probabilityOfOne(z[i], (int) xs[i], step);
        return Nd4j.createFromArray(p).reshape(n, d);
    }

    /** A d-bit binomial kernel on a sigmoid MLP with a per-step readout, its weights drawn with the seed. */
    public static NetworkBinomialKernel mlp(int d, int[] hidden, BetaSchedule schedule, double baseRate, long seed) {
        org.dpm4j.util.Check.positive("d", d);
        return new NetworkBinomialKernel(new Mlp(d, hidden, d, Activation.SIGMOID, Mlp.Readout.PER_STEP, schedule.T(),
                new java.util.SplittableRandom(seed)), schedule, baseRate);
    }
}
