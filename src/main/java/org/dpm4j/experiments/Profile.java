package org.dpm4j.experiments;

import java.util.Locale;
import org.dpm4j.util.Check;

/**
 * How big a run is. {@code quick}: CI, seconds to a couple of minutes per notebook; {@code standard}: the main job
 * on a 2-core machine, the paper's scale where that fits in about an hour and a stated reduced scale where it does
 * not; {@code paper}: the paper's full settings, for a bigger machine.
 * Notebooks and the command line read it from the environment variable {@code DPM_PROFILE} (default quick).
 */
public enum Profile {
    QUICK, STANDARD, PAPER;

    public static final String ENV = "DPM_PROFILE";

    /** The profile named by {@code DPM_PROFILE}, or {@link #QUICK} when it is unset or blank. */
    public static Profile current() {
        String value = System.getenv(ENV);
        return value == null || value.isBlank() ? QUICK : parse(value);
    }

    public static Profile parse(String name) {
        for (Profile p : values()) {
            if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) return p;
        }
        throw Check.bad("profile", name, "one of quick, standard, paper");
    }

    /** The lower-case name used on the command line and in result rows. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    @Override public String toString() { return id(); }
}
