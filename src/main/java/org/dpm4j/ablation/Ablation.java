package org.dpm4j.ablation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpm4j.experiments.Experiment;
import org.dpm4j.experiments.Experiments;
import org.dpm4j.experiments.LearnsSchedule;
import org.dpm4j.experiments.OracleK;
import org.dpm4j.experiments.Profile;
import org.dpm4j.experiments.Settings;
import org.dpm4j.results.RunLog;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.util.Check;

/**
 * A schedule ablation on any registered experiment, as one value that reads as a sentence:
 * <pre>
 *   Ablation.of("swiss-roll").schedules("cosine", "log-snr-linear:beta1=1e-5,snrT=1e-3").T(10, 20, 40).seeds(1, 2)
 *       .learned(true).budget(Budget.steps(500)).run(RunLog.open(dir))
 * </pre>
 * Its arms ({@link #arms}) are the schedules x T values x seeds, trained with the schedule fixed; plus a learned arm
 * per T and seed (starting from the first schedule) where the experiment learns schedules ({@link LearnsSchedule});
 * plus, where the experiment has an oracle ({@link OracleK}), the oracle K of each schedule, T and seed. Every other
 * setting is the profile's, with {@link #set} changes.
 *
 * @param experiment the registered experiment's name
 * @param profile    the profile whose settings the arms start from (recorded with each run)
 * @param schedules  the schedules by name, with parameters; empty: the profile's schedule
 * @param Ts         the numbers of steps; empty: the profile's T
 * @param seeds      the root seeds
 * @param learned    add the learned-schedule arms (only for an experiment that learns its schedule)
 * @param trained    train the fixed-schedule (and learned) arms; false: oracle arms only
 * @param oracle     add the oracle arms (only for an experiment with an oracle)
 * @param budget     each trained arm's training budget
 * @param changes    other settings changed by name (name = value text)
 * @param eq9        show the Eq. 9 log-likelihood in the table
 * @param threads    arms run at once (each single-threaded); at most the machine's cores are used
 */
