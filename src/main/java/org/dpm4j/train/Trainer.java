package org.dpm4j.train;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.Matrices;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.nn.Params;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Minibatch ascent on K (Eq. 14). One call trains a kernel in place and returns it with its history:
 * {@code Trainer.train(kernel, data, TrainConfig.of(seed, steps))}. With {@link TrainConfig#withLearnedSchedule} the
 * Gaussian schedule's beta_2..beta_T are learned too (Sec. 2.4.1); the result then carries the learned schedule and a
 * kernel that uses it (the network is the same object, trained in place).
 */
public final class Trainer {
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
        return run(new GaussianObjective(kernel), kernel.schedule(), flat("data", data, d), heldOut(heldOut, d, config), config,
                s -> s == kernel.schedule() ? kernel : new NetworkGaussianKernel(kernel.network(), s, kernel.parameterisation()));
    }

    /** Trains a full-covariance Gaussian network kernel on data x0 [n, d] (DOUBLE). K in bits per example. */
    public static TrainResult<NetworkFullGaussianKernel> train(NetworkFullGaussianKernel kernel, INDArray data, TrainConfig config) {
        return train(kernel, data, null, config);
    }

    /** As {@link #train(NetworkFullGaussianKernel, INDArray, TrainConfig)}, K evaluated on held-out examples (see above). */
    public static TrainResult<NetworkFullGaussianKernel> train(NetworkFullGaussianKernel kernel, INDArray data, INDArray heldOut, TrainConfig config) {
        if (config.learnSchedule() != null) throw Check.bad("learnSchedule", config.learnSchedule(), "null for a full-covariance kernel (schedule learning is for the diagonal objective)");
        int d = kernel.dimension();
        return run(new FullGaussianObjective(kernel), kernel.schedule(), flat("data", data, d), heldOut(heldOut, d, config), config, s -> kernel);
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
        return run(new BinomialObjective(kernel), kernel.schedule(), flat("data", data, d), heldOut(heldOut, d, config), config, s -> kernel);
    }

    /** The first evalExamples rows of heldOut, flat; null for none. */
    private static double[] heldOut(INDArray heldOut, int d, TrainConfig config) {
        if (heldOut == null) return null;
        double[] all = flat("heldOut", heldOut, d);
        return all.length / d <= config.evalExamples() ? all : java.util.Arrays.copyOf(all, config.evalExamples() * d);
    }

    /**
     * K on the given examples in bits per example, with every term t = 2..T and one draw of x_t per example and step
     * (the estimate BoundK makes), forward passes only.
     */
    public static double evaluateBits(Objective objective, double[] x0, long seed) {
        int d = objective.dimension(), n = x0.length / d;
        int chunk = Math.max(1, 65536 / Math.max(1, objective.T() - 1));
        SplittableRandom rng = new SplittableRandom(seed);
        double k = 0;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            double[] part = java.util.Arrays.copyOfRange(x0, start * d, (start + m) * d);
            k += objective.evaluate(part, Estimator.ALL_T, rng, false).kBits() * m;
        }
        return k / n;
    }

    private static double[] flat(String name, INDArray data, int d) {
        Matrices.matrix(name, data);
        if (data.columns() != d) throw Check.bad(name + ".columns", data.columns(), d + " (the kernel's dimension)");
        return data.castTo(DataType.DOUBLE).dup('c').data().asDouble();
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

    /**
     * @param heldOut   the evaluation set, flat (null: evalExamples drawn from the training data with the seed)
     * @param kernelFor the trained kernel under the final schedule (the given kernel itself when it is unchanged)
     */
    private static <K> TrainResult<K> run(Objective objective, BetaSchedule schedule, double[] data, double[] heldOut, TrainConfig cfg,
                                          Function<BetaSchedule, K> kernelFor) {
        int d = objective.dimension();
        ScheduleAscent ascent = cfg.learnSchedule() == null ? null : new ScheduleAscent(schedule, cfg.learnSchedule(), cfg.optimizer());
        Params params = objective.network().params();
        Optimizer optimizer = new Optimizer(cfg.optimizer(), cfg.learningRate(), params.size());
        // the whole data set when it is no larger than asked for, so two runs (or two libraries) evaluate the same examples
        double[] evalSet = heldOut != null ? heldOut : cfg.evalExamples() >= data.length / d ? data
                : sample(data, d, cfg.evalExamples(), new SplittableRandom(mix(cfg.seed() ^ 0x5eed5eedL)));
        long evalSeed = mix(cfg.seed() + 17);

        int step = 0, skipped = 0;
        double priorSeconds = 0, priorCpu = 0, evalWall = 0, evalCpu = 0;
        History history = new History();
        var saved = Checkpoint.read(cfg.checkpoint());
        if (saved.isPresent()) {
            Checkpoint c = saved.get();
            c.requireRun(cfg.seed(), params.size());
            ScheduleAscent.resume(ascent, c, schedule);
            params.set(c.params());
            if (c.optimizerState().length != optimizer.state().length) throw Check.bad("checkpoint optimiser state", c.optimizerState().length, optimizer.state().length + " (" + cfg.optimizer() + ")");
            optimizer.restore(c.optimizerState());
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
            objective = ((GaussianObjective) objective).withSchedule(schedule);
        }

        ProgressBar bar = cfg.progress() ? new ProgressBar(System.out, cfg.steps(), "bits") : null;
        NonFiniteGuard guard = new NonFiniteGuard(cfg.maxNonFinite(), skipped);
        long start = System.nanoTime(), startCpu = processCpuNanos();
        double evalK = history.lastEvalKBits(), emaK = Double.NaN;
        boolean reached = !Double.isNaN(cfg.targetBits()) && evalK >= cfg.targetBits();
        int startStep = step;
        while (step < cfg.steps() && !reached) {
            double seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
            if (seconds > cfg.maxSeconds()) break;
            RandomGenerator rng = stepRandom(cfg.seed(), step);
            double[] x0 = sample(data, d, cfg.batch(), rng);
            params.zeroGrad();
            double[] dKdBeta = ascent != null && ascent.due(step) ? new double[objective.T()] : null;
            Objective.Value v = dKdBeta == null ? objective.evaluate(x0, cfg.estimator(), rng, true)
                    : ((GaussianObjective) objective).evaluateWithScheduleGradient(x0, cfg.estimator(), rng, dKdBeta);
            boolean finite = Double.isFinite(v.lossNats()) && Optimizer.allFinite(params.grads()) && (dKdBeta == null || allFinite(dKdBeta));
            if (finite) {
                optimizer.step(params.values(), params.grads(), step);
                if (dKdBeta != null) {
                    ascent.ascend(dKdBeta, step);
                    schedule = ascent.schedule();
                    objective = ((GaussianObjective) objective).withSchedule(schedule);
                }
            }
            guard.record(finite, step, bar);
            step++;
            double kBits = v.kBits();
            emaK = Double.isNaN(emaK) ? kBits : Double.isFinite(kBits) ? 0.98 * emaK + 0.02 * kBits : emaK;
            double stepEval = Double.NaN;
            if (cfg.evalEvery() > 0 && (step % cfg.evalEvery() == 0 || step == cfg.steps())) {
                long w0 = System.nanoTime(), c0 = processCpuNanos();
                stepEval = evalK = evaluateBits(objective, evalSet, evalSeed);
                evalWall += (System.nanoTime() - w0) / 1e9;
                evalCpu += (processCpuNanos() - c0) / 1e9;
                reached = !Double.isNaN(cfg.targetBits()) && evalK >= cfg.targetBits();
            }
            seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
            history.add(step, seconds, priorCpu + (processCpuNanos() - startCpu) / 1e9, evalWall, evalCpu, kBits, stepEval, cfg.learningRate().at(step - 1), guard.skipped());
            if (cfg.checkpoint() != null && guard.clean() && (step % cfg.checkpointEvery() == 0 || step == cfg.steps() || reached)) {
                new Checkpoint(cfg.seed(), step, guard.skipped(), schedule.betas(), params.values().clone(), optimizer.state(),
                        ascent == null ? new float[0] : ascent.parameters().clone(), ascent == null ? new float[0] : ascent.state().clone(),
                        history).write(cfg.checkpoint());
            }
            if (bar != null) bar.update(step, emaK, (step - startStep) / Math.max(1e-9, (System.nanoTime() - start) / 1e9), step == cfg.steps() || reached);
        }
        if (bar != null) bar.finish();
        if (cfg.evalEvery() > 0 && Double.isNaN(evalK)) evalK = evaluateBits(objective, evalSet, evalSeed);
        return new TrainResult<>(kernelFor.apply(schedule), history, cfg, step, guard.skipped(), priorSeconds + (System.nanoTime() - start) / 1e9,
                evalK, reached, schedule);
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }
}
