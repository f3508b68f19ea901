package org.dpm4j.nn.conv;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.train.Checkpoint;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.History;
import org.dpm4j.train.NonFiniteGuard;
import org.dpm4j.train.ProgressBar;
import org.dpm4j.train.ScheduleAscent;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Minibatch ascent on K (Eq. 14) for an {@link ImageNetwork}, with the reference code's estimator: one t per image,
 * uniform on 2..T (or stratified), its KL weighted by T - 1. Gradients come from {@link ImageObjective} (the float[]
 * path for FLOAT networks, the SameDiff graph for DOUBLE ones); the update is Adam or RMSprop ({@link ImageOptimizer}:
 * the library's Java-loop optimiser for FLOAT networks, ND4J's fused updaters for DOUBLE ones). The run shares the small networks' machinery: the non-finite guard
 * ({@link NonFiniteGuard}: a step whose loss or gradient is not finite is skipped and counted, {@code maxNonFinite} in a
 * row stop training naming the step), atomic {@link Checkpoint}s, the {@link History} and the {@link ProgressBar}.
 * <p>
 * Randomness: one root generator seeded by the configuration; it first splits off the evaluation's generator, then one
 * generator per step (minibatch, t and noise). A step's draws are therefore a function of (seed, step) alone, so a run
 * resumed from a checkpoint draws exactly what the uninterrupted run would, and the same seed gives bit-identical
 * training. Uses of the configuration: everything but ALL_T.
 * <p>
 * With {@link TrainConfig#withLearnedSchedule} beta_2..beta_T are learned jointly with the network (Sec. 2.4.1): on
 * the steps the configuration says, the step's minibatch also gives dK/dbeta under its own frozen noise
 * ({@link ImageObjective#evaluateWithScheduleGradient}) and the schedule's parameters take one step of their optimiser
 * ({@link ScheduleAscent}); the network then uses the new schedule ({@link ImageNetwork#setSchedule}, T fixed), so the
 * next step, the evaluations and the trained network's kernel all follow it. Checkpoints hold the learned schedule's
 * parameters and optimiser state. FLOAT networks only (the gradient comes from the float[] path).
 */
public final class ImageTrainer {
    private static final double LN2 = Math.log(2);
    /** Rows over which the history's steps/s is averaged. */
    private static final int RATE_WINDOW = 100;

    private ImageTrainer() {}

    /**
     * The outcome.
     *
     * @param network       the trained network (trained in place)
     * @param history       one row per step, K in bits per image (see {@link #table()} for bits per pixel)
     * @param config        the run's configuration
     * @param steps         steps taken in all sessions of the run, skipped ones included
     * @param skipped       non-finite steps skipped
     * @param seconds       wall seconds of training, all sessions of a resumed run
     * @param cpuSeconds    process-CPU seconds, likewise
     * @param evalKBits     K on the evaluation set at the end, bits per image (NaN without evaluation)
     * @param reachedTarget whether the evaluated K reached {@link TrainConfig#targetBits} (bits per image)
     * @param schedule      the final schedule, the network's: the one it came with, or the learned one
     */
    public record Result(ImageNetwork network, History history, TrainConfig config, int steps, int skipped, double seconds,
                         double cpuSeconds, double evalKBits, boolean reachedTarget, BetaSchedule schedule) {
        public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }

        public double stepsPerCpuSecond() { return steps / Math.max(cpuSeconds, 1e-9); }

        /** K on the evaluation set at the end in bits per pixel (a pixel's channels together, as the paper's tables). */
        public double evalKBitsPerPixel() { return evalKBits / network.config().shape().pixels(); }

        /** K of each step's minibatch in bits per image, NaN where the step was skipped. */
        public double[] minibatchKBits() { return history.table("history").doubleColumn("K_bits").asDoubleArray(); }

        /** The history for plotting, K in bits per pixel; see {@link ImageTrainer#table}. */
        public Table table() { return ImageTrainer.table(history, network.config().shape().pixels()); }
    }

    /**
     * Trains the network in place on images data [n, d] (flattened channel-major, z-scored), evaluating K (when the
     * configuration asks for it) on a fixed, seeded sample of the training images.
     */
    public static Result train(ImageNetwork network, INDArray data, TrainConfig cfg) {
        return train(network, data, data, cfg);
    }

    /**
     * The same with K evaluated on held-out images [m, d]: all of them when m <= evalExamples, else evalExamples of
     * them drawn once with the run's seed. Every evaluation uses the same noise ({@link #evaluationSeed}), so
     * successive values differ only by the parameters.
     */
    public static Result train(ImageNetwork network, INDArray data, INDArray evalData, TrainConfig cfg) {
        if (network == null) throw Check.bad("network", null, "an ImageNetwork");
        if (cfg == null) throw Check.bad("config", null, "a TrainConfig");
        int d = network.dimensions(), T = network.T(), pixels = network.config().shape().pixels();
        images("data", data, d);
        images("evalData", evalData, d);
        if (cfg.estimator() == Estimator.ALL_T) throw Check.bad("estimator", cfg.estimator(), "SAMPLED_T or STRATIFIED_T for images");
        if (cfg.learnSchedule() != null && network.dataType() != DataType.FLOAT) {
            throw Check.bad("learnSchedule", cfg.learnSchedule(), "null for a " + network.dataType() + " network (the schedule gradient needs a FLOAT network)");
        }
        if (cfg.checkpoint() != null && network.dataType() != DataType.FLOAT) {
            throw Check.bad("checkpoint", cfg.checkpoint(), "null for a " + network.dataType() + " network (checkpoints hold FLOAT parameters)");
        }
        ImageObjective objective = new ImageObjective(network);
        ImageOptimizer optimizer = new ImageOptimizer(network, cfg.optimizer(), cfg.learningRate());
        ScheduleAscent ascent = cfg.learnSchedule() == null ? null : new ScheduleAscent(network.schedule(), cfg.learnSchedule(), cfg.optimizer());
        float[] images = finite("data", data.castTo(DataType.FLOAT).dup('c').data().asFloat(), d);
        int n = (int) data.rows(), batch = cfg.batch();

        SplittableRandom root = new SplittableRandom(cfg.seed()), evalRandom = root.split();
        long evalSeed = evalRandom.nextLong();
        INDArray evalSet = cfg.evalEvery() > 0 ? pick(evalData, cfg.evalExamples(), evalRandom) : null;
        if (evalSet != null) finite("evalData", evalSet.castTo(DataType.FLOAT).dup('c').data().asFloat(), d);

        int step = 0, skipped = 0;
        double priorSeconds = 0, priorCpu = 0, evalWall = 0, evalCpu = 0;
        History history = new History();
        var saved = Checkpoint.read(cfg.checkpoint());
        if (saved.isPresent()) {
            Checkpoint c = saved.get();
            c.requireRun(cfg.seed(), network.parameterCount());
            ScheduleAscent.resume(ascent, c, network.schedule());
            network.setParameterValues(c.params());
            optimizer.restore(c.optimizerState());
            step = c.step();
            skipped = c.skipped();
            history = c.history();
            priorSeconds = history.lastSeconds();
            priorCpu = history.lastCpuSeconds();
            evalWall = history.lastEvalSeconds();
            evalCpu = history.lastEvalCpuSeconds();
            for (int s = 0; s < step; s++) root.split();   // the generator state after `step` steps
        }
        if (ascent != null) network.setSchedule(ascent.schedule());

        ProgressBar bar = cfg.progress() ? new ProgressBar(System.out, cfg.steps(), "bits/pixel") : null;
        NonFiniteGuard guard = new NonFiniteGuard(cfg.maxNonFinite(), skipped);
        long start = System.nanoTime(), startCpu = Trainer.processCpuNanos();
        double evalK = history.lastEvalKBits(), ema = Double.NaN;
        boolean reached = reached(evalK, cfg);
        int startStep = step;
        while (step < cfg.steps() && !reached) {
            if (priorSeconds + (System.nanoTime() - start) / 1e9 > cfg.maxSeconds()) break;
            SplittableRandom rng = root.split();
            float[] x = new float[batch * d];
            int[] t = new int[batch];
            int offset = rng.nextInt(T - 1);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(images, rng.nextInt(n) * d, x, b * d, d);
                t[b] = 2 + (cfg.estimator() == Estimator.STRATIFIED_T ? (offset + b) % (T - 1) : rng.nextInt(T - 1));
            }
            double kBits;
            boolean finite;
            try (var scope = FloatMatrices.stepScope()) {   // one reused block of memory for the whole step
                INDArray x0 = Nd4j.createFromArray(x).reshape(batch, d);
                INDArray eps = objective.noise(batch, rng);
                double weight = (T - 1) / (double) batch;
                double[] dKdBeta = ascent != null && ascent.due(step) ? new double[T] : null;
                ImageObjective.Value v = dKdBeta == null ? objective.evaluate(x0, t, objective.xt(x0, t, eps), weight, true)
                        : objective.evaluateWithScheduleGradient(x0, t, eps, weight, dKdBeta);
                finite = Double.isFinite(v.lossNats());
                for (INDArray g : v.gradients().values()) finite &= Double.isFinite(g.sumNumber().doubleValue());
                if (dKdBeta != null) for (double g : dKdBeta) finite &= Double.isFinite(g);
                if (finite) {
                    optimizer.step(v.gradients(), step);
                    if (dKdBeta != null) {
                        ascent.ascend(dKdBeta, step);
                        network.setSchedule(ascent.schedule());
                    }
                }
                kBits = finite ? v.kBits() : Double.NaN;
            }
            guard.record(finite, step, bar);
            step++;
            ema = Double.isNaN(ema) ? kBits : Double.isFinite(kBits) ? 0.95 * ema + 0.05 * kBits : ema;
            double stepEval = Double.NaN;
            if (evalSet != null && (step % cfg.evalEvery() == 0 || step == cfg.steps())) {
                long w0 = System.nanoTime(), c0 = Trainer.processCpuNanos();
                stepEval = evalK = objective.kNats(evalSet, evalSeed) / LN2;
                evalWall += (System.nanoTime() - w0) / 1e9;
                evalCpu += (Trainer.processCpuNanos() - c0) / 1e9;
                reached = reached(evalK, cfg);
            }
            double seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
            history.add(step, seconds, priorCpu + (Trainer.processCpuNanos() - startCpu) / 1e9, evalWall, evalCpu, kBits, stepEval,
                    cfg.learningRate().at(step - 1), guard.skipped());
            if (cfg.checkpoint() != null && guard.clean() && (step % cfg.checkpointEvery() == 0 || step == cfg.steps() || reached)) {
                new Checkpoint(cfg.seed(), step, guard.skipped(), network.schedule().betas(), network.parameterValues(),
                        optimizer.state(), ascent == null ? new float[0] : ascent.parameters().clone(),
                        ascent == null ? new float[0] : ascent.state().clone(), history).write(cfg.checkpoint());
            }
            if (bar != null) {
                bar.update(step, ema / pixels, (step - startStep) / Math.max(1e-9, (System.nanoTime() - start) / 1e9),
                        step == cfg.steps() || reached);
            }
        }
        if (bar != null) bar.finish();
        if (evalSet != null && Double.isNaN(evalK)) evalK = objective.kNats(evalSet, evalSeed) / LN2;
        return new Result(network, history, cfg, step, guard.skipped(), priorSeconds + (System.nanoTime() - start) / 1e9,
                priorCpu + (Trainer.processCpuNanos() - startCpu) / 1e9, evalK, reached, network.schedule());
    }

    /** The seed of the evaluation noise of a run seeded {@code seed} (ImageObjective.kNats(evalSet, evaluationSeed(seed))). */
    public static long evaluationSeed(long seed) {
        return new SplittableRandom(seed).split().nextLong();
    }

    /**
     * The history for plotting: step, seconds (wall), cpu_seconds, eval_seconds, eval_cpu_seconds, steps_per_s (wall, over the last 100 steps, any
     * evaluation time included), K_bits_per_pixel (the step's minibatch), K_eval_bits_per_pixel (NaN between
     * evaluations), learning_rate, skipped. Bits per pixel = bits per image / (height x width).
     */
    public static Table table(History history, int pixels) {
        Table h = history.table("history");
        int[] step = h.intColumn("step").asIntArray();
        double[] seconds = h.doubleColumn("seconds").asDoubleArray(), rate = new double[step.length];
        for (int i = 0; i < step.length; i++) {
            int j = Math.max(0, i - RATE_WINDOW);
            rate[i] = j == i ? step[i] / seconds[i] : (step[i] - step[j]) / (seconds[i] - seconds[j]);
        }
        return Table.create("image training history (K in bits per pixel)", h.intColumn("step"), h.doubleColumn("seconds"),
                h.doubleColumn("cpu_seconds"), h.doubleColumn("eval_seconds"), h.doubleColumn("eval_cpu_seconds"), DoubleColumn.create("steps_per_s", rate),
                perPixel(h, "K_bits", "K_bits_per_pixel", pixels), perPixel(h, "K_eval_bits", "K_eval_bits_per_pixel", pixels),
                h.doubleColumn("learning_rate"), h.intColumn("skipped"));
    }

    private static DoubleColumn perPixel(Table h, String column, String name, int pixels) {
        double[] v = h.doubleColumn(column).asDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] /= pixels;
        return DoubleColumn.create(name, v);
    }

    private static boolean reached(double evalK, TrainConfig cfg) {
        return !Double.isNaN(cfg.targetBits()) && evalK >= cfg.targetBits();
    }

    private static void images(String name, INDArray x, int d) {
        if (x == null || x.rank() != 2 || x.columns() != d || x.rows() == 0) {
            throw Check.bad(name + " shape", x == null ? null : Arrays.toString(x.shape()), "[n, " + d + "] with n >= 1 (flattened images)");
        }
    }

    /** Non-finite images fail early; a loss that becomes non-finite in training is the guard's business. */
    private static float[] finite(String name, float[] x, int d) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) throw Check.bad(name, x[i] + " at row " + i / d + ", column " + i % d, "finite values (in FLOAT)");
        }
        return x;
    }

    /** All rows of x when it has at most m, else m distinct rows drawn without replacement. */
    private static INDArray pick(INDArray x, int m, SplittableRandom rng) {
        int n = (int) x.rows();
        if (n <= m) return x.castTo(DataType.DOUBLE);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i), o = order[j];
            order[j] = order[i];
            order[i] = o;
            rows[i] = o;
        }
        return x.getRows(rows).castTo(DataType.DOUBLE);
    }
}
