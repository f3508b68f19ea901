package org.dpm4j.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpm4j.util.Check;

/**
 * A schedule by name with its parameters: what a configuration holds and a result row records, so that
 * "which schedule?" has a structured answer. Immutable and canonical: every key of the named schedule is present, in
 * the registry's order, with its value written one way, so two specs that build the same schedule are equal and print
 * the same, and {@code parse(spec.toString())} equals {@code spec}.
 *
 * <p>Text form: {@code name} or {@code name:key=value,key=value}, e.g. {@code cosine},
 * {@code log-snr-linear:beta1=1e-5,snrT=1e-3}, {@code reference:step1Beta=1e-3}, {@code explicit:betas=[0.1,0.2]},
 * {@code learned:from=log-snr-linear,beta1=1e-5}. Names and keys are matched ignoring case. The names, their keys,
 * defaults and formulas are in {@link ScheduleRegistry} ({@link ScheduleRegistry#describe()} lists them).
 *
 * <p>Checks of one value run when the spec is made; checks that need T or relate two values (snrT below the SNR
 * after the first step, start below end) run in {@link #build}.
 *
 * @param name       the schedule's registered name
 * @param parameters key to canonical value text, every key of the schedule, in the registry's order (unmodifiable)
 */
public record ScheduleSpec(String name, Map<String, String> parameters) {

    /** Canonicalises: the registered spelling of the name, defaults filled in, values written canonically. */
    public ScheduleSpec {
        ScheduleRegistry.Family f = ScheduleRegistry.family(name);
        name = f.name();
        parameters = ScheduleRegistry.canonical(f, parameters == null ? Map.of() : parameters);
    }

    /** A spec from its text form {@code name} or {@code name:key=value,...} (see the class comment). */
    public static ScheduleSpec parse(String text) {
        if (text == null || text.isBlank()) throw Check.bad("schedule", text, "name or name:key=value,key=value, a name one of "
                + String.join(", ", ScheduleRegistry.names()));
        String s = text.trim();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon).trim();
        Map<String, String> given = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : splitTopLevel(s.substring(colon + 1))) {
                if (pair.isBlank()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw Check.bad("schedule '" + s + "' parameter", pair.trim(), "key=value, a key of " + name + " (e.g. "
                            + "log-snr-linear:beta1=1e-5,snrT=1e-3)");
                }
                String key = pair.substring(0, eq).trim();
                for (String k : given.keySet()) {
                    if (k.equalsIgnoreCase(key)) {
                        throw Check.bad(key + " (schedule " + name + ")", pair.substring(eq + 1).trim(), "one value (" + key + " is given twice)");
                    }
                }
                given.put(key, pair.substring(eq + 1));
            }
        }
        return new ScheduleSpec(name, given);
    }

    /**
     * A spec from a name and alternating keys and values (numbers, integers, booleans, double[], or text), e.g.
     * {@code ScheduleSpec.of("log-snr-linear", "beta1", 1e-5, "snrT", 1e-3)}; missing keys take their defaults.
     */
    public static ScheduleSpec of(String name, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw Check.bad("keysAndValues.length", keysAndValues.length, "an even number (key, value pairs)");
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) given.put(String.valueOf(keysAndValues[i]), text(keysAndValues[i + 1]));
        return new ScheduleSpec(name, given);
    }

    /** The spec of given betas: {@code explicit:betas=[...]}, exactly those numbers. */
    public static ScheduleSpec explicit(double[] betas) { return of("explicit", "betas", betas); }

    /** The same schedule with one parameter changed (for an ablation over one parameter). */
    public ScheduleSpec with(String key, Object value) {
        Map<String, String> next = new LinkedHashMap<>(parameters);
        String canonicalKey = null;
        for (String k : parameters.keySet()) if (k.equalsIgnoreCase(key)) canonicalKey = k;
        if (canonicalKey == null) {
            throw Check.bad("key (schedule " + name + ")", key, "one of " + String.join(", ", parameters.keySet()));
        }
        next.put(canonicalKey, text(value));
        // A learned spec's other keys belong to its starting schedule: changing from keeps only those it shares.
        if (name.equals(ScheduleRegistry.LEARNED) && canonicalKey.equals("from")) {
            Map<String, String> base = new LinkedHashMap<>();
            base.put("from", text(value));
            List<String> keep = ScheduleRegistry.family(text(value)).params().stream().map(ScheduleRegistry.Param::key).toList();
            for (Map.Entry<String, String> e : parameters.entrySet()) if (keep.contains(e.getKey())) base.put(e.getKey(), e.getValue());
            next = base;
        }
        return new ScheduleSpec(name, next);
    }

    /** beta_1..beta_T of this schedule for T steps, carrying this spec ({@link BetaSchedule#spec()}). */
    public BetaSchedule build(int T) {
        Check.positive("T", T);
        return new BetaSchedule(this, ScheduleRegistry.family(name).betas().of(T, this));
    }

    /** The schedule a learned spec starts from ({@code learned:from=X,...} gives {@code X:...}); any other spec itself. */
    public ScheduleSpec from() {
        if (!name.equals(ScheduleRegistry.LEARNED)) return this;
        Map<String, String> base = new LinkedHashMap<>(parameters);
        String from = base.remove("from");
        return new ScheduleSpec(from, base);
    }

    /** The formula of this spec's schedule, as registered. */
    public String formula() { return ScheduleRegistry.family(name).formula(); }

    /** A number-valued parameter. */
    public double number(String key) { return Double.parseDouble(value(key)); }

    /** A true/false parameter. */
    public boolean flag(String key) { return Boolean.parseBoolean(value(key)); }

    /** A list-valued parameter ({@code [a,b,...]}). */
    public double[] numbers(String key) {
        String v = value(key);
        String[] parts = v.substring(1, v.length() - 1).split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i]);
        return out;
    }

    /** A parameter's canonical text. */
    public String text(String key) { return value(key); }

    private String value(String key) {
        String v = parameters.get(key);
        if (v == null) throw Check.bad("key (schedule " + name + ")", key, "one of " + String.join(", ", parameters.keySet()));
        return v;
    }

    /** The canonical text form, which {@link #parse} reads back to an equal spec. */
    @Override public String toString() {
        if (parameters.isEmpty()) return name;
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) pairs.add(e.getKey() + "=" + e.getValue());
        return name + ":" + String.join(",", pairs);
    }

    /** A short name for a schedule built from this spec: the text form, with long lists of betas shortened to their count. */
    String label() {
        String s = toString();
        for (String v : parameters.values()) {
            if (v.startsWith("[") && v.length() > 60) s = s.replace(v, "[" + v.split(",").length + " given betas]");
        }
        return s;
    }

    /**
     * A number written canonically: Java's shortest round-tripping decimal with "E" as "e" and a bare ".0" dropped
     * (1e-5, 0.008, 1000), so that {@code Double.parseDouble} gives back exactly the same double.
     */
    static String format(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e), exponent = e < 0 ? "" : "e" + s.substring(e + 1);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return mantissa + exponent;
    }

    /** The text of a value given in code: numbers canonically, double[] as a list, anything else as written. */
    static String text(Object value) {
        if (value instanceof Double d) return format(d);
        if (value instanceof Float f) return format(Double.parseDouble(Float.toString(f)));   // 0.1f as 0.1
        if (value instanceof double[] a) {
            List<String> parts = new ArrayList<>(a.length);
            for (double x : a) parts.add(format(x));
            return "[" + String.join(",", parts) + "]";
        }
        return String.valueOf(value);
    }

    /** Splits on commas outside brackets, so a list value [a,b] stays one value. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
