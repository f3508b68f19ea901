package org.dpm4j.ablation;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dpm4j.experiments.Experiment;
import org.dpm4j.experiments.Experiments;
import org.dpm4j.experiments.LearnsSchedule;
import org.dpm4j.experiments.OracleK;
import org.dpm4j.experiments.Settings;
import org.dpm4j.results.Configuration;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.ResultRow;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;

/**
 * Runs an {@link Ablation}'s arms: those already in the run log are reused, the rest run on a fixed pool of threads
 * (at most the machine's cores), each arm on one thread from its own root seed, so its numbers do not depend on how
 * many run at once; each finished arm is appended to the log at once (the log takes concurrent appends).
 *
 * <p>An arm is identified by experiment, model (diffusion or oracle), the full configuration (the settings, plus the
 * schedule learning rate for a learned arm and the budget for a CPU-seconds one), seed and profile: a rerun of the
 * same ablation finds every finished arm by that identity and runs none of them again.
 */
final class AblationRunner {
    /** The configuration field a CPU-seconds budget adds to its arms' runs (their steps then come from a probe). */
    static final String BUDGET_FIELD = "ablationBudget";
    private static final String TRAINED_MODEL = "diffusion";

    private AblationRunner() {}

    static AblationResult run(Ablation a, RunLog log, PrintStream out) {
        return runTyped(Experiments.get(a.experiment()), a, log, out);
    }

