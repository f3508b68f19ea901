package org.dpm4j.nn.conv;

import java.nio.FloatBuffer;
import java.util.random.RandomGenerator;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.train.Objective;
import org.dpm4j.train.Rows;
import org.dpm4j.train.ScheduleLearningObjective;
import org.dpm4j.train.TimeSampler;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image network's bound K (Eq. 14, through {@link ImageObjective}) as an {@link Objective} of the one training
 * loop: {@code Trainer.train(new ImageNetworkObjective(network), images, heldOut, config)} trains the network in place.
 * The loop's optimiser steps a flat copy of the parameters (the arrays in declaration order, each row-major, as
 * {@link ImageNetwork#parameterValues}), which is written back into the network's arrays after every step; the
 * gradients of each step are gathered into the flat gradient the same way. K is reported in bits per pixel (a pixel's
 * channels together, as the paper's tables). FLOAT networks only: the DOUBLE network runs the SameDiff graph that the
 * tests hold the float path to, and is not trained.
 * <p>
 * With {@link org.dpm4j.train.TrainConfig#withLearnedSchedule} the schedule is learned jointly (Sec. 2.4.1): the
 * minibatch's frozen noise gives dK/dbeta ({@link ImageObjective#evaluateWithScheduleGradient}) and the network
 * switches to each new schedule ({@link ImageNetwork#setSchedule}), so the next step, the evaluations and the trained
 * network's kernel all follow it.
 */
public final class ImageNetworkObjective implements ScheduleLearningObjective {
    private final ImageNetwork network;
    private final ImageObjective objective;
    private final int d, pixels;
    private final float[] values, grads, scratch;

    public ImageNetworkObjective(ImageNetwork network) {
        if (network == null) throw Check.bad("network", null, "an ImageNetwork");
        if (network.dataType() != DataType.FLOAT) {
            throw Check.bad("network data type", network.dataType(), "FLOAT (DOUBLE networks are the tests' reference graph, not trained)");
        }
        this.network = network;
        this.objective = new ImageObjective(network);
        this.d = network.dimensions();
        this.pixels = network.config().shape().pixels();
        this.values = network.parameterValues();
        this.grads = new float[values.length];
        this.scratch = new float[values.length];
    }

    /**
     * Trains the network in place; K in bits per image in the history, bits per pixel in {@code table()}.
     *
     * @throws IllegalArgumentException for a learned schedule with noise-scaled input (its dK/dbeta is not implemented;
     *                                  a {@link Trainer#train} call of such an objective fails at its first step instead)
     */
    public static org.dpm4j.train.TrainResult<ImageNetwork> train(ImageNetwork network, INDArray images, INDArray heldOut,
                                                                  org.dpm4j.train.TrainConfig config) {
        if (network != null && config != null && config.learnSchedule() != null) ImageObjective.refuseNoiseScaledInput(network);
        var r = Trainer.train(new ImageNetworkObjective(network), images, heldOut, config);
        return r.withModel(network);
    }

    public ImageNetwork network() { return network; }

    @Override public int dimension() { return d; }

    @Override public float[] parameterValues() { return values; }

    @Override public float[] parameterGradients() { return grads; }

    @Override public void parametersChanged() {
        int offset = 0;
        for (INDArray a : network.parameters().values()) {
            copy(a, values, offset, false);
            offset += (int) a.length();
        }
    }

    @Override public Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient) {
        return step(x0, sampler, rng, gradient, null);
    }

    @Override public Value evaluateWithScheduleGradient(double[] x0, TimeSampler sampler, RandomGenerator rng, double[] dKdBeta) {
        if (dKdBeta == null) throw Check.bad("dKdBeta", null, "an array of length T = " + network.T());
        ImageObjective.refuseNoiseScaledInput(network);
        return step(x0, sampler, rng, true, dKdBeta);
    }

    /** Rows from the sampler, then the noise, from rng in that order (the loop's per-step generator). */
    private Value step(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient, double[] dKdBeta) {
        int batch = batchOf(x0);
        Rows rows = sampler.sample(batch, network.T(), rng);
        float[] x = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            int e = rows.example()[i];
            for (int c = 0; c < d; c++) x[i * d + c] = (float) x0[e * d + c];
        }
        try (var scope = FloatMatrices.stepScope()) {   // one reused block of memory for the whole step
            INDArray images = Nd4j.createFromArray(x).reshape(rows.size(), d);
            INDArray eps = objective.noise(rows.size(), rng);
            ImageObjective.Value v = dKdBeta != null ? objective.evaluateWithScheduleGradient(images, rows.t(), eps, rows.weight(), dKdBeta)
                    : objective.evaluate(images, rows.t(), objective.xt(images, rows.t(), eps), rows.weight(), gradient);
            if (gradient) {
                int offset = 0;
                for (var e : network.parameters().entrySet()) {
                    INDArray g = v.gradients().get(e.getKey());
                    int n = (int) e.getValue().length();
                    copy(g, scratch, offset, true);
                    for (int i = offset; i < offset + n; i++) grads[i] += scratch[i];
                    offset += n;
                }
            }
            return new Value(v.lossNats(), v.ceilingNats());
        }
    }

    /** K on images x0 in nats per image ({@link ImageObjective#kNats}: every t = 2..T, one draw each, as BoundK). */
    @Override public double evaluateNats(double[] x0, long seed) {
        int n = batchOf(x0);
        return objective.kNats(Nd4j.createFromArray(x0).reshape(n, d), seed);
    }

    @Override public BetaSchedule schedule() { return network.schedule(); }

    @Override public ImageNetworkObjective withSchedule(BetaSchedule s) {
        network.setSchedule(s);
        return this;
    }

    @Override public String describe() {
        return "ImageNetwork(" + network.config() + ", parameterisation=" + network.parameterisation() + ", T=" + network.T() + ")";
    }

    @Override public int valuesPerUnit() { return pixels; }

    @Override public String unit() { return "bits/pixel"; }

    private int batchOf(double[] x0) {
        if (x0 == null || x0.length == 0 || x0.length % d != 0) throw Check.bad("x0.length", x0 == null ? null : x0.length, "a positive multiple of d = " + d);
        return x0.length / d;
    }

    /** Bulk copy between a contiguous FLOAT array and v at offset, either way. */
    private static void copy(INDArray a, float[] v, int offset, boolean in) {
        int n = (int) a.length();
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            throw Check.bad("parameter array", a.dataType() + " " + a.ordering(), "a contiguous FLOAT array");
        }
        FloatBuffer b = a.data().asNioFloat();
        if (in) b.get((int) a.offset(), v, offset, n);
        else b.put((int) a.offset(), v, offset, n);
    }
}
