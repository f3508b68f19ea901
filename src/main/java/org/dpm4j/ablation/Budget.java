package org.dpm4j.ablation;

import java.util.Locale;
import org.dpm4j.util.Check;

/**
 * How long each arm of an ablation trains: the profile's own steps, a number of steps, or CPU seconds. A CPU budget
 * becomes a number of steps before the arms start, from one timed probe run ({@link AblationRunner}), so an arm's
 * steps (recorded with its settings) depend on the machine; a steps budget does not.
 */
public record Budget(Kind kind, double amount) {
    public enum Kind { PROFILE, STEPS, CPU_SECONDS }

    public Budget {
        if (kind == null) throw Check.bad("kind", null, "PROFILE, STEPS or CPU_SECONDS");
        if (kind == Kind.STEPS && !(amount >= 0 && amount == Math.rint(amount) && amount <= Integer.MAX_VALUE)) {
            throw Check.bad("budget steps", amount, "a whole number of steps >= 0");
        }
        if (kind == Kind.CPU_SECONDS && !(amount > 0 && Double.isFinite(amount))) throw Check.bad("budget cpu-seconds", amount, "a number of seconds > 0");
    }

    /** The profile's training steps. */
    public static Budget profile() { return new Budget(Kind.PROFILE, 0); }

    public static Budget steps(int steps) { return new Budget(Kind.STEPS, steps); }

    public static Budget cpuSeconds(double seconds) { return new Budget(Kind.CPU_SECONDS, seconds); }

    /** From text: {@code profile}, {@code steps=500} (or {@code steps:500}), {@code cpu-seconds=60}. */
    public static Budget parse(String text) {
        if (text == null || text.isBlank()) throw Check.bad("budget", text, "profile, steps=N or cpu-seconds=S");
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("profile")) return profile();
        String[] kv = t.split("[=:]", 2);
        try {
            if (kv.length == 2 && kv[0].equals("steps")) {
                double s = Double.parseDouble(kv[1].replace("_", ""));
                if (s != Math.rint(s) || s < 0 || s > Integer.MAX_VALUE) throw new NumberFormatException();
                return steps((int) s);
            }
            if (kv.length == 2 && kv[0].equals("cpu-seconds")) return cpuSeconds(Double.parseDouble(kv[1]));
        } catch (NumberFormatException e) {
            // named below
        }
        throw Check.bad("budget", text, "profile, steps=N (a whole number) or cpu-seconds=S (seconds > 0)");
    }

    /** As {@link #parse} reads it. */
    @Override public String toString() {
        return switch (kind) {
            case PROFILE -> "profile";
            case STEPS -> "steps=" + (int) amount;
            case CPU_SECONDS -> "cpu-seconds=" + amount;
        };
    }
}
