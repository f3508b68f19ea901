package org.dpm4j.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.dpm4j.util.Check;

/**
 * Every schedule the project uses, by name. Each is a small pure function from (T, parameters) to beta_1..beta_T,
 * registered with its formula and its parameters (key, default, accepted values, meaning), so that
 * {@link ScheduleSpec#parse} can build any of them from text, an ablation can loop over them, and a result row can
 * record which one it used. Adding a schedule is one {@code add(...)} call of about five lines below and, if its
 * arithmetic is new, a private function beside the others.
 *
 * <p>The names say exactly what each schedule is, because "linear" means different things in different libraries:
 * {@code linear} is Ho et al.'s beta linear in t; {@code log-snr-linear} is the log signal-to-noise ratio linear in t.
 */
public final class ScheduleRegistry {
    private ScheduleRegistry() {}

    /** The name of the spec that starts a learned schedule from another one ({@code learned:from=...}). */
    public static final String LEARNED = "learned";

    /** The function of a named schedule: beta_1..beta_T (index 0 holds beta_1) for T steps and its canonical spec. */
    @FunctionalInterface
    interface Betas { double[] of(int T, ScheduleSpec p); }

    /** A named schedule: its formula, its parameters in canonical order, and its function. */
    record Family(String name, String formula, List<Param> params, Betas betas) {
        Param param(String key) {
            for (Param p : params) if (p.key().equalsIgnoreCase(key)) return p;
            throw Check.bad("key (schedule " + name + ")", key, params.isEmpty() ? "no parameters: " + name + " has none"
                    : "one of " + keys());
        }

        String keys() {
            List<String> k = new ArrayList<>();
            for (Param p : params) k.add(p.key());
            return String.join(", ", k);
        }
    }

    /** The values a parameter accepts, and how each is written canonically. */
    enum Kind {
        NUMBER("a finite number"), POSITIVE("a finite number > 0"), NON_NEGATIVE("a finite number >= 0"),
        OPEN_UNIT("a number in (0, 1)"), UNIT("a number in (0, 1]"), BELOW_HALF("a number in [0, 0.5)"),
        STEPS("an integer >= 1, or auto"), FLAG("true or false"),
        BETAS("a list [beta_1,beta_2,...] of numbers in (0, 1]"), NAME("the name of a schedule other than learned");

        final String expected;

        Kind(String expected) { this.expected = expected; }

        /** The canonical text of a value; throws naming the parameter when the text is not such a value. */
        String canonical(String parameter, String text) {
            switch (this) {
                case STEPS -> {
                    if (text.equalsIgnoreCase("auto")) return "auto";
                    try {
                        int n = Integer.parseInt(text);
                        if (n >= 1) return Integer.toString(n);
                    } catch (NumberFormatException e) { /* refused below */ }
                }
                case FLAG -> {
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) return text.toLowerCase(Locale.ROOT);
                }
                case NAME -> {
                    String n = text.toLowerCase(Locale.ROOT);
                    if (FAMILIES.containsKey(n) && !n.equals(LEARNED)) return n;
                    List<String> bases = new ArrayList<>(FAMILIES.keySet());
                    bases.remove(LEARNED);
                    throw Check.bad(parameter, text, "one of " + String.join(", ", bases));
                }
                case BETAS -> {
                    if (!(text.startsWith("[") && text.endsWith("]"))) break;
                    String inner = text.substring(1, text.length() - 1).trim();
                    if (inner.isEmpty()) break;
                    String[] parts = inner.split(",", -1);
                    List<String> out = new ArrayList<>();
                    int space = parameter.indexOf(' ');   // "betas (schedule explicit)" -> "betas[i] (schedule explicit)"
                    for (int i = 0; i < parts.length; i++) {
                        String element = space < 0 ? parameter + "[" + i + "]" : parameter.substring(0, space) + "[" + i + "]" + parameter.substring(space);
                        out.add(UNIT.canonical(element, parts[i].trim()));
                    }
                    return "[" + String.join(",", out) + "]";
                }
                default -> {
                    double v;
                    try {
                        v = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        break;
                    }
                    if (accepts(v)) return ScheduleSpec.format(v);
                }
            }
            throw Check.bad(parameter, text, expected);
        }

