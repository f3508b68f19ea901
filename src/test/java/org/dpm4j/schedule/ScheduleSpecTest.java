package org.dpm4j.schedule;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The text form of a schedule: parse, the canonical toString, defaults, and refusals that name the parameter. */
class ScheduleSpecTest {

    /** One spec per registered name with every required key given (and some defaults overridden), and a T it builds at. */
    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("binomial-paper", "binomial-paper"),
            Map.entry("reference", "reference:step1Beta=2e-3"),
            Map.entry("linear", "linear:betaT=0.025"),
            Map.entry("cosine", "cosine:s=0.01"),
            Map.entry("sigmoid", "sigmoid:tau=0.5"),
            Map.entry("log-snr-linear", "log-snr-linear:beta1=1e-5,snrT=1e-3"),
            Map.entry("log-snr-warped", "log-snr-warped:power=2"),
            Map.entry("two-piece", "two-piece:lambdaMid=1,stepsToMid=20"),
            Map.entry("constant", "constant:beta=0.01"),
            // 40 betas (T = 40 below): both ends of (0, 1], repeats, and a number that needs all 17 digits
            Map.entry("explicit", "explicit:betas=[1e-4,0.01,0.02,0.5,0.7,0.9,0.95,0.99,0.999,1,0.3,0.25,1e-8," + "0.1,".repeat(26)
                    + "0.123456789012345]"),
            Map.entry("learned", "learned:from=cosine,maxBeta=0.99"));

    @Test
    @DisplayName("every registered name has an example here, and the registry lists exactly the schedules the project uses")
    void everyNameCovered() {
        assertEquals(List.of("binomial-paper", "reference", "linear", "cosine", "sigmoid", "log-snr-linear", "log-snr-warped",
                "two-piece", "constant", "explicit", "learned"), ScheduleRegistry.names());
        assertEquals(EXAMPLES.keySet(), Set.copyOf(ScheduleRegistry.names()));
        for (String name : ScheduleRegistry.names()) assertTrue(ScheduleRegistry.describe().contains(name + ":") || ScheduleRegistry.describe().contains(name + "\n"), name);
    }

    @Test
    @DisplayName("round trip for every name: parse(toString()) equals the spec, prints the same, builds bit-identical betas, and the schedule records its spec")
    void roundTrips() {
        int T = 40;
        for (String name : ScheduleRegistry.names()) {
            ScheduleSpec spec = ScheduleSpec.parse(EXAMPLES.get(name));
            ScheduleSpec again = ScheduleSpec.parse(spec.toString());
            assertEquals(spec, again, name);
            assertEquals(spec.toString(), again.toString(), name);
            assertEquals(spec.hashCode(), again.hashCode(), name);
            BetaSchedule s = spec.build(T);
            assertArrayEquals(s.betas(), again.build(T).betas(), name);
            assertEquals(spec, s.spec(), name);
            assertEquals(name, spec.name());
            // the spec a schedule records rebuilds it exactly
            assertArrayEquals(s.betas(), s.spec().build(s.T()).betas(), name);
        }
    }

    @Test
    @DisplayName("defaults are filled in and written one way: specs that build the same schedule print the same")
    void defaults() {
        assertEquals("cosine:s=0.008,maxBeta=0.999", ScheduleSpec.parse("cosine").toString());
        assertEquals("binomial-paper", ScheduleSpec.parse("binomial-paper").toString());
        assertEquals("reference:step1Beta=0.001,minBeta=1e-6", ScheduleSpec.parse("reference").toString());
        assertEquals("linear:beta1=1e-4,betaT=0.02,scaled=true", ScheduleSpec.parse("linear").toString());
        assertEquals("sigmoid:start=-3,end=3,tau=1,maxBeta=0.999", ScheduleSpec.parse("sigmoid").toString());
        assertEquals("log-snr-linear:beta1=1e-5,snrT=0.001", ScheduleSpec.parse("log-snr-linear").toString());
        assertEquals("two-piece:beta1=1e-5,lambdaMid=0,stepsToMid=auto,snrT=0.01", ScheduleSpec.parse("two-piece").toString());
        ScheduleSpec a = ScheduleSpec.parse("log-snr-linear"), b = ScheduleSpec.parse(" Log-SNR-Linear : SNRT=1.0E-3 , beta1=0.00001 ");
        assertEquals(a, b);
        assertEquals(a.toString(), b.toString());
        assertEquals(ScheduleSpec.parse("cosine"), ScheduleSpec.parse("cosine:maxBeta=0.999,s=8e-3"));
        assertEquals(ScheduleSpec.parse("cosine"), ScheduleSpec.of("cosine", "s", 0.008));
        assertEquals(ScheduleSpec.parse("cosine"), new ScheduleSpec("cosine", Map.of()));
        assertNotEquals(ScheduleSpec.parse("cosine"), ScheduleSpec.parse("cosine:s=0.01"));
        assertEquals(ScheduleSpec.parse("log-snr-linear:snrT=1e-2"), ScheduleSpec.parse("log-snr-linear").with("snrT", 1e-2));
        assertEquals("learned:from=log-snr-linear,beta1=1e-5,snrT=0.001", ScheduleSpec.parse("learned:from=log-snr-linear").toString());
        assertEquals(ScheduleSpec.parse("learned:from=cosine,maxBeta=0.99"),
                ScheduleSpec.parse("learned:from=log-snr-linear").with("from", "cosine").with("maxBeta", 0.99));
        assertThrows(UnsupportedOperationException.class, () -> ScheduleSpec.parse("cosine").parameters().put("s", "1"));
    }

    @Test
    @DisplayName("numbers are written so they parse back to the same double (10^5 seeded random doubles, and random betas through explicit)")
    void numbersRoundTrip() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int i = 0; i < 100_000; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(rng.nextLong()) : rng.nextDouble() * Math.pow(10, rng.nextInt(-12, 8));
            if (!Double.isFinite(v)) continue;
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(ScheduleSpec.format(v))), "v = " + v);
        }
        double[] betas = new double[1000];
        for (int i = 0; i < betas.length; i++) betas[i] = 1 - rng.nextDouble();   // in (0, 1]
        BetaSchedule raw = new BetaSchedule("random", betas);
        assertEquals("explicit", raw.spec().name());
        assertArrayEquals(betas, ScheduleSpec.parse(raw.spec().toString()).build(1000).betas());
        assertEquals("explicit:betas=[1000 given betas]", raw.spec().build(1000).name());
    }

    @Test
    @DisplayName("the shorthands in Schedules record the spec they build")
    void shorthandsRecordTheirSpec() {
        assertEquals(ScheduleSpec.parse("binomial-paper"), Schedules.binomialPaper(10).spec());
        assertEquals(ScheduleSpec.parse("reference:step1Beta=0"), Schedules.referenceGaussian(10, 0).spec());
        assertEquals(ScheduleSpec.parse("linear"), Schedules.linearHo(100).spec());
        assertEquals(ScheduleSpec.parse("cosine"), Schedules.cosine(10).spec());
        assertEquals(ScheduleSpec.parse("sigmoid"), Schedules.sigmoid(10).spec());
        assertEquals(ScheduleSpec.parse("constant:beta=0.2"), Schedules.constant(10, 0.2).spec());
        assertEquals(ScheduleSpec.parse("explicit:betas=[0.1,0.2]"), Schedules.explicit(0.1, 0.2).spec());
        assertEquals("cosine:s=0.008,maxBeta=0.999", Schedules.cosine(10).name(), "a named schedule is named by its spec");
    }

    @Test
    @DisplayName("unknown names and keys are refused listing what is known")
    void unknownNamesAndKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("cosin"));
        assertTrue(e.getMessage().startsWith("schedule name = cosin, expected one of binomial-paper, reference, linear, cosine"), e.getMessage());
        assertTrue(e.getMessage().contains("log-snr-linear") && e.getMessage().contains("learned"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("cosine:foo=1"));
        assertEquals("key (schedule cosine) = foo, expected one of s, maxBeta", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("binomial-paper:beta1=0.1"));
        assertTrue(e.getMessage().startsWith("key (schedule binomial-paper) = beta1, expected no parameters"), e.getMessage());
        // the brief's example key for the reference schedule is called step1Beta here, as in the reference code
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("reference:beta1=1e-3"));
        assertEquals("key (schedule reference) = beta1, expected one of step1Beta, minBeta", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("learned:from=cosine,power=2"));
        assertEquals("key (schedule learned) = power, expected one of from, s, maxBeta", e.getMessage());
        assertRejected(() -> ScheduleSpec.parse("learned:from=learned"), "from (schedule learned)", "learned");
        assertRejected(() -> ScheduleSpec.parse("learned:from=cosinus"), "from (schedule learned)", "cosinus");
        assertRejected(() -> ScheduleSpec.parse(""), "schedule", "");
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear").with("snr", 1), "key (schedule log-snr-linear)", "snr");
    }

    @Test
    @DisplayName("missing, empty, repeated and malformed parameters are refused naming the key")
    void missingAndMalformed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("constant"));
        assertTrue(e.getMessage().startsWith("beta (schedule constant) = (missing), expected a number in (0, 1]"), e.getMessage());
        assertRejected(() -> ScheduleSpec.parse("explicit"), "betas (schedule explicit)", "(missing)");
        assertRejected(() -> ScheduleSpec.parse("learned"), "from (schedule learned)", "(missing)");
        assertRejected(() -> ScheduleSpec.parse("log-snr-warped:beta1=1e-4"), "power (schedule log-snr-warped)", "(missing)");
        assertRejected(() -> ScheduleSpec.parse("cosine:s="), "s (schedule cosine)", "(empty)");
        assertRejected(() -> ScheduleSpec.parse("cosine:s=0.1,s=0.2"), "s (schedule cosine)", "0.2");
        assertRejected(() -> ScheduleSpec.parse("cosine:s=0.1,S=0.2"), "S (schedule cosine)", "0.2");
        assertRejected(() -> ScheduleSpec.parse("cosine:s"), "schedule 'cosine:s' parameter", "s");
        assertRejected(() -> ScheduleSpec.parse("cosine:=3"), "schedule 'cosine:=3' parameter", "=3");
    }

    @Test
    @DisplayName("bad values are refused naming the parameter, the value and the accepted range")
    void badValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("cosine:maxBeta=1"));
        assertEquals("maxBeta (schedule cosine) = 1, expected a number in (0, 1)", e.getMessage());
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear:beta1=abc"), "beta1 (schedule log-snr-linear)", "abc");
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear:beta1=0"), "beta1 (schedule log-snr-linear)", "0");
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear:snrT=-1"), "snrT (schedule log-snr-linear)", "-1");
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear:snrT=NaN"), "snrT (schedule log-snr-linear)", "NaN");
        assertRejected(() -> ScheduleSpec.parse("sigmoid:start=Infinity"), "start (schedule sigmoid)", "Infinity");
        assertRejected(() -> ScheduleSpec.parse("linear:scaled=yes"), "scaled (schedule linear)", "yes");
        assertRejected(() -> ScheduleSpec.parse("two-piece:stepsToMid=0"), "stepsToMid (schedule two-piece)", "0");
        assertRejected(() -> ScheduleSpec.parse("two-piece:stepsToMid=2.5"), "stepsToMid (schedule two-piece)", "2.5");
        assertRejected(() -> ScheduleSpec.parse("constant:beta=1.5"), "beta (schedule constant)", "1.5");
        assertRejected(() -> ScheduleSpec.parse("reference:step1Beta=0.5"), "step1Beta (schedule reference)", "0.5");
        assertRejected(() -> ScheduleSpec.parse("explicit:betas=[0.1,2,0.3]"), "betas[1] (schedule explicit)", "2");
        assertRejected(() -> ScheduleSpec.parse("explicit:betas=0.1"), "betas (schedule explicit)", "0.1");
        assertRejected(() -> ScheduleSpec.parse("explicit:betas=[]"), "betas (schedule explicit)", "[]");
        assertRejected(() -> ScheduleSpec.parse("learned:from=cosine,maxBeta=2"), "maxBeta (schedule learned)", "2");
    }

    @Test
    @DisplayName("checks that need T or two values run in build, naming the parameter")
    void buildChecks() {
        assertRejected(() -> ScheduleSpec.parse("log-snr-linear:beta1=0.5,snrT=2").build(40), "snrT", "2");
        assertRejected(() -> ScheduleSpec.parse("two-piece:lambdaMid=20").build(40), "lambdaMid", "20");
        assertRejected(() -> ScheduleSpec.parse("two-piece:stepsToMid=39").build(40), "stepsToMid", "39");
        assertRejected(() -> ScheduleSpec.parse("sigmoid:start=3,end=-3").build(40), "start", "3");
        assertRejected(() -> ScheduleSpec.parse("explicit:betas=[0.1,0.2]").build(3), "T", "3");
        assertRejected(() -> ScheduleSpec.parse("linear").build(10), "T", "10");
        assertRejected(() -> ScheduleSpec.parse("cosine").build(0), "T", "0");
        assertRejected(() -> ScheduleSpec.parse("learned:from=binomial-paper").build(40), "from (schedule learned)", "binomial-paper");
        assertEquals(10, ScheduleSpec.parse("linear:scaled=false").build(10).T(), "unscaled linear works at any T >= 2");
    }
}
