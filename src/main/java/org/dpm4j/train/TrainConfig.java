package org.dpm4j.train;

import java.nio.file.Path;
import org.dpm4j.util.Check;

/**
 * Everything that determines a training run; recorded with its result. The same configuration and seed give
 * bit-identical parameters on the same machine (every step draws from a generator seeded by (seed, step)).
 *
 * @param seed            seed of the run (minibatches, time steps, noise)
 * @param steps           number of parameter updates
 * @param batch           examples per minibatch
 * @param estimator       the time-step sampler: which terms of K each minibatch estimates (see {@link Estimator})
 * @param optimizer       Adam or RMSprop
 * @param learningRate    learning-rate schedule
 * @param evalEvery       evaluate K on the evaluation set every this many steps (0: never)
 * @param evalExamples    examples in the fixed evaluation set (drawn once from the data with the seed; the whole data
 *                        set when it has at most this many examples)
 * @param targetBits      stop once the evaluated K reaches this many bits per example (NaN: never)
 * @param maxSeconds      stop after this much wall time (infinity: never)
 * @param checkpoint      checkpoint file, resumed from when it exists (null: no checkpoints)
 * @param checkpointEvery write a checkpoint every this many steps
 * @param maxNonFinite    consecutive non-finite steps tolerated (each skipped) before training stops
 * @param progress        show a one-line progress bar on standard output
 * @param learnSchedule   learn beta_2..beta_T with the network (Sec. 2.4.1), or null to keep the kernel's schedule
 * @param pauseAt         return after this step (checkpointed there, when the run has a checkpoint file), to continue
 *                        the same run later: like maxSeconds, where a call stops is not part of the run's fingerprint
 * @param average         keep an exponential moving average of the parameters ({@link ParameterAverage}), returned as
 *                        {@link TrainResult#averagedParameters}; null (the default): none, and the run is as before
 */
public record TrainConfig(long seed, int steps, int batch, TimeSampler estimator, OptimizerKind optimizer,
                          LearningRate learningRate, int evalEvery, int evalExamples, double targetBits,
                          double maxSeconds, Path checkpoint, int checkpointEvery, int maxNonFinite, boolean progress,
                          ScheduleLearning learnSchedule, int pauseAt, ParameterAverage average) {
    public TrainConfig {
        Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
        Check.positive("batch", batch);
        if (estimator == null) throw Check.bad("estimator", null, "a TimeSampler such as Estimator.ALL_T or Estimator.SAMPLED_T");
        if (optimizer == null) throw Check.bad("optimizer", null, "ADAM or RMSPROP");
        if (learningRate == null) throw Check.bad("learningRate", null, "a LearningRate");
        Check.inRange("evalEvery", evalEvery, 0, Integer.MAX_VALUE);
        Check.positive("evalExamples", evalExamples);
        if (!(maxSeconds > 0)) throw Check.bad("maxSeconds", maxSeconds, "a positive number of seconds (or infinity)");
        Check.positive("checkpointEvery", checkpointEvery);
        Check.positive("maxNonFinite", maxNonFinite);
        Check.positive("pauseAt", pauseAt);
    }

    /** Adam at 1e-3, all T terms per example, batch 32, evaluation every 500 steps on 256 examples, progress bar on, fixed schedule. */
    public static TrainConfig of(long seed, int steps) {
        return new TrainConfig(seed, steps, 32, Estimator.ALL_T, OptimizerKind.ADAM, LearningRate.constant(1e-3),
                500, 256, Double.NaN, Double.POSITIVE_INFINITY, null, 1000, 100, true, null, Integer.MAX_VALUE, null);
    }

    public TrainConfig withSeed(long v) { return new TrainConfig(v, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withSteps(int v) { return new TrainConfig(seed, v, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withBatch(int v) { return new TrainConfig(seed, steps, v, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withEstimator(TimeSampler v) { return new TrainConfig(seed, steps, batch, v, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withOptimizer(OptimizerKind v, LearningRate lr) { return new TrainConfig(seed, steps, batch, estimator, v, lr, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withLearningRate(double v) { return withOptimizer(optimizer, LearningRate.constant(v)); }
    public TrainConfig withEvaluation(int every, int examples) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, every, examples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withTarget(double bits) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, bits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withMaxSeconds(double v) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, v, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withCheckpoint(Path file, int every) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, file, every, maxNonFinite, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withMaxNonFinite(int v) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, v, progress, learnSchedule, pauseAt, average); }
    public TrainConfig withProgress(boolean v) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, v, learnSchedule, pauseAt, average); }

    /** Learns beta_2..beta_T jointly with the network at this learning rate, updating them every step (Sec. 2.4.1). */
    public TrainConfig withLearnedSchedule(double learningRate) { return withLearnedSchedule(new ScheduleLearning(learningRate, 1)); }

    /** Learns the schedule as configured, or keeps the kernel's schedule when {@code v} is null. */
    public TrainConfig withLearnedSchedule(ScheduleLearning v) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, v, pauseAt, average); }

    /**
     * Returns after step {@code step} (writing a checkpoint there when the run has a checkpoint file), so a later call
     * with the same configuration continues the run: a run in pieces, as the `paper` profiles are.
     */
    public TrainConfig withPauseAt(int step) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, step, average); }

    /**
     * Keeps an exponential moving average of the parameters with this decay in [0, 1) ({@link ParameterAverage}: the
     * bias-corrected weighted mean of the iterates, weights (1 - d) d^(n-k)); the trained model keeps the last
     * parameters, and {@link TrainResult#averagedParameters} holds the average. Part of the run's fingerprint.
     */
    public TrainConfig withParameterAverage(double decay) { return withParameterAverage(new ParameterAverage(decay)); }

    /** Keeps this parameter average, or none when {@code v} is null. */
    public TrainConfig withParameterAverage(ParameterAverage v) { return new TrainConfig(seed, steps, batch, estimator, optimizer, learningRate, evalEvery, evalExamples, targetBits, maxSeconds, checkpoint, checkpointEvery, maxNonFinite, progress, learnSchedule, pauseAt, v); }
}
