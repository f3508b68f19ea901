package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.nn.Network;
import org.dpm4j.util.Check;

/**
 * The training objective: the bound K of Eq. 14 on a minibatch, with its gradient with respect to the network
 * parameters. The loss is the minibatch mean of sum_{t=2..T} KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) in nats
 * per example; K = ceiling - loss, where the ceiling H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T) does not depend on the
 * network. All rows of an evaluation (every example and time step) go through the network in one pass.
 */
public abstract class NetworkObjective implements Objective {
    protected final Network network;
    protected final int d, T;

    NetworkObjective(Network network, int d) {
        this.network = network;
        this.d = d;
        this.T = network.T();
    }

    public Network network() { return network; }

    /** Dimensions per example. */
    @Override public int dimension() { return d; }

    @Override public float[] parameterValues() { return network.params().values(); }

    @Override public float[] parameterGradients() { return network.params().grads(); }

    @Override public void zeroGradients() { network.params().zeroGrad(); }

    /**
     * K on the given examples in nats per example, with every term t = 2..T and one draw of x_t per example and step
     * (the estimate BoundK makes), forward passes only, in chunks of about 65,536 rows.
     */
    @Override public double evaluateNats(double[] x0, long seed) {
        int n = batchOf(x0);
        int chunk = Math.max(1, 65536 / Math.max(1, T - 1));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double k = 0;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            double[] part = java.util.Arrays.copyOfRange(x0, start * d, (start + m) * d);
            k += evaluate(part, Estimator.ALL_T, rng, false).kNats() * m;
        }
        return k / n;
    }

    @Override public String describe() {
        return getClass().getSimpleName() + "(network=" + network.getClass().getSimpleName() + " " + network.inputSize() + "->"
                + network.outputSize() + ", parameters=" + network.params().size() + ", d=" + d + ", T=" + T + describeMore() + ")";
    }

    /** More of {@link #describe}: ", name=value" pairs a subclass adds (its parameterisation, schedule). */
    String describeMore() { return ""; }

    public int T() { return T; }

    /**
     * Draws x_t for the minibatch x0 (row-major [batch, d]) and returns the bound's value; with {@code gradient} the
     * gradient of the loss (= -gradient of K) is added to the network's gradient vector.
     */
    @Override public Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient) {
        int batch = batchOf(x0);
        Rows rows = sampler.sample(batch, T, rng);
        return evaluate(x0, rows, drawXt(x0, rows, rng), gradient);
    }

    /** The same with given x_t per row (row-major [rows, d]): lets a test feed the core's draws. */
    Value evaluate(double[] x0, Rows rows, float[] xt, boolean gradient) {
        double loss = pass(rows, xt, gradient, null, (z, dz) -> lossAndGradient(x0, rows, xt, z, dz));
        return new Value(loss, ceilingNats(x0));
    }

    /** A loss on the network's outputs z: returns it and, when dz is not null, writes dLoss/dz into dz. */
    interface Loss {
        double apply(float[] z, float[] dz);
    }

    /**
     * One forward pass over all rows, the loss, and with {@code gradient} one backward pass into the network's
     * parameter gradients; with {@code dx} not null (which implies the backward pass) also adds the loss's gradient
     * with respect to the network input x_t, through the network, into dx (row-major [rows, d]).
     */
    double pass(Rows rows, float[] xt, boolean gradient, float[] dx, Loss loss) {
        boolean backward = gradient || dx != null;
        try (var step = FloatMatrices.stepScope()) {   // for networks that build ND4J arrays
            Network.Pass pass = network.forward(xt, rows.t());
            float[] z = pass.values();
            float[] dz = backward ? new float[z.length] : null;
            double value = loss.apply(z, dz);
            if (backward) {
                float[] g = network.backward(pass, dz, dx != null);
                if (dx != null) for (int i = 0; i < dx.length; i++) dx[i] += g[i];
            }
            return value;
        }
    }

    int batchOf(double[] x0) {
        if (x0.length == 0 || x0.length % d != 0) throw Check.bad("x0.length", x0.length, "a positive multiple of d = " + d);
        return x0.length / d;
    }

    /** x_t ~ q(x_t | x_0) for every row, row-major [rows, d]. */
    abstract float[] drawXt(double[] x0, Rows rows, RandomGenerator rng);

    /** Sum over rows of weight * KL (nats); writes weight * dKL/dz into dz when it is not null. */
    abstract double lossAndGradient(double[] x0, Rows rows, float[] xt, float[] z, float[] dz);

    /** Mean over the minibatch of H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T), nats per example. */
    abstract double ceilingNats(double[] x0);
}
