package org.dpm4j.experiments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpm4j.util.Check;

/**
 * The registry: every experiment by its name, in the order of the paper. Adding an experiment is one class, its
 * notebook, and one line here.
 */
public final class Experiments {
    private static final Map<String, Experiment<?>> ALL = new LinkedHashMap<>();

    static {
        register(SwissRollExperiment.EXPERIMENT);
        register(HeartbeatExperiment.EXPERIMENT);
        register(GaussianExperiment.EXPERIMENT);
        register(MnistExperiment.EXPERIMENT);
        register(VaeExperiment.EXPERIMENT);
        register(DaeExperiment.EXPERIMENT);
        register(DeadLeavesExperiment.EXPERIMENT);
        register(DeadLeavesExperiment.UNET_EXPERIMENT);
        register(BarkExperiment.EXPERIMENT);
        register(Cifar10Experiment.EXPERIMENT);
    }

    private Experiments() {}

    private static void register(Experiment<?> e) {
        if (ALL.put(e.name(), e) != null) throw new IllegalStateException("two experiments named " + e.name());
    }

    /** Every registered experiment by name, in registration order. */
    public static Map<String, Experiment<?>> all() { return Collections.unmodifiableMap(ALL); }

    /** The experiment of that name; an error listing the names there are when there is none. */
    public static Experiment<?> get(String name) {
        Experiment<?> e = ALL.get(name);
        if (e == null) throw Check.bad("experiment", name, "one of " + ALL.keySet());
        return e;
    }
}