        private boolean accepts(double v) {
            return switch (this) {
                case NUMBER -> Double.isFinite(v);
                case POSITIVE -> v > 0 && Double.isFinite(v);
                case NON_NEGATIVE -> v >= 0 && Double.isFinite(v);
                case OPEN_UNIT -> v > 0 && v < 1;
                case UNIT -> v > 0 && v <= 1;
                case BELOW_HALF -> v >= 0 && v < 0.5;
                default -> false;
            };
        }
    }

    /** One parameter of a named schedule: its key, its default's canonical text (null when required), its kind, its meaning. */
    record Param(String key, String defaultValue, Kind kind, String meaning) {
        static Param of(String key, Object defaultValue, Kind kind, String meaning) {
            return new Param(key, defaultValue == null ? null : ScheduleSpec.text(defaultValue), kind, meaning);
        }

        static Param required(String key, Kind kind, String meaning) { return new Param(key, null, kind, meaning); }
    }

    private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

    private static void add(String name, String formula, Betas betas, Param... params) {
        FAMILIES.put(name, new Family(name, formula, List.of(params), betas));
    }

    /** The first step's default beta_1 and terminal SNR of the log-SNR family: the Swiss roll's (SwissRollExperiment). */
    private static final double LOG_SNR_BETA1 = 1e-5, LOG_SNR_TERMINAL = 1e-3;

    static {
        add("binomial-paper", "beta_t = 1/(T - t + 1), so alphabar_t = (T - t)/T and beta_T = 1 (Sec. 2.4.1)",
                (T, p) -> binomialPaper(T));
        add("reference", "beta_t = m_t + b_t (1 - m_t - 1e-5), b = 1/linspace(T, 2, T), m_t = minBeta (+ step1Beta at t = 1)"
                        + " (the reference code's schedule with its learned perturbation at zero)",
                (T, p) -> reference(T, p.number("step1Beta"), p.number("minBeta")),
                Param.of("step1Beta", Schedules.REFERENCE_STEP1_BETA, Kind.BELOW_HALF, "extra variance of the first step (step1_beta)"),
                Param.of("minBeta", Schedules.REFERENCE_MIN_BETA, Kind.BELOW_HALF, "floor on every beta_t"));
        add("linear", "beta_t linear in t from beta1 to betaT (Ho et al. 2020); scaled: both ends times 1000/T, so beta1 and betaT"
                        + " are the values at T = 1000 (Nichol and Dhariwal's scaling)",
                (T, p) -> linear(T, p.number("beta1"), p.number("betaT"), p.flag("scaled")),
                Param.of("beta1", 1e-4, Kind.UNIT, "beta_1"), Param.of("betaT", 0.02, Kind.UNIT, "beta_T"),
                Param.of("scaled", true, Kind.FLAG, "scale both ends by 1000/T"));
        add("cosine", "alphabar_t = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2); beta_t = min(1 - alphabar_t/alphabar_{t-1},"
                        + " maxBeta) (Nichol and Dhariwal 2021)",
                (T, p) -> cosine(T, p.number("s"), p.number("maxBeta")),
                Param.of("s", 0.008, Kind.NON_NEGATIVE, "offset that keeps beta_1 from vanishing"),
                Param.of("maxBeta", Schedules.COSINE_MAX_BETA, Kind.OPEN_UNIT, "cap on beta_t; below 1 so the last step stays finite"));
        add("sigmoid", "alphabar(u) = (sig(end/tau) - sig((u (end - start) + start)/tau)) / (sig(end/tau) - sig(start/tau)), u = t/T;"
                        + " beta_t = min(1 - alphabar_t/alphabar_{t-1}, maxBeta) (Jabri et al. 2022, as in denoising-diffusion-pytorch)",
                (T, p) -> sigmoid(T, p.number("start"), p.number("end"), p.number("tau"), p.number("maxBeta")),
                Param.of("start", -3.0, Kind.NUMBER, "sigmoid argument at t = 0"), Param.of("end", 3.0, Kind.NUMBER, "at t = T"),
                Param.of("tau", 1.0, Kind.POSITIVE, "temperature"),
                Param.of("maxBeta", Schedules.COSINE_MAX_BETA, Kind.OPEN_UNIT, "cap on beta_t; below 1 so the last step stays finite"));
        add("log-snr-linear", "beta_1 = beta1, then log(alphabar_t/(1 - alphabar_t)) linear in t from logit(1 - beta1) down to"
                        + " log(snrT) at t = T; beta_t = 1 - alphabar_t/alphabar_{t-1}",
                (T, p) -> logSnrLinear(T, p.number("beta1"), p.number("snrT")),
                Param.of("beta1", LOG_SNR_BETA1, Kind.OPEN_UNIT, "beta_1, the fixed first step"),
                Param.of("snrT", LOG_SNR_TERMINAL, Kind.POSITIVE, "alphabar_T/(1 - alphabar_T), where the schedule ends"));
        add("log-snr-warped", "as log-snr-linear with lambda(u) = lambda_1 + (lambda_T - lambda_1) u^power, u = (t - 1)/(T - 1);"
                        + " power > 1 spends more steps at high SNR",
                (T, p) -> warpedLogSnr(T, p.number("beta1"), p.number("snrT"), p.number("power")),
                Param.of("beta1", LOG_SNR_BETA1, Kind.OPEN_UNIT, "beta_1, the fixed first step"),
                Param.of("snrT", LOG_SNR_TERMINAL, Kind.POSITIVE, "alphabar_T/(1 - alphabar_T), where the schedule ends"),
                Param.required("power", Kind.POSITIVE, "exponent of u"));
        add("two-piece", "beta_1 = beta1, then log-SNR linear in t down to lambdaMid at t = 1 + stepsToMid and linear again to"
                        + " log(snrT) at t = T; stepsToMid=auto is round(36 (T - 1)/39), the kernel oracle's best at T = 40",
                (T, p) -> twoPieceLogSnr(T, p.number("beta1"), p.number("lambdaMid"), stepsToMid(T, p.text("stepsToMid")),
                        p.number("snrT")),
                Param.of("beta1", LOG_SNR_BETA1, Kind.OPEN_UNIT, "beta_1, the fixed first step"),
                Param.of("lambdaMid", 0.0, Kind.NUMBER, "log-SNR where the two pieces meet"),
                Param.of("stepsToMid", "auto", Kind.STEPS, "steps after the first spent reaching lambdaMid"),
                Param.of("snrT", 1e-2, Kind.POSITIVE, "alphabar_T/(1 - alphabar_T), where the schedule ends"));
        add("constant", "beta_t = beta for every t", (T, p) -> constant(T, p.number("beta")),
                Param.required("beta", Kind.UNIT, "beta of every step"));
        add("explicit", "the given beta_1..beta_T", (T, p) -> explicit(T, p.numbers("betas")),
                Param.required("betas", Kind.BETAS, "beta_1..beta_T"));
        // The learning itself (LearnableSchedule, TrainConfig.withLearnedSchedule) happens in training; the spec says where it
        // starts, and its other keys are those of the schedule named by from.
        add(LEARNED, "beta_1 fixed, beta_2..beta_T learned by gradient ascent on K (Sec. 2.4.1), starting from the schedule named"
                        + " by from (with that schedule's keys); builds the starting schedule",
                (T, p) -> learnedStart(T, p.from()),
                Param.required("from", Kind.NAME, "the schedule learning starts from"));
    }

    /** The registered names, in registration order. */
    public static List<String> names() { return List.copyOf(FAMILIES.keySet()); }

    /** One line per schedule: its name, its keys with their defaults, and its formula (for a command line's help). */
    public static String describe() {
        StringBuilder b = new StringBuilder();
        for (Family f : FAMILIES.values()) {
            b.append(f.name());
            String sep = ":";
            for (Param p : f.params()) {
                b.append(sep).append(p.key()).append('=').append(p.defaultValue() == null ? "<" + p.kind().expected + ">" : p.defaultValue());
                sep = ",";
            }
            b.append("\n    ").append(f.formula()).append('\n');
        }
        return b.toString();
    }

    static Family family(String name) {
        Family f = name == null ? null : FAMILIES.get(name.trim().toLowerCase(Locale.ROOT));
        if (f == null) throw Check.bad("schedule name", name, "one of " + String.join(", ", FAMILIES.keySet()));
        return f;
    }

    /**
     * The canonical parameters of a spec: every key of its family in declaration order (a learned spec: from, then the keys
     * of the schedule it starts from), given values written canonically, defaults filled in; unknown, duplicate or
     * missing keys and bad values refused naming the key.
     */
    static Map<String, String> canonical(Family f, Map<String, String> given) {
        Map<String, String> byKey = new LinkedHashMap<>();
        List<Param> params = new ArrayList<>(f.params());
        if (f.name().equals(LEARNED)) {
            String from = null;
            for (Map.Entry<String, String> e : given.entrySet()) if (e.getKey().equalsIgnoreCase("from")) from = e.getValue();
            if (from == null) throw missing(f, f.params().get(0));
            Family base = family(Kind.NAME.canonical("from (schedule learned)", from.trim()));
            params.addAll(base.params());
            f = new Family(f.name(), f.formula(), params, f.betas());
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            Param p = f.param(e.getKey().trim());
            String value = e.getValue() == null ? "" : e.getValue().trim();
            String parameter = p.key() + " (schedule " + f.name() + ")";
            if (value.isEmpty()) throw Check.bad(parameter, "(empty)", p.kind().expected + ": " + p.meaning());
            if (byKey.put(p.key(), p.kind().canonical(parameter, value)) != null) {
                throw Check.bad(parameter, value, "one value (" + p.key() + " is given twice)");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Param p : params) {
            String v = byKey.containsKey(p.key()) ? byKey.get(p.key()) : p.defaultValue();
            if (v == null) throw missing(f, p);
            out.put(p.key(), v);
        }
        return Collections.unmodifiableMap(out);
    }

    private static IllegalArgumentException missing(Family f, Param p) {
        return Check.bad(p.key() + " (schedule " + f.name() + ")", "(missing)",
                p.kind().expected + ", " + p.meaning() + "; write " + f.name() + ":" + p.key() + "=...");
    }

    // ---- the schedules: pure functions from T and their parameters to beta_1..beta_T (index 0 holds beta_1) ----

    private static double[] binomialPaper(int T) {
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = 1.0 / (T - t + 1);
        return b;
    }

    private static double[] reference(int T, double step1Beta, double minBeta) {
        Check.inRange("T", T, 2, Integer.MAX_VALUE);
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double base = 1.0 / (T + (2.0 - T) * (t - 1) / (T - 1));   // 1 / linspace(T, 2, T)[t-1]
            double min = minBeta + (t == 1 ? step1Beta : 0);
            b[t - 1] = min + base * (1 - min - 1e-5);                  // sigmoid(logit(base)) = base
        }
        return b;
    }

    private static double[] linear(int T, double beta1, double betaT, boolean scaled) {
        Check.inRange("T", T, 2, Integer.MAX_VALUE);
        double scale = scaled ? 1000.0 / T : 1, lo = scale * beta1, hi = scale * betaT;
        if (hi > 1 || lo > 1) {
            throw Check.bad("T", T, "at least " + (int) Math.ceil(1000 * Math.max(beta1, betaT))
                    + ", so that the ends scaled by 1000/T stay <= 1 (or scaled=false)");
        }
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = lo + (hi - lo) * (t - 1) / (T - 1);
        return b;
    }

    // The ratio f(t)/f(t-1) is taken in double and f(t-1) > 0 for t <= T, so no 0/0; f(T) = cos^2(pi/2) ~ 4e-33 makes
    // beta_T ~ 1, which the cap (below 1) keeps from turning alphabar_T into 0 and logit(beta_T) into infinity.
    private static double[] cosine(int T, double s, double maxBeta) {
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = cosineF(t, T, s) / cosineF(t - 1, T, s);
            b[t - 1] = Math.min(1 - ratio, maxBeta);
        }
        return b;
    }

    private static double cosineF(int t, int T, double s) {
        double c = Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    private static double[] sigmoid(int T, double start, double end, double tau, double maxBeta) {
        if (!(start < end)) throw Check.bad("start", start, "below end = " + end);
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = sigmoidAlphaBar((double) t / T, start, end, tau) / sigmoidAlphaBar((double) (t - 1) / T, start, end, tau);
            b[t - 1] = Math.min(1 - ratio, maxBeta);
        }
        return b;
    }

    private static double sigmoidAlphaBar(double u, double start, double end, double tau) {
        double vStart = Schedules.logistic(start / tau), vEnd = Schedules.logistic(end / tau);
        return (vEnd - Schedules.logistic((u * (end - start) + start) / tau)) / (vEnd - vStart);
    }

    // Written as SwissRollExperiment.schedule always computed it (lambda from (t - 1)/(T - 1) after the multiplication), so
    // its betas are bit-identical to the numbers already measured with it.
    private static double[] logSnrLinear(int T, double beta1, double snrT) {
        double[] lambda = ends(T, beta1, snrT);
        double first = lambda[0], last = lambda[1];
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double l = first + (last - first) * (t - 1) / (T - 1);
            double alphaBar = 1 / (1 + Math.exp(-l));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return b;
    }

    private static double[] warpedLogSnr(int T, double beta1, double snrT, double power) {
        double[] lambda = ends(T, beta1, snrT);
        double first = lambda[0], last = lambda[1];
        return fromLogSnr(beta1, T, u -> first + (last - first) * Math.pow(u, power));
    }

    private static double[] twoPieceLogSnr(int T, double beta1, double lambdaMid, int stepsToMid, double snrT) {
        double[] lambda = ends(T, beta1, snrT);
        double first = lambda[0], last = lambda[1];
        Check.inRange("stepsToMid", stepsToMid, 1, T - 2);
        if (!(lambdaMid < first && lambdaMid > last)) throw Check.bad("lambdaMid", lambdaMid, "between " + last + " and " + first);
        double uMid = (double) stepsToMid / (T - 1);
        return fromLogSnr(beta1, T, u -> u <= uMid ? first + (lambdaMid - first) * u / uMid
                : lambdaMid + (last - lambdaMid) * (u - uMid) / (1 - uMid));
    }

    /** two-piece's stepsToMid: the given number, or for auto 36 of every 39 steps after the first (36 at T = 40). */
    static int stepsToMid(int T, String text) {
        if (!text.equals("auto")) return Integer.parseInt(text);
        return Math.max(1, Math.min(T - 2, (int) Math.round(36.0 / 39 * (T - 1))));
    }

    /** The log-SNR after the first step, logit(1 - beta1), and at the end, log(snrT); the second must be below the first. */
    private static double[] ends(int T, double beta1, double snrT) {
        Check.inRange("T", T, 2, 100_000);
        double first = Math.log((1 - beta1) / beta1), last = Math.log(snrT);
        if (!(last < first)) throw Check.bad("snrT", snrT, "below the SNR after the first step, " + Math.exp(first));
        return new double[] {first, last};
    }

    /** beta_t from a log-SNR path lambda(u), u = (t - 1)/(T - 1), with beta_1 given: beta_t = 1 - alphabar_t / alphabar_{t-1}. */
    private static double[] fromLogSnr(double beta1, int T, DoubleUnaryOperator lambda) {
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double alphaBar = 1 / (1 + Math.exp(-lambda.applyAsDouble((t - 1.0) / (T - 1))));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return b;
    }

    private static double[] constant(int T, double beta) {
        double[] b = new double[T];
        java.util.Arrays.fill(b, beta);
        return b;
    }

    private static double[] explicit(int T, double[] betas) {
        if (T != betas.length) throw Check.bad("T", T, "the number of betas the explicit spec gives, " + betas.length);
        return betas;
    }

    private static double[] learnedStart(int T, ScheduleSpec from) {
        BetaSchedule s = from.build(T);
        // LearnableSchedule.startingFrom needs two steps and a last step below 1; say so now, naming the spec.
        if (T < 2 || s.beta(T) >= 1) {
            throw Check.bad("from (schedule learned)", from, "a schedule of T >= 2 steps whose beta_T is below 1 (a learned schedule"
                    + " never reaches 1); here T = " + T + ", beta_T = " + s.beta(T));
        }
        return s.betas();
    }
}
