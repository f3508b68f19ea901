package org.dpm4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.notebook.Notebook;
import org.dpm4j.notebook.Profile;
import org.dpm4j.kernel.BinomialParameterisation;
import org.dpm4j.results.Comparison;
import org.dpm4j.results.Markdown;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import org.dpm4j.results.Table1;
import org.dpm4j.util.Check;

/**
 * The experiments without Jupyter, calling the same library entry points as the notebooks:
 * <pre>
 *   java -cp 'lib/*' org.dpm4j.cli.Main swiss-roll|heartbeat|table1 --profile quick|standard|paper [--seed N]
 *        [--results DIR] [--beta1 B] [--covariance diagonal|full] [--schedule log-snr-linear|two-piece]
 *        [--parameterisation posterior_x0|forward_logit|plain]
 * </pre>
 * An experiment appends its rows to the run log DIR/runs.sqlite (default: results/ of the repository; {@link RunLog})
 * and rewrites DIR/table1.md and .csv ({@link Table1}) and DIR/results.md and .csv ({@link Comparison}); table1 only
 * reassembles them. DIR is checked before any training starts: it must be a directory (or creatable under one) this
 * process can write in. {@code --beta1} replaces the Swiss roll's first-step variance (and so
 * its ceiling) in the profile's settings; {@code --covariance full} gives its reverse kernel a full covariance
 * instead of the paper's diagonal one, and {@code --schedule two-piece} the two-piece log-SNR schedule the kernel oracle
 * found ({@link SwissRollExperiment.ScheduleShape}); {@code --parameterisation} picks the heartbeat kernel's readout form
 * ({@link BinomialParameterisation}; the profiles use POSTERIOR_X0).
 */
public final class Main {
    public static final String USAGE = "usage: java -cp 'lib/*' org.dpm4j.cli.Main swiss-roll|heartbeat|table1 "
            + "[--profile quick|standard|paper] [--seed N] [--results DIR] [--beta1 B (swiss-roll)] [--covariance diagonal|full (swiss-roll)] "
            + "[--schedule log-snr-linear|two-piece (swiss-roll)] "
            + "[--parameterisation posterior_x0|forward_logit|plain (heartbeat)]";
    public static final long DEFAULT_SEED = 1;

    /** A parsed command line; beta1 is NaN and parameterisation null unless given. */
    public record Command(String experiment, Profile profile, long seed, Path results, double beta1,
                          SwissRollExperiment.Covariance covariance, SwissRollExperiment.ScheduleShape scheduleShape,
                          BinomialParameterisation parameterisation) {
        public Command(String experiment, Profile profile, long seed, Path results, double beta1) {
            this(experiment, profile, seed, results, beta1, SwissRollExperiment.Covariance.DIAGONAL,
                    SwissRollExperiment.ScheduleShape.LOG_SNR_LINEAR, null);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        Command c;
        try {
            c = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        run(c);
    }

    /** Runs the command; returns the new run, or null for table1. */
    public static Run run(Command c) {
        RunLog.checkDirectory("--results", c.results().toString());   // again: the directory may have changed since parse
        Run run = switch (c.experiment()) {
            case "swiss-roll" -> SwissRollExperiment.run(swissRollConfig(c), c.profile(), c.seed());
            case "heartbeat" -> HeartbeatExperiment.run(heartbeatConfig(c), c.profile(), c.seed());
            default -> null;
        };
        if (run != null) {
            System.out.print(run.summary());
            System.out.println("appended " + run.rows().size() + " rows to " + RunLog.open(c.results()).append(run));
        }
        System.out.println(Markdown.of(Table1.write(c.results())));
        Comparison.write(c.results());
        System.out.println("wrote " + c.results().resolve("table1.md") + ", table1.csv, results.md and results.csv");
        return run;
    }

    /** The Swiss-roll settings of a command: the profile's, with --beta1, --covariance and --schedule applied. */
    public static SwissRollExperiment.Config swissRollConfig(Command c) {
        SwissRollExperiment.Config config = SwissRollExperiment.Config.of(c.profile()).withCovariance(c.covariance())
                .withScheduleShape(c.scheduleShape());
        return Double.isNaN(c.beta1()) ? config : config.withBeta1(c.beta1());
    }

    /** The heartbeat settings of a command: the profile's, with --parameterisation applied. */
    public static HeartbeatExperiment.Config heartbeatConfig(Command c) {
        HeartbeatExperiment.Config config = HeartbeatExperiment.Config.of(c.profile());
        return c.parameterisation() == null ? config : config.withParameterisation(c.parameterisation());
    }

    /** Parses the arguments; bad ones throw IllegalArgumentException naming the argument. */
    public static Command parse(String... args) {
        if (args.length == 0) throw Check.bad("experiment", "(none)", "swiss-roll, heartbeat or table1");
        String experiment = args[0].toLowerCase(Locale.ROOT);
        if (!experiment.equals("swiss-roll") && !experiment.equals("heartbeat") && !experiment.equals("table1")) {
            throw Check.bad("experiment", args[0], "swiss-roll, heartbeat or table1");
        }
        Profile profile = Profile.current();
        long seed = DEFAULT_SEED;
        Path results = null;
        double beta1 = Double.NaN;
        SwissRollExperiment.Covariance covariance = SwissRollExperiment.Covariance.DIAGONAL;
        SwissRollExperiment.ScheduleShape shape = SwissRollExperiment.ScheduleShape.LOG_SNR_LINEAR;
        BinomialParameterisation parameterisation = null;
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw Check.bad(flag, "(missing)", "a value after " + flag);
            String value = args[++i];
            switch (flag) {
                case "--profile" -> profile = Profile.parse(value);
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw Check.bad("--seed", value, "an integer");
                    }
                }
                case "--results" -> results = RunLog.checkDirectory("--results", value);
                case "--beta1" -> {
                    if (!experiment.equals("swiss-roll")) throw Check.bad("--beta1", value, "only with swiss-roll");
                    try {
                        beta1 = Check.openUnit("--beta1", Double.parseDouble(value));
                    } catch (NumberFormatException e) {
                        throw Check.bad("--beta1", value, "a number in (0, 1)");
                    }
                }
                case "--covariance" -> {
                    if (!experiment.equals("swiss-roll")) throw Check.bad("--covariance", value, "only with swiss-roll");
                    try {
                        covariance = SwissRollExperiment.Covariance.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw Check.bad("--covariance", value, "diagonal or full");
                    }
                }
                case "--schedule" -> {
                    if (!experiment.equals("swiss-roll")) throw Check.bad("--schedule", value, "only with swiss-roll");
                    try {
                        shape = SwissRollExperiment.ScheduleShape.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
                    } catch (IllegalArgumentException e) {
                        throw Check.bad("--schedule", value, "log-snr-linear or two-piece");
                    }
                }
                case "--parameterisation" -> {
                    if (!experiment.equals("heartbeat")) throw Check.bad("--parameterisation", value, "only with heartbeat");
                    try {
                        parameterisation = BinomialParameterisation.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw Check.bad("--parameterisation", value, "posterior_x0, forward_logit or plain");
                    }
                }
                default -> throw Check.bad("option", flag, "--profile, --seed, --results, --beta1, --covariance, --schedule or --parameterisation");
            }
        }
        if (results == null) results = RunLog.checkDirectory("--results", Notebook.home().resolve("results").toString());
        return new Command(experiment, profile, seed, results, beta1, covariance, shape, parameterisation);
    }
}
