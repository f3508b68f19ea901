package org.dpm4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.dpm4j.train.History;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;

/**
 * Time to a target K with the library's own trainer: one {@link org.dpm4j.train.Trainer} call per leg of the run (the
 * workloads have one; legs are the same run paused at each leg's end and resumed from its checkpoint), evaluating K on held-out
 * examples every evalEvery steps inside the trainer and stopping at the first evaluation at or above the target. The
 * trainer's history clocks evaluation apart from training (wall and process CPU), so times are reported both without
 * and with it.
 */
public final class TimeToTarget {
    private TimeToTarget() {}

    /** The run: every evaluation, whether and where the target was reached, and the best K seen (bits per example). */
    public record Result(String workload, long seed, double targetBits, int evalEvery, List<History.Evaluation> points,
                         History.Evaluation reached, double bestKBits) {
        public String json() {
            History.Evaluation last = points.isEmpty() ? new History.Evaluation(0, 0, 0, 0, 0, Double.NaN) : points.get(points.size() - 1);
            StringBuilder trace = new StringBuilder();
            for (History.Evaluation p : points) {
                trace.append(trace.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %.2f, %.4f]", p.step(), p.trainCpuSeconds(), p.kBits()));
            }
            History.Evaluation r = reached;
            return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"target\", \"workload\": \"%s\", \"seed\": %d, \"target_bits\": %s, "
                            + "\"eval_every\": %d, \"steps\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"eval_seconds\": %.3f, "
                            + "\"eval_cpu_seconds\": %.3f, \"k_eval_bits\": %s, \"best_k_bits\": %s, \"reached\": %s, \"steps_to_target\": %s, "
                            + "\"seconds_to_target\": %s, \"cpu_seconds_to_target\": %s, \"seconds_to_target_with_eval\": %s, "
                            + "\"cpu_seconds_to_target_with_eval\": %s, \"trace_step_cpu_k\": [%s]}",
                    workload, seed, Benchmark.json(targetBits), evalEvery, last.step(), last.trainSeconds(), last.trainCpuSeconds(), last.evalSeconds(),
                    last.evalCpuSeconds(), Benchmark.json(last.kBits()), Benchmark.json(bestKBits), r != null,
                    r == null ? "null" : Integer.toString(r.step()), r == null ? "null" : Benchmark.json(r.trainSeconds()),
                    r == null ? "null" : Benchmark.json(r.trainCpuSeconds()), r == null ? "null" : Benchmark.json(r.trainSeconds() + r.evalSeconds()),
                    r == null ? "null" : Benchmark.json(r.trainCpuSeconds() + r.evalCpuSeconds()), trace);
        }
    }

    /**
     * Trains leg by leg until the evaluated K reaches targetBits, the last leg ends, or training plus evaluation has
     * taken budgetSeconds of wall time.
     *
     * @param seed     the run's seed (recorded in the result; the legs and train already use it)
     * @param legs     the trainer's settings of each leg, each ending at its own step; the evaluation (every evalEvery
     *                 steps) and the target are set here, and a checkpoint joins the legs
     * @param train    one trainer call on the workload's kernel, training data and held-out evaluation set
     */
    public static Result run(String workload, long seed, double targetBits, int evalEvery, int evalExamples, double budgetSeconds,
                             List<TrainConfig> legs, Function<TrainConfig, TrainResult<?>> train) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dpm4j-bench");
            Path checkpoint = dir.resolve("run.ckpt");
            History history = new History();
            TrainConfig last = legs.get(legs.size() - 1);
            for (TrainConfig leg : legs) {
                // every leg is the last leg's run paused at this leg's end: one run, so one fingerprint for its checkpoint
                TrainConfig cfg = last.withEvaluation(evalEvery, evalExamples).withTarget(targetBits).withMaxSeconds(budgetSeconds);
                TrainResult<?> r = train.apply(legs.size() > 1 ? cfg.withPauseAt(leg.steps()).withCheckpoint(checkpoint, leg.steps()) : cfg);
                history = r.history();
                if (r.reachedTarget() || r.steps() < leg.steps()) break;
            }
            List<History.Evaluation> points = history.evaluations();
            History.Evaluation reached = null;
            double best = Double.NEGATIVE_INFINITY;
            for (History.Evaluation p : points) {
                System.err.printf(Locale.ROOT, "%s step %d: K %.4f bits, train %.1f s (%.1f CPU s), eval %.1f s%n", workload, p.step(), p.kBits(),
                        p.trainSeconds(), p.trainCpuSeconds(), p.evalSeconds());
                best = Math.max(best, p.kBits());
                if (reached == null && p.kBits() >= targetBits) reached = p;
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