public record Ablation(String experiment, Profile profile, List<ScheduleSpec> schedules, List<Integer> Ts,
                       List<Long> seeds, boolean learned, boolean trained, boolean oracle, Budget budget,
                       Map<String, String> changes, boolean eq9, int threads) {
    public Ablation {
        Experiment<?> e = Experiments.get(experiment);
        if (profile == null) throw Check.bad("profile", null, "quick, standard or paper");
        schedules = List.copyOf(schedules);
        Ts = List.copyOf(Ts);
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) throw Check.bad("seeds", seeds, "at least one seed");
        for (int T : Ts) Check.inRange("T", T, 2, 1_000_000);
        if (learned && !(e instanceof LearnsSchedule<?>)) {
            throw Check.bad("learned", true, "false: " + experiment + " does not learn its schedule");
        }
        if (oracle && !(e instanceof OracleK<?>)) throw Check.bad("oracle", true, "false: " + experiment + " has no oracle");
        if (!trained && !oracle) throw Check.bad("trained", false, "true, or an oracle-only ablation of an experiment with an oracle");
        if (budget == null) throw Check.bad("budget", null, "Budget.profile(), Budget.steps(n) or Budget.cpuSeconds(s)");
        changes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changes));
        Check.positive("threads", threads);
        for (String name : List.of("T", "schedule")) {
            if (!Settings.names(e.settingsType()).contains(name)) {
                throw Check.bad("experiment", experiment, "an experiment whose settings have " + name + " (its settings: "
                        + Settings.names(e.settingsType()) + ")");
            }
        }
    }

    /**
     * An ablation of the profile's schedule and T (from DPM_PROFILE), seed 1, the profile's budget, trained arms and,
     * where the experiment has one, oracle arms, on all of the machine's cores.
     */
    public static Ablation of(String experiment) {
        return new Ablation(experiment, Profile.current(), List.of(), List.of(), List.of(1L), false, true,
                Experiments.get(experiment) instanceof OracleK<?>, Budget.profile(), Map.of(), false,
                Runtime.getRuntime().availableProcessors());
    }

    public Ablation profile(Profile p) { return new Ablation(experiment, p, schedules, Ts, seeds, learned, trained, oracle, budget, changes, eq9, threads); }

    /** The schedules by name, e.g. {@code "cosine"}, {@code "log-snr-linear:beta1=1e-5,snrT=1e-3"}. */
    public Ablation schedules(String... specs) {
        return schedules(Arrays.stream(specs).map(ScheduleSpec::parse).toList());
    }

    public Ablation schedules(List<ScheduleSpec> s) { return new Ablation(experiment, profile, s, Ts, seeds, learned, trained, oracle, budget, changes, eq9, threads); }

    public Ablation T(int... values) { return new Ablation(experiment, profile, schedules, Arrays.stream(values).boxed().toList(), seeds, learned, trained, oracle, budget, changes, eq9, threads); }

    public Ablation seeds(long... values) { return new Ablation(experiment, profile, schedules, Ts, Arrays.stream(values).boxed().toList(), learned, trained, oracle, budget, changes, eq9, threads); }

    public Ablation learned(boolean v) { return new Ablation(experiment, profile, schedules, Ts, seeds, v, trained, oracle, budget, changes, eq9, threads); }

    /** With or without the oracle arms. */
    public Ablation oracle(boolean v) { return new Ablation(experiment, profile, schedules, Ts, seeds, learned, trained, v, budget, changes, eq9, threads); }

    /** Only the oracle arms: schedules ranked by the best K they allow, no training (seconds). */
    public Ablation oracleOnly() { return new Ablation(experiment, profile, schedules, Ts, seeds, false, false, true, budget, changes, eq9, threads); }

    public Ablation budget(Budget b) { return new Ablation(experiment, profile, schedules, Ts, seeds, learned, trained, oracle, b, changes, eq9, threads); }

    /** Changes one more setting by name, as {@code --set name=value}. */
    public Ablation set(String name, String value) {
        Map<String, String> c = new LinkedHashMap<>(changes);
        c.put(name, value);
        return new Ablation(experiment, profile, schedules, Ts, seeds, learned, trained, oracle, budget, c, eq9, threads);
    }

    public Ablation eq9(boolean v) { return new Ablation(experiment, profile, schedules, Ts, seeds, learned, trained, oracle, budget, changes, v, threads); }

    public Ablation threads(int n) { return new Ablation(experiment, profile, schedules, Ts, seeds, learned, trained, oracle, budget, changes, eq9, n); }

    /** The profile's settings with the changes (before any arm's schedule, T or budget). */
    public Record baseSettings() { return Experiments.get(experiment).settings(profile, changes); }

    /** The schedules of the arms: the given ones, or the profile's. */
    public List<ScheduleSpec> scheduleSpecs() {
        return schedules.isEmpty() ? List.of(ScheduleSpec.parse(Settings.describe(baseSettings()).get("schedule"))) : schedules;
    }

    /** The T values of the arms: the given ones, or the profile's. */
    public List<Integer> tValues() {
        return Ts.isEmpty() ? List.of(Integer.parseInt(Settings.describe(baseSettings()).get("T"))) : Ts;
    }

    /** Every arm, in table order: for each T, seed and schedule the trained arm, then the learned arm, then the oracle arms. */
    public List<Arm> arms() {
        List<Arm> out = new ArrayList<>();
        List<ScheduleSpec> specs = scheduleSpecs();
        for (int T : tValues()) {
            for (long seed : seeds) {
                if (trained) for (ScheduleSpec s : specs) out.add(new Arm(Arm.Kind.TRAINED, s, T, seed));
                if (trained && learned) out.add(new Arm(Arm.Kind.LEARNED, specs.get(0), T, seed));
                if (oracle) for (ScheduleSpec s : specs) out.add(new Arm(Arm.Kind.ORACLE, s, T, seed));
            }
        }
        return out;
    }

    /** Runs the arms not yet in the log (appending each as it finishes), and returns every arm's result. */
    public AblationResult run(RunLog log) { return AblationRunner.run(this, log, System.out); }

    /** As {@link #run(RunLog)} with the run log in {@code resultsDir}. */
    public AblationResult run(Path resultsDir) { return run(RunLog.open(resultsDir)); }
}
