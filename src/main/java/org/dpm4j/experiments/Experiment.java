package org.dpm4j.experiments;

import org.dpm4j.experiments.Profile;
import org.dpm4j.results.Run;

/**
 * One of the paper's experiments (or a baseline, or an ablation's unit), as the command line, the notebooks and the
 * ablation harness all find it: by name in {@link Experiments}. An experiment says its settings per profile (a record
 * of named settings, see {@link Settings}), and runs them from a root seed (every random stream derived by
 * {@link Seeds}), returning what it measured as a {@link Run}: named metrics with standard errors and units, and the settings, seed,
 * profile, code version and times that produced them.
 * The stages a notebook shows one by one (data, model, training, evaluation, samples, figures) are the experiment
 * class's own public methods; {@link #run} chains them.
 *
 * @param <C> the experiment's configuration record
 */
public interface Experiment<C extends Record> {
    /** The registry and command-line name, e.g. "swiss-roll". */
    String name();

    /** One line for listings: the data set, the model, and the paper's table or figure it reproduces. */
    String title();

    /** The configuration record's type (its components are the settings' names). */
    Class<C> settingsType();

    /** The settings of a profile. */
    C settings(Profile profile);

    /** Trains, evaluates and samples with these settings from this root seed; the profile is recorded as given. */
    Run run(C settings, Profile profile, long seed);

    /** The profile's settings with named changes (name = value text), as {@code --set name=value} gives them. */
    default C settings(Profile profile, java.util.Map<String, String> changes) {
        return Settings.with(settings(profile), changes);
    }

    /**
     * These settings trained for {@code steps} steps instead (an ablation's budget). Settings tied to the run's length
     * stay in proportion where an experiment has them (the heartbeat's late learning-rate phase); the default changes
     * {@code steps} alone, and an experiment without a {@code steps} setting refuses.
     */
    default C withSteps(C settings, int steps) {
        if (!Settings.names(settingsType()).contains("steps")) {
            throw org.dpm4j.util.Check.bad("budget", steps + " steps", "profile: " + name() + " has no steps setting");
        }
        return Settings.change(settings, "steps", steps);
    }

    /** The stages of a run as one function: settings, profile and root seed in, the measured run out. */
    @FunctionalInterface
    interface Runner<C extends Record> {
        Run run(C settings, Profile profile, long seed);
    }

    /** An experiment from its parts: the usual way to write one (see SwissRollExperiment.EXPERIMENT). */
    static <C extends Record> Experiment<C> of(String name, String title, Class<C> settingsType,
                                               java.util.function.Function<Profile, C> settings, Runner<C> runner) {
        return new Experiment<>() {
            @Override public String name() { return name; }

            @Override public String title() { return title; }

            @Override public Class<C> settingsType() { return settingsType; }

            @Override public C settings(Profile profile) { return settings.apply(profile); }

            @Override public Run run(C c, Profile profile, long seed) { return runner.run(c, profile, seed); }
        };
    }
}