    private static <C extends Record> AblationResult runTyped(Experiment<C> e, Ablation a, RunLog log, PrintStream out) {
        C base = e.settings(a.profile(), a.changes());
        List<Arm> arms = a.arms();
        List<Run> logged = log.runs(org.dpm4j.results.RunLog.Query.ALL.withExperiment(e.name()).withProfile(a.profile().id()));
        Map<Integer, Integer> stepsByT = a.budget().kind() == Budget.Kind.CPU_SECONDS && a.trained()
                ? calibrate(e, a, base, out) : Map.of();
        int threads = Math.max(1, Math.min(a.threads(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ablation-arm");
            t.setDaemon(true);
            return t;
        });
        List<Future<ArmResult>> futures = new ArrayList<>();
        int reused = 0;
        long process0 = org.dpm4j.results.RunClock.processCpuNanos();
        try {
            for (Arm arm : arms) {
                C settings = settings(e, a, base, arm, stepsByT);
                Identity id = identity(e, a, arm, settings);
                Optional<Run> done = Run.latest(logged.stream().filter(id::matches).toList(), r -> "").stream().findFirst();
                if (done.isPresent()) {
                    Run r = done.get().withSeries(log.series(done.get().runId()));
                    futures.add(java.util.concurrent.CompletableFuture.completedFuture(new ArmResult(arm, r, true)));
                    reused++;
                } else {
                    futures.add(pool.submit(() -> {
                        ArmResult r = new ArmResult(arm, runArm(e, a, arm, settings), false);
                        log.append(r.run());
                        synchronized (out) {
                            out.printf(Locale.ROOT, "  %-50s K = %.4f %s (%.1f s CPU)%n", arm.label(), r.k(), r.unit(), r.run().cpuSeconds());
                        }
                        return r;
                    }));
                }
            }
            out.printf(Locale.ROOT, "%s: %d arms (%d already in the run log, %d to run on %d thread%s)%n", e.name(), arms.size(),
                    reused, arms.size() - reused, threads, threads == 1 ? "" : "s");
            List<ArmResult> results = new ArrayList<>();
            for (Future<ArmResult> f : futures) results.add(f.get());
            long process1 = org.dpm4j.results.RunClock.processCpuNanos();
            AblationResult result = new AblationResult(a, results, process0 < 0 || process1 < 0 ? Double.NaN : (process1 - process0) / 1e9);
            if (reused < arms.size()) out.println(result.cpuAccounting());
            return result;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ablation interrupted", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("an arm failed: " + ex.getCause(), ex.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The arm's settings: the profile's with the changes, then the arm's schedule and T, and the budget's steps. */
    static <C extends Record> C settings(Experiment<C> e, Ablation a, C base, Arm arm, Map<Integer, Integer> stepsByT) {
        C settings = Settings.change(base, "T", arm.T(), "schedule", arm.schedule());
        Integer steps = switch (a.budget().kind()) {
            case PROFILE -> null;
            case STEPS -> (int) a.budget().amount();
            case CPU_SECONDS -> stepsByT.get(arm.T());
        };
        return steps != null && arm.kind() != Arm.Kind.ORACLE ? e.withSteps(settings, steps) : settings;
    }

    /** Runs one arm on this thread and records its time as this thread's CPU time (the arm's own, whatever else runs). */
    @SuppressWarnings("unchecked")
    private static <C extends Record> Run runArm(Experiment<C> e, Ablation a, Arm arm, C settings) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long wall0 = System.nanoTime(), cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        Run run = switch (arm.kind()) {
            case TRAINED -> e.run(settings, a.profile(), arm.seed());
            case LEARNED -> ((LearnsSchedule<C>) e).runLearningSchedule(settings, a.profile(), arm.seed());
            case ORACLE -> ((OracleK<C>) e).oracle(settings, a.profile(), arm.seed());
        };
        double cpu = cpu0 < 0 ? Double.NaN : (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        run = withElapsed(run, new Elapsed((System.nanoTime() - wall0) / 1e9, cpu)).withConfiguration(Run.ABLATION_ARM, "true");
        if (a.budget().kind() == Budget.Kind.CPU_SECONDS && arm.kind() != Arm.Kind.ORACLE) {
            run = run.withConfiguration(BUDGET_FIELD, a.budget().toString());
        }
        return run;
    }

    /** The run with its rows' times replaced by the arm thread's (the process's CPU time counts the other arms too). */
    private static Run withElapsed(Run run, Elapsed t) {
        List<ResultRow> rows = run.rows().stream().map(r -> new ResultRow(r.runId(), r.experiment(), r.dataset(), r.standIn(),
                r.model(), r.metric(), r.value(), r.standardError(), r.unit(), r.profile(), r.seed(), r.configuration(),
                r.codeVersion(), t.wallSeconds(), t.cpuSeconds(), r.finished())).toList();
        return new Run(rows, run.series());
    }

    /** What identifies an arm's run in the log. */
    record Identity(String experiment, String model, SortedMap<String, String> configuration, long seed, String profile,
                    boolean ignoreSteps) {
        boolean matches(Run r) {
            if (!r.experiment().equals(experiment) || !r.model().equals(model) || r.seed() != seed || !r.profile().equals(profile)) return false;
            if (!ignoreSteps) return r.configuration().equals(configuration);
            TreeMap<String, String> c = new TreeMap<>(r.configuration());
            c.remove("steps");
            TreeMap<String, String> want = new TreeMap<>(configuration);
            want.remove("steps");
            return c.equals(want);
        }
    }

    static <C extends Record> Identity identity(Experiment<C> e, Ablation a, Arm arm, C settings) {
        TreeMap<String, String> config = new TreeMap<>(Configuration.of(settings));
        config.put(Run.ABLATION_ARM, "true");
        if (arm.kind() == Arm.Kind.LEARNED) config.put(LearnsSchedule.FIELD, String.valueOf(((LearnsSchedule<?>) e).scheduleLearningRate()));
        boolean cpu = a.budget().kind() == Budget.Kind.CPU_SECONDS && arm.kind() != Arm.Kind.ORACLE;
        if (cpu) config.put(BUDGET_FIELD, a.budget().toString());
        return new Identity(e.name(), arm.kind() == Arm.Kind.ORACLE ? OracleK.MODEL : TRAINED_MODEL, config, arm.seed(),
                a.profile().id(), cpu);
    }

    /**
     * Steps per T for a CPU-seconds budget: one probe run (the first schedule, the smallest T, first seed, a tenth of
     * the profile's steps, at least 20) gives the arm thread's CPU seconds per step, evaluation included (so the
     * arms stay within the budget); the all-T estimator's cost grows in proportion to T, so other T scale by it.
     */
    private static <C extends Record> Map<Integer, Integer> calibrate(Experiment<C> e, Ablation a, C base, PrintStream out) {
        int T0 = a.tValues().stream().min(Integer::compare).orElseThrow();
        int profileSteps = Integer.parseInt(Settings.describe(base).getOrDefault("steps", "0"));
        int probe = Math.max(20, profileSteps / 10);
        Arm arm = new Arm(Arm.Kind.TRAINED, a.scheduleSpecs().get(0), T0, a.seeds().get(0));
        C settings = e.withSteps(Settings.change(base, "T", T0, "schedule", arm.schedule()), probe);
        Run r = runArm(e, a.budget(Budget.steps(probe)), arm, settings);
        double perStepT = r.cpuSeconds() / probe / T0;
        Map<Integer, Integer> steps = new HashMap<>();
        for (int T : a.tValues()) steps.put(T, Math.max(1, (int) Math.floor(a.budget().amount() / (perStepT * T))));
        out.printf(Locale.ROOT, "budget %s: a %d-step probe at T = %d took %.2f s CPU, so steps per T: %s%n", a.budget(), probe, T0,
                r.cpuSeconds(), new TreeMap<>(steps));
        return steps;
    }
}
