package org.dpm4j.train;

import org.dpm4j.schedule.BetaSchedule;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * A finished (or stopped) training run with the configuration that produced it.
 *
 * @param kernel        the trained model (a reverse kernel whose network holds the final parameters, or the objective
 *                      itself for {@link Trainer#train(Objective, org.nd4j.linalg.api.ndarray.INDArray,
 *                      org.nd4j.linalg.api.ndarray.INDArray, TrainConfig)})
 * @param history       one row per step; see {@link History#table}
 * @param config        the run's configuration
 * @param steps         updates attempted (including skipped ones), all sessions of a resumed run
 * @param skipped       non-finite updates skipped
 * @param seconds       wall seconds of training (all sessions of a resumed run)
 * @param cpuSeconds    process-CPU seconds, likewise
 * @param evalKBits     K on the evaluation set at the end, bits per example (NaN without evaluation)
 * @param reachedTarget whether the evaluated K reached {@link TrainConfig#targetBits}
 * @param schedule      the final schedule (the model's own, or the learned one); null for models without one
 * @param unit          the model's reporting unit, e.g. "bits/pixel"
 * @param valuesPerUnit data values per reporting unit (pixels for images: K per unit = K per example / this)
 * @param averagedParameters the run's parameter average ({@link TrainConfig#withParameterAverage}) after its last step,
 *                      in the layout of {@link Objective#parameterValues}; null when the run kept none. The model holds
 *                      the last parameters, and {@link #evalKBits} and the history are theirs; install the average with
 *                      {@link Objective#setParameters} (or {@code ImageNetwork.setParameterValues}) to evaluate or
 *                      sample with it
 */
public record TrainResult<K>(K kernel, History history, TrainConfig config, int steps, int skipped, double seconds,
                             double cpuSeconds, double evalKBits, boolean reachedTarget, BetaSchedule schedule,
                             String unit, int valuesPerUnit, float[] averagedParameters) {
    /** The same result with the trained model seen as {@code model} (the same parameters, e.g. the network an objective wraps). */
    public <M> TrainResult<M> withModel(M model) {
        return new TrainResult<>(model, history, config, steps, skipped, seconds, cpuSeconds, evalKBits, reachedTarget, schedule, unit,
                valuesPerUnit, averagedParameters);
    }

    /** Whether the run kept a parameter average. */
    public boolean hasAverage() { return averagedParameters != null; }

    /** Rows over which {@link #table}'s steps_per_s is averaged. */
    private static final int RATE_WINDOW = 100;

    /** The trained model (the same object as {@link #kernel}). */
    public K model() { return kernel; }

    /**
     * The history as a Tablesaw table, ready for plotting: step, seconds, cpu_seconds, eval_seconds, eval_cpu_seconds,
     * K_bits and K_eval_bits (per example), learning_rate, skipped; for a model whose unit is not the example (images)
     * also steps_per_s (wall, over the last 100 steps) and K in that unit (e.g. K_bits_per_pixel, K_eval_bits_per_pixel).
     */
    public Table table() {
        Table h = history.table("training history (K in bits per example)");
        if (valuesPerUnit == 1) return h;
        String suffix = "_per_" + unit.substring(unit.indexOf('/') + 1);
        int[] step = h.intColumn("step").asIntArray();
        double[] seconds = h.doubleColumn("seconds").asDoubleArray(), rate = new double[step.length];
        for (int i = 0; i < step.length; i++) {
            int j = Math.max(0, i - RATE_WINDOW);
            rate[i] = j == i ? step[i] / seconds[i] : (step[i] - step[j]) / (seconds[i] - seconds[j]);
        }
        h.addColumns(DoubleColumn.create("steps_per_s", rate), perUnit(h, "K_bits", "K_bits" + suffix), perUnit(h, "K_eval_bits", "K_eval_bits" + suffix));
        h.setName("training history (K in bits per example and " + unit + ")");
        return h;
    }

    /** K on the evaluation set at the end, in the model's unit (bits per pixel for images). */
    public double evalKBitsPerUnit() { return evalKBits / valuesPerUnit; }

    /** K of each step's minibatch in bits per example, NaN where the step was skipped. */
    public double[] minibatchKBits() { return history.table("history").doubleColumn("K_bits").asDoubleArray(); }

    private DoubleColumn perUnit(Table h, String column, String name) {
        double[] v = h.doubleColumn(column).asDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] /= valuesPerUnit;
        return DoubleColumn.create(name, v);
    }

    public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }

    public double stepsPerCpuSecond() { return steps / Math.max(cpuSeconds, 1e-9); }
}
