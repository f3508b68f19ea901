package org.dpm4j.experiments;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.dpm4j.nn.Params;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.Objective;
import org.dpm4j.train.Optimizer;
import org.dpm4j.train.OptimizerKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The minibatch ascent on K that both experiments share, with a one-line progress report. */
final class Fitting {
    static final int MAX_SKIPPED_IN_A_ROW = 20;

    private Fitting() {}

    /**
     * steps minibatches drawn by batches from rng, the given estimator of K's gradient and optimiser; returns K in
     * bits per example on each minibatch. A minibatch whose K or gradient is not finite is skipped (as the reference
     * code does; its K is recorded as NaN); MAX_SKIPPED_IN_A_ROW of them in a row stop training with the step named.
     */
    static double[] fit(Objective objective, OptimizerKind kind, LearningRate lr, int steps, Estimator estimator,
                        Function<RandomGenerator, INDArray> batches, RandomGenerator rng, String label) {
        Params params = objective.network().params();
        Optimizer optimizer = new Optimizer(kind, lr, params.size());
        double[] k = new double[steps];
        long start = System.nanoTime(), lastReport = start;
        int skipped = 0, inARow = 0;
        for (int step = 0; step < steps; step++) {
            double[] x0 = batches.apply(rng).dup('c').data().asDouble();
            params.zeroGrad();
            Objective.Value v = objective.evaluate(x0, estimator, rng, true);
            k[step] = v.kBits();
            if (!Double.isFinite(k[step]) || !Double.isFinite(params.grads().sumNumber().doubleValue())) {
                skipped++;
                if (++inARow >= MAX_SKIPPED_IN_A_ROW) {
                    throw new IllegalStateException(label + ": K or its gradient is not finite (K = " + k[step]
                            + ") at training step " + step + ", " + inARow + " minibatches in a row");
                }
                k[step] = Double.NaN;
                continue;
            }
            inARow = 0;
            optimizer.step(params.values(), params.grads(), step);
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L || step == steps - 1) {
                double seconds = (now - start) / 1e9;
                System.out.printf("%s: step %d/%d  K = %.3f bits (mean of last 100: %.3f)  %.1f steps/s  skipped %d%n",
                        label, step + 1, steps, k[step], tailMean(k, step + 1, 100), (step + 1) / seconds, skipped);
                lastReport = now;
            }
        }
        return k;
    }

    /** Mean of the finite values among the last window entries before end. */
    static double tailMean(double[] v, int end, int window) {
        double s = 0;
        int n = 0;
        for (int i = Math.max(0, end - window); i < end; i++) {
            if (Double.isFinite(v[i])) {
                s += v[i];
                n++;
            }
        }
        return n > 0 ? s / n : Double.NaN;
    }

    /** Throws IllegalStateException naming what is not finite. */
    static INDArray requireFinite(String what, INDArray x) {
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) throw new IllegalStateException(what + ": entry " + i + " is " + v[i]);
        }
        return x;
    }
}
