package org.dpm4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.dpm4j.train.History;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.Trainer;

/**
 * Time to a target K with the library's own trainer: the run goes in chunks of evalEvery steps, each a
 * {@link Trainer} call resumed from the previous chunk's checkpoint (resuming continues the same run to the same
 * result as an uninterrupted one), and between chunks K is evaluated on held-out examples. The trainer's history
 * clocks the training alone (wall and process CPU, checkpoint writes included); evaluation is clocked separately, so
 * times are reported both without and with it.
 */
public final class TimeToTarget {
    private TimeToTarget() {}

    /** One evaluation: step, training wall and CPU seconds so far (evaluation excluded), evaluation time so far, K. */
    public record Point(int step, double seconds, double cpuSeconds, double evalSeconds, double evalCpuSeconds, double kBits) {}

    /** The run: every evaluation, whether and where the target was reached, and the best K seen (bits per example). */
    public record Result(String workload, long seed, double targetBits, int evalEvery, List<Point> points, Point reached, double bestKBits) {
        public String json() {
            Point last = points.isEmpty() ? new Point(0, 0, 0, 0, 0, Double.NaN) : points.get(points.size() - 1);
            StringBuilder trace = new StringBuilder();
            for (Point p : points) {
                trace.append(trace.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %.2f, %.4f]", p.step(), p.cpuSeconds(), p.kBits()));
            }
            Point r = reached;
            return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"target\", \"workload\": \"%s\", \"seed\": %d, \"target_bits\": %s, "
                            + "\"eval_every\": %d, \"steps\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"eval_seconds\": %.3f, "
                            + "\"eval_cpu_seconds\": %.3f, \"k_eval_bits\": %s, \"best_k_bits\": %s, \"reached\": %s, \"steps_to_target\": %s, "
                            + "\"seconds_to_target\": %s, \"cpu_seconds_to_target\": %s, \"seconds_to_target_with_eval\": %s, "
                            + "\"cpu_seconds_to_target_with_eval\": %s, \"trace_step_cpu_k\": [%s]}",
                    workload, seed, Benchmark.json(targetBits), evalEvery, last.step(), last.seconds(), last.cpuSeconds(), last.evalSeconds(),
                    last.evalCpuSeconds(), Benchmark.json(last.kBits()), Benchmark.json(bestKBits), r != null,
                    r == null ? "null" : Integer.toString(r.step()), r == null ? "null" : Benchmark.json(r.seconds()),
                    r == null ? "null" : Benchmark.json(r.cpuSeconds()), r == null ? "null" : Benchmark.json(r.seconds() + r.evalSeconds()),
                    r == null ? "null" : Benchmark.json(r.cpuSeconds() + r.evalCpuSeconds()), trace);
        }
    }

    /**
     * Trains until the evaluated K reaches targetBits, maxSteps are done, or training plus evaluation has taken
     * budgetSeconds of wall time.
     *
     * @param seed     the run's seed (recorded in the result; config and train already use it)
     * @param config   the trainer's settings for a run that ends at the given step (checkpointing is added here)
     * @param train    one trainer call (Trainer.train on the workload's kernel and training data)
     * @param evaluate K in bits per example on the held-out evaluation set
     */
    public static Result run(String workload, long seed, double targetBits, int evalEvery, int maxSteps, double budgetSeconds,
                             IntFunction<TrainConfig> config, Function<TrainConfig, History> train, DoubleSupplier evaluate) {
        Path dir = null, checkpoint;
        try {
            dir = Files.createTempDirectory("dpm4j-bench");
            checkpoint = dir.resolve("run.ckpt");
            List<Point> points = new ArrayList<>();
            Point reached = null;
            double evalWall = 0, evalCpu = 0, best = Double.NEGATIVE_INFINITY;
            for (int end = evalEvery; ; end = Math.min(maxSteps, end + evalEvery)) {
                History h = train.apply(config.apply(end).withCheckpoint(checkpoint, evalEvery).withMaxSeconds(Double.POSITIVE_INFINITY));
                long w0 = System.nanoTime(), c0 = Trainer.processCpuNanos();
                double k = evaluate.getAsDouble();
                evalWall += (System.nanoTime() - w0) / 1e9;
                evalCpu += (Trainer.processCpuNanos() - c0) / 1e9;
                Point p = new Point(end, h.lastSeconds(), h.lastCpuSeconds(), evalWall, evalCpu, k);
                points.add(p);
                System.err.printf(Locale.ROOT, "%s step %d: K %.4f bits, train %.1f s (%.1f CPU s), eval %.1f s%n", workload, end, k, p.seconds(), p.cpuSeconds(), evalWall);
                if (k > best) best = k;
                if (k >= targetBits) {
                    reached = p;
                    break;
                }
                if (end >= maxSteps || p.seconds() + evalWall > budgetSeconds) break;
            }
            return new Result(workload, seed, targetBits, evalEvery, points, reached, best);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temporary file does not change the measurement
                }
            }
        }
    }
}
