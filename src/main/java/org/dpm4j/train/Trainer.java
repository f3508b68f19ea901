package org.dpm4j.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Matrices;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one training loop: minibatch descent on any {@link Objective}'s loss (for diffusion models, ascent on K of
 * Eq. 14). One call trains a model in place and returns it with its history:
 * {@code Trainer.train(kernel, data, TrainConfig.of(seed, steps))}, or for any objective (the image network's, a VAE's)
 * {@code Trainer.train(objective, data, heldOut, config)}. With {@link TrainConfig#withLearnedSchedule} a
 * {@link ScheduleLearningObjective}'s beta_2..beta_T are learned too (Sec. 2.4.1); the result then carries the learned
 * schedule and a kernel that uses it (the network is the same object, trained in place).
 * <p>
 * The rules every run follows, whatever it trains:
 * <ul>
 *   <li>Randomness: step s draws its minibatch, time steps and noise from a generator seeded by (seed, s) alone
 *       ({@link #stepRandom}), so a run resumed from a checkpoint draws exactly what the uninterrupted run would;</li>
 *   <li>Evaluation: K on the held-out set's first {@code evalExamples} rows (all of them when it has no more); without a
 *       held-out set, on {@code evalExamples} distinct training rows drawn with the seed; always with the same noise
 *       ({@link #evaluationSeed}), so successive values differ only by the parameters;</li>
 *   <li>A step whose loss or gradient is not finite is skipped and counted; {@code maxNonFinite} in a row stop the run
 *       naming the step ({@link NonFiniteGuard}), and checkpoints are written only after a finite step;</li>
 *   <li>Checkpoints hold the run's {@link RunFingerprint}; resuming with any difference is refused naming the field.</li>
 *   <li>With {@link TrainConfig#withParameterAverage} the loop keeps an exponential moving average of the parameters
 *       after every step ({@link ParameterAverage}), checkpointed with them; the model keeps the last parameters
 *       (evaluations and history are theirs) and the result carries the average.</li>
 * </ul>
 */
public final class Trainer {
    private static final double LN2 = Math.log(2);

    private Trainer() {}

    /** Trains a Gaussian network kernel on data x0 [n, d] (DOUBLE). K in bits per example (all d dimensions). */
    public static TrainResult<NetworkGaussianKernel> train(NetworkGaussianKernel kernel, INDArray data, TrainConfig config) {
        return train(kernel, data, null, config);
    }

    /**
     * As {@link #train(NetworkGaussianKernel, INDArray, TrainConfig)}, K evaluated on held-out examples: the first
     * {@code config.evalExamples()} rows of {@code heldOut} (all of them when it has no more; null: drawn from the
     * training data).
     */
    public static TrainResult<NetworkGaussianKernel> train(NetworkGaussianKernel kernel, INDArray data, INDArray heldOut, TrainConfig config) {
        int d = kernel.network().inputSize();
        return run(new GaussianObjective(kernel), flat("data", data, d), flat("heldOut", heldOut, d), config,
                o -> ((GaussianObjective) o).schedule() == kernel.schedule() ? kernel
                        : new NetworkGaussianKernel(kernel.network(), ((GaussianObjective) o).schedule(), kernel.parameterisation()));
    }

    /** Trains a full-covariance Gaussian network kernel on data x0 [n, d] (DOUBLE). K in bits per example. */
    public static TrainResult<NetworkFullGaussianKernel> train(NetworkFullGaussianKernel kernel, INDArray data, TrainConfig config) {
        return train(kernel, data, null, config);
    }

    /** As {@link #train(NetworkFullGaussianKernel, INDArray, TrainConfig)}, K evaluated on held-out examples (see above). */
    public static TrainResult<NetworkFullGaussianKernel> train(NetworkFullGaussianKernel kernel, INDArray data, INDArray heldOut, TrainConfig config) {
        if (config.learnSchedule() != null) throw Check.bad("learnSchedule", config.learnSchedule(), "null for a full-covariance kernel (schedule learning is for the diagonal objective)");
        int d = kernel.dimension();
        return run(new FullGaussianObjective(kernel), flat("data", data, d), flat("heldOut", heldOut, d), config, o -> kernel);
    }

    /** Trains a binomial network kernel on binary data x0 [n, d] (DOUBLE). K in bits per example (per sequence). */
    public static TrainResult<NetworkBinomialKernel> train(NetworkBinomialKernel kernel, INDArray data, TrainConfig config) {
        return train(kernel, data, null, config);
    }

    /** As {@link #train(NetworkBinomialKernel, INDArray, TrainConfig)}, K evaluated on held-out binary examples (see above). */
    public static TrainResult<NetworkBinomialKernel> train(NetworkBinomialKernel kernel, INDArray data, INDArray heldOut, TrainConfig config) {
        Matrices.binary("data", data);
        if (heldOut != null) Matrices.binary("heldOut", heldOut);
        if (config.learnSchedule() != null) throw Check.bad("learnSchedule", config.learnSchedule(), "null for binomial diffusion (its schedule 1/(T - t + 1) is fixed)");
        int d = kernel.network().inputSize();
        return run(new BinomialObjective(kernel), flat("data", data, d), flat("heldOut", heldOut, d), config, o -> kernel);
    }

    /**
     * Trains any objective in place on data [n, dimension] (held-out examples [m, dimension] for the evaluations, or
     * null to evaluate on training examples). K in bits per example; see {@link TrainResult#table} for other units.
     */
    public static TrainResult<Objective> train(Objective objective, INDArray data, INDArray heldOut, TrainConfig config) {
        if (objective == null) throw Check.bad("objective", null, "an Objective");
        int d = objective.dimension();
        return run(objective, flat("data", data, d), flat("heldOut", heldOut, d), config, o -> o);
    }

    /**
     * K on the given examples in bits per example, with every term t = 2..T and one draw of x_t per example and step
     * (the estimate BoundK makes), forward passes only.
     */
    public static double evaluateBits(Objective objective, double[] x0, long seed) {
        return objective.evaluateNats(x0, seed) / LN2;
    }

    /** The seed of the evaluation noise of a run seeded {@code seed}. */
    public static long evaluationSeed(long seed) { return mix(seed + 17); }

    private static double[] flat(String name, INDArray data, int d) {
        if (data == null) {
            if (name.equals("heldOut")) return null;
            throw Check.bad(name, null, "an array [n, " + d + "]");
        }
        if (data.rank() != 2 || data.size(0) < 1) {
            throw Check.bad(name + ".shape", java.util.Arrays.toString(data.shape()), "[n, " + d + "] with n >= 1 (DOUBLE or FLOAT)");
        }
        if (data.columns() != d) throw Check.bad(name + ".columns", data.columns(), d + " (the model's dimension)");
        double[] v = data.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) throw Check.bad(name + "[" + i / d + ", " + i % d + "]", v[i], "a finite number (no NaN or infinity in " + name + ")");
        }
        return v;
    }

    /** A generator for one step: a function of (seed, step) only, so a resumed run draws what the original would. */
    static RandomGenerator stepRandom(long seed, long step) {
        return new SplittableRandom(mix(seed ^ mix(step + 0x632be59bd9b4e019L)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** CPU time of this process (all threads), the clock that stays honest on a shared machine. */
    public static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : System.nanoTime();
    }

    static double[] sample(double[] data, int d, int batch, RandomGenerator rng) {
        int n = data.length / d;
        double[] x = new double[batch * d];
        for (int b = 0; b < batch; b++) System.arraycopy(data, rng.nextInt(n) * d, x, b * d, d);
        return x;
    }

    /** The evaluation set: heldOut's first m rows (all when it has no more), or m distinct rows of data drawn with the seed. */
    static double[] evaluationSet(double[] data, double[] heldOut, int d, int m, long seed) {
        if (heldOut != null) return heldOut.length / d <= m ? heldOut : Arrays.copyOf(heldOut, m * d);
        int n = data.length / d;
        if (n <= m) return data;
        SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x5eed5eedL));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] out = new double[m * d];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i), o = order[j];
            order[j] = order[i];
            order[i] = o;
            System.arraycopy(data, o * d, out, i * d, d);
        }
        return out;
    }

    /** @param result the trained model as the caller wants it, from the final objective (its schedule may be learned) */
    private static <K> TrainResult<K> run(Objective objective, double[] data, double[] heldOut, TrainConfig cfg,
                                          Function<Objective, K> result) {
        if (cfg == null) throw Check.bad("config", null, "a TrainConfig");
        int d = objective.dimension();
        ScheduleLearningObjective learner = objective instanceof ScheduleLearningObjective s ? s : null;
        BetaSchedule schedule = objective.schedule();
        if (cfg.learnSchedule() != null && learner == null) {
            throw Check.bad("learnSchedule", cfg.learnSchedule(), "null for " + objective.describe() + " (only Gaussian-diffusion objectives learn their schedule)");
        }
        RunFingerprint fingerprint = RunFingerprint.of(objective, schedule, data, cfg);
        ScheduleAscent ascent = cfg.learnSchedule() == null ? null : new ScheduleAscent(schedule, cfg.learnSchedule(), cfg.optimizer());
        float[] values = objective.parameterValues();
        ParameterAverage averaging = cfg.average();
        double[] averageSum = averaging == null ? null : new double[values.length];
        Optimizer optimizer = new Optimizer(cfg.optimizer(), cfg.learningRate(), values.length);
        double[] evalSet = cfg.evalEvery() > 0 ? evaluationSet(data, heldOut, d, cfg.evalExamples(), cfg.seed()) : null;
        long evalSeed = evaluationSeed(cfg.seed());

        int step = 0, skipped = 0;
        double priorSeconds = 0, priorCpu = 0, evalWall = 0, evalCpu = 0;
        History history = new History();
        var saved = Checkpoint.read(cfg.checkpoint());
        if (saved.isPresent()) {
            Checkpoint c = saved.get();
            c.requireRun(fingerprint, cfg.checkpoint());
            if (learner != null) schedule = ScheduleAscent.resume(ascent, c, schedule);
            System.arraycopy(c.params(), 0, values, 0, values.length);
            objective.parametersChanged();
            optimizer.restore(c.optimizerState());
            if (averaging != null) {
                if (c.averageSum().length != values.length) {
                    throw Check.bad("checkpoint parameter average", c.averageSum().length + " values in " + cfg.checkpoint(), values.length + " (one per parameter)");
                }
                System.arraycopy(c.averageSum(), 0, averageSum, 0, values.length);
            }
            step = c.step();
            skipped = c.skipped();
            history = c.history();
            priorSeconds = history.lastSeconds();
            priorCpu = history.lastCpuSeconds();
            evalWall = history.lastEvalSeconds();
            evalCpu = history.lastEvalCpuSeconds();
        }
        if (ascent != null) {
            schedule = ascent.schedule();
            objective = learner = learner.withSchedule(schedule);
        }

        int perUnit = objective.valuesPerUnit();
        ProgressBar bar = cfg.progress() ? new ProgressBar(System.out, cfg.steps(), objective.unit()) : null;
        NonFiniteGuard guard = new NonFiniteGuard(cfg.maxNonFinite(), skipped);
        long start = System.nanoTime(), startCpu = processCpuNanos();
        double evalK = history.lastEvalKBits();
        boolean reached = !Double.isNaN(cfg.targetBits()) && evalK >= cfg.targetBits();
        int startStep = step;
        while (step < cfg.steps() && !reached && step < cfg.pauseAt()) {
            if (priorSeconds + (System.nanoTime() - start) / 1e9 > cfg.maxSeconds()) break;
            RandomGenerator rng = stepRandom(cfg.seed(), step);
            double[] x0 = sample(data, d, cfg.batch(), rng);
            objective.zeroGradients();
            double[] dKdBeta = ascent != null && ascent.due(step) ? new double[schedule.T()] : null;
            Objective.Value v = dKdBeta == null ? objective.evaluate(x0, cfg.estimator(), rng, true)
                    : learner.evaluateWithScheduleGradient(x0, cfg.estimator(), rng, dKdBeta);
            boolean finite = Double.isFinite(v.lossNats()) && Optimizer.allFinite(objective.parameterGradients())
                    && (dKdBeta == null || allFinite(dKdBeta));
            if (finite) {
                optimizer.step(values, objective.parameterGradients(), step);
                objective.parametersChanged();
                if (dKdBeta != null) {
                    ascent.ascend(dKdBeta, step);
                    schedule = ascent.schedule();
                    objective = learner = learner.withSchedule(schedule);
                }
            }
            guard.record(finite, step, bar);
            if (averaging != null) averaging.accumulate(averageSum, values);
            step++;
            double kBits = finite ? v.kBits() : Double.NaN;
            double stepEval = Double.NaN;
            if (evalSet != null && (step % cfg.evalEvery() == 0 || step == cfg.steps())) {
                long w0 = System.nanoTime(), c0 = processCpuNanos();
                stepEval = evalK = evaluateBits(objective, evalSet, evalSeed);
                evalWall += (System.nanoTime() - w0) / 1e9;
                evalCpu += (processCpuNanos() - c0) / 1e9;
                reached = !Double.isNaN(cfg.targetBits()) && evalK >= cfg.targetBits();
            }
            double seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
            history.add(step, seconds, priorCpu + (processCpuNanos() - startCpu) / 1e9, evalWall, evalCpu, kBits, stepEval, cfg.learningRate().at(step - 1), guard.skipped());
            if (cfg.checkpoint() != null && guard.clean() && (step % cfg.checkpointEvery() == 0 || step == cfg.steps() || step == cfg.pauseAt() || reached)) {
                new Checkpoint(fingerprint, cfg.seed(), step, guard.skipped(), schedule == null ? new double[0] : schedule.betas(), values.clone(),
                        optimizer.state(), ascent == null ? new float[0] : ascent.parameters().clone(),
                        ascent == null ? new float[0] : ascent.state().clone(), history,
                        averageSum == null ? new double[0] : averageSum.clone()).write(cfg.checkpoint());
            }
            if (bar != null) {
                bar.update(step, kBits / perUnit, (step - startStep) / Math.max(1e-9, (System.nanoTime() - start) / 1e9),
                        step == cfg.steps() || step == cfg.pauseAt() || reached);
            }
        }
        if (bar != null) bar.finish();
        if (evalSet != null && Double.isNaN(evalK)) evalK = evaluateBits(objective, evalSet, evalSeed);
        return new TrainResult<>(result.apply(objective), history, cfg, step, guard.skipped(), priorSeconds + (System.nanoTime() - start) / 1e9,
                priorCpu + (processCpuNanos() - startCpu) / 1e9, evalK, reached, schedule, objective.unit(), perUnit,
                averaging == null ? null : averaging.average(averageSum, step, values));
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }
}
