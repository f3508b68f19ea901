package org.dpm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpm4j.experiments.Experiment;
import org.dpm4j.experiments.Experiments;
import org.dpm4j.experiments.Settings;
import org.dpm4j.notebook.Notebook;
import org.dpm4j.experiments.Profile;
import org.dpm4j.results.AssembledTables;
import org.dpm4j.results.Comparison;
import org.dpm4j.results.Markdown;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import org.dpm4j.results.Table1;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.util.Check;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The experiments without Jupyter, calling the same library entry points as the notebooks (the registry of
 * {@link Experiments}):
 * <pre>
 *   java -cp 'lib/*' org.dpm4j.cli.Main list
 *   java -cp 'lib/*' org.dpm4j.cli.Main settings swiss-roll --profile standard
 *   java -cp 'lib/*' org.dpm4j.cli.Main run swiss-roll --profile standard --seed 1 [--set covariance=full]
 *        [--schedule cosine] [--T 100] [--steps 2000] [--batch 128] [--results DIR]
 *   java -cp 'lib/*' org.dpm4j.cli.Main table1 [--results DIR]
 * </pre>
 * {@code run} applies the named changes to the profile's settings ({@code --set name=value}, and the shortcuts
 * {@code --schedule}, {@code --T}, {@code --steps}, {@code --batch}; {@code --beta1} changes the schedule's beta1), checks
 * {@code --results} before anything is trained, appends the run's rows to the run log DIR/runs.sqlite (default:
 * results/ of the repository; {@link RunLog}) and rewrites the run's profile's Tables 1 and 2, DIR/table1.md, table2.md and
 * .csv ({@link AssembledTables}), the latest run of every Table 1 data set, DIR/table1-latest.md ({@link Table1}), and DIR/results.md
 * and .csv ({@link Comparison}). The older form {@code Main swiss-roll --profile standard} still works
 * ({@code run} is implied before an experiment's name).
 */
@Command(name = "dpm4j", mixinStandardHelpOptions = true, version = "dpm4j 0.1.0",
        description = "Runs the experiments of Sohl-Dickstein et al. 2015 from the command line.",
        subcommands = {Main.ListExperiments.class, Main.ShowSettings.class, Main.RunExperiment.class, Main.Table1Command.class,
                Main.AblateCommand.class})
public final class Main implements Runnable {
    public static final long DEFAULT_SEED = 1;

    @Override public void run() { new CommandLine(this).usage(System.out); }

    public static void main(String[] args) { System.exit(execute(args)); }

    /** Runs the command line and returns its exit code: 0 done, 2 a bad argument (named), 1 a failure in the run. */
    public static int execute(String... args) {
        if (args.length > 0 && Experiments.all().containsKey(args[0])) {   // the older form: Main swiss-roll --profile ...
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(Profile.class, Profile::parse);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {   // a bad setting or input, named by the library's checks
                line.getErr().println(e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Command(name = "list", description = "Lists the registered experiments and their settings' names.")
    static final class ListExperiments implements Callable<Integer> {
        @Override public Integer call() {
            for (Experiment<?> e : Experiments.all().values()) {
                System.out.println(e.name() + ": " + e.title());
                System.out.println("    settings: " + String.join(", ", Settings.names(e.settingsType())));
            }
            return 0;
        }
    }

    @Command(name = "settings", description = "Prints an experiment's named settings in a profile, with any changes applied.")
    static final class ShowSettings implements Callable<Integer> {
        @Parameters(index = "0", description = "the experiment's name (see list)") String experiment;
        @CommandLine.Mixin Changes changes = new Changes();

        @Override public Integer call() {
            Experiment<?> e = Experiments.get(experiment);
            Settings.describe(changes.settings(e)).forEach((k, v) -> System.out.println(k + " = " + v));
            return 0;
        }
    }

    /** The options that choose and change an experiment's settings, shared by settings and run. */
    static final class Changes {
        @Option(names = "--profile", description = "quick, standard or paper (default: DPM_PROFILE, else quick)") Profile profile;
        @Option(names = "--set", description = "change a setting by name: --set steps=2000 (repeatable)", mapFallbackValue = "")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--schedule", description = "the schedule by name, e.g. cosine or log-snr-linear:beta1=1e-5,snrT=1e-3") String schedule;
        @Option(names = "--T", description = "diffusion steps") Integer T;
        @Option(names = "--steps", description = "training steps") Integer steps;
        @Option(names = "--batch", description = "examples per minibatch") Integer batch;
        @Option(names = "--beta1", description = "the schedule's first-step variance beta_1 (schedules that have one)") Double beta1;
        @Option(names = "--covariance", description = "(swiss-roll) diagonal or full; the same as --set covariance=...") String covariance;
        @Option(names = "--parameterisation", description = "the kernel's readout form; the same as --set parameterisation=...") String parameterisation;

        Profile profile() { return profile != null ? profile : Profile.current(); }

        Map<String, String> all() {
            Map<String, String> c = new LinkedHashMap<>(set);
            if (schedule != null) c.put("schedule", schedule);
            if (T != null) c.put("T", T.toString());
            if (steps != null) c.put("steps", steps.toString());
            if (batch != null) c.put("batch", batch.toString());
            if (covariance != null) c.put("covariance", covariance);
            if (parameterisation != null) c.put("parameterisation", parameterisation);
            return c;
        }

        /** The changes as command-line options, to print a rerun command. */
        String commandLine() {
            StringBuilder b = new StringBuilder();
            all().forEach((k, v) -> b.append(" --set '").append(k).append('=').append(v).append('\''));
            if (beta1 != null) b.append(" --beta1 ").append(beta1);
            return b.toString();
        }

        <C extends Record> C settings(Experiment<C> e) {
            C c = e.settings(profile(), all());
            if (beta1 != null) {
                String spec = Settings.describe(c).get("schedule");
                if (spec == null) throw Check.bad("--beta1", beta1, "an experiment whose settings have a schedule (" + e.name() + "'s have none)");
                c = Settings.with(c, "schedule", ScheduleSpec.parse(spec).with("beta1", beta1).toString());
            }
            return c;
        }
    }

    @Command(name = "run", description = "Runs an experiment: trains, evaluates, samples, appends its rows to the run log.")
    static final class RunExperiment implements Callable<Integer> {
        @Parameters(index = "0", description = "the experiment's name (see list)") String experiment;
        @CommandLine.Mixin Changes changes = new Changes();
        @Option(names = "--seed", description = "the root seed (default 1)") long seed = DEFAULT_SEED;
        @Option(names = "--results", description = "the run log's directory (default: results/ of the repository)") String results;

        @Override public Integer call() { return runExperiment(Experiments.get(experiment)); }

        private <C extends Record> Integer runExperiment(Experiment<C> e) {
            C settings = changes.settings(e);
            Path dir = resultsDirectory(results);   // before any training
            System.out.println(e.name() + ", profile " + changes.profile() + ", seed " + seed + ": " + e.title());
            Settings.describe(settings).forEach((k, v) -> System.out.println("  " + k + " = " + v));
            Run run = e.run(settings, changes.profile(), seed);
            System.out.print(run.summary());
            System.out.println("appended " + run.rows().size() + " rows to " + RunLog.open(resultsDirectory(results)).append(run));
            writeTables(dir, changes.profile());
            System.out.println("rerun: java -cp 'lib/*' org.dpm4j.cli.Main run " + e.name() + " --profile " + changes.profile() + " --seed " + seed
                    + changes.commandLine());
            return 0;
        }
    }

    @Command(name = "tables", aliases = "table1", description = "Reassembles Tables 1 and 2 of a profile (results/table1.md, table2.md and .csv) and results.md from the run log.")
    static final class Table1Command implements Callable<Integer> {
        @Option(names = "--results", description = "the run log's directory (default: results/ of the repository)") String results;
        @Option(names = "--profile", description = "the profile whose runs the tables show (default standard)") Profile profile = Profile.STANDARD;

        @Override public Integer call() {
            writeTables(resultsDirectory(results), profile);
            return 0;
        }
    }

    /**
     * A schedule ablation ({@link org.dpm4j.ablation.Ablation}): {@code ablate swiss-roll --schedules 'cosine;linear'
     * --T 10,20,40 --seeds 1,2 --budget steps=500 [--learned] [--oracle-only]}; writes DIR/ablation-NAME.md and .csv.
     */
    @Command(name = "ablate", description = "Compares schedules on an experiment: arms = schedules x T x seeds (+ learned, + oracle), run concurrently; finished arms in the run log are skipped.")
    static final class AblateCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "the experiment's name (see list)") String experiment;
        @Option(names = "--profile", description = "quick, standard or paper (default: DPM_PROFILE, else quick)") Profile profile;
        @Option(names = "--schedules", description = "schedules by name, ';'-separated: 'cosine;log-snr-linear:beta1=1e-5,snrT=1e-3' (default: the profile's)") String schedules;
        @Option(names = "--T", split = ",", description = "T values, e.g. 10,20,40 (default: the profile's)") int[] T;
        @Option(names = "--seeds", split = ",", description = "root seeds, e.g. 1,2 (default 1)") long[] seeds = {DEFAULT_SEED};
        @Option(names = "--budget", description = "profile, steps=N or cpu-seconds=S per trained arm (default profile)") String budget = "profile";
        @Option(names = "--learned", description = "add a learned-schedule arm per T and seed (experiments that learn their schedule)") boolean learned;
        @Option(names = "--oracle-only", description = "no training: rank the schedules by the oracle's K") boolean oracleOnly;
        @Option(names = "--no-oracle", description = "no oracle arms") boolean noOracle;
        @Option(names = "--eq9", description = "show the Eq. 9 log-likelihood in the table") boolean eq9;
        @Option(names = "--threads", description = "arms at once (default: the machine's cores)") Integer threads;
        @Option(names = "--baseline", description = "the arm the others are compared with (default: the first)") String baseline;
        @Option(names = "--name", description = "the output's name: DIR/ablation-NAME.md (default: the experiment's)") String name;
        @Option(names = "--set", description = "change another setting by name: --set hidden=32 (repeatable)") Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--results", description = "the run log's directory (default: results/ of the repository)") String results;

        @Override public Integer call() {
            Path dir = resultsDirectory(results);
            var a = org.dpm4j.ablation.Ablation.of(experiment).profile(profile != null ? profile : Profile.current())
                    .seeds(seeds).budget(org.dpm4j.ablation.Budget.parse(budget)).learned(learned).eq9(eq9);
            if (schedules != null) a = a.schedules(java.util.Arrays.stream(schedules.split(";")).map(String::trim).filter(x -> !x.isEmpty()).toArray(String[]::new));
            if (T != null) a = a.T(T);
            if (threads != null) a = a.threads(threads);
            for (var e : set.entrySet()) a = a.set(e.getKey(), e.getValue());
            if (noOracle) a = a.oracle(false);
            if (oracleOnly) a = a.oracleOnly();
            var result = a.run(RunLog.open(dir));
            System.out.println(Markdown.of(result.table()));
            String base = baseline != null ? baseline : result.arms().get(0).arm().label();
            if (result.arms().size() > 1) System.out.println(Markdown.of(result.compare(base)));
            Path md = result.write(dir, name != null ? name : experiment, base);
            System.out.println("wrote " + md + " and " + md.getFileName().toString().replace(".md", ".csv"));
            return 0;
        }
    }

    /** Rewrites the profile's Tables 1 and 2, the latest Table 1 rows of every profile, and results.md, from the run log. */
    static void writeTables(Path dir, Profile profile) {
        AssembledTables t = AssembledTables.write(dir, profile.id());
        System.out.println(Markdown.of(t.table1()));
        Table1.write(dir);
        Comparison.write(dir);
        System.out.println("wrote " + dir.resolve("table1.md") + ", table2.md (and .csv) of the " + profile + " profile, table1-latest.md, results.md and .csv");
    }

    /**
     * The results directory, checked before any training ({@link RunLog#checkDirectory}): the default (results/ of
     * the repository) when null; refused naming --results when empty, a regular file, or not writable.
     */
    public static Path resultsDirectory(String option) {
        return RunLog.checkDirectory("--results", option == null ? Notebook.home().resolve("results").toString() : option);
    }
}
