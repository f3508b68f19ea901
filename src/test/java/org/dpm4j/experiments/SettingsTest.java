package org.dpm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.dpm4j.experiments.Profile;
import org.dpm4j.schedule.ScheduleSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Named settings, the seed rule and the registry. */
class SettingsTest {
    @Test
    @DisplayName("every registered experiment's settings round-trip by name: describe, then rebuild each setting from its text, gives equal settings")
    void describeRoundTrips() {
        for (Experiment<?> e : Experiments.all().values()) {
            for (Profile p : Profile.values()) roundTrip(e.settings(p));
        }
    }

    private static <C extends Record> void roundTrip(C c) {
        Map<String, String> text = Settings.describe(c);
        assertEquals(Settings.names(c.getClass()), java.util.List.copyOf(text.keySet()));
        C rebuilt = Settings.with(c, text);
        assertEquals(Settings.describe(c), Settings.describe(rebuilt), c.getClass().getName());
    }

    @Test
    @DisplayName("changing one setting by name changes that setting only; numbers as people write them (1e-3, 10_000)")
    void changeByName() {
        var c = SwissRollExperiment.Config.of(Profile.STANDARD);
        var d = Settings.with(c, "steps", "10_000");
        assertEquals(c, d);
        var e = Settings.with(c, Map.of("learningRate", "1e-3"));
        assertEquals(1e-3, e.learningRate());
        Map<String, String> a = Settings.describe(c), b = Settings.describe(e);
        a.remove("learningRate");
        b.remove("learningRate");
        assertEquals(a, b);
        assertEquals(SwissRollExperiment.Covariance.FULL, Settings.with(c, "covariance", "full").covariance());
        assertEquals(ScheduleSpec.parse("cosine"), Settings.with(c, "schedule", "cosine").schedule());
    }

    @Test
    @DisplayName("bad names and values are refused naming the setting, the value and what was expected")
    void refusals() {
        var c = SwissRollExperiment.Config.of(Profile.QUICK);
        var name = assertThrows(IllegalArgumentException.class, () -> Settings.with(c, "stesp", "3"));
        assertTrue(name.getMessage().startsWith("setting = stesp, expected one of [T, schedule"), name.getMessage());
        var whole = assertThrows(IllegalArgumentException.class, () -> Settings.with(c, "steps", "2.5"));
        assertTrue(whole.getMessage().startsWith("setting steps = 2.5, expected a whole number"), whole.getMessage());
        var enumValue = assertThrows(IllegalArgumentException.class, () -> Settings.with(c, "covariance", "diag"));
        assertTrue(enumValue.getMessage().contains("one of [diagonal, full]"), enumValue.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Settings.build(SwissRollExperiment.Config.class, "T", 40));
        assertTrue(missing.getMessage().startsWith("setting schedule of Config = (missing)"), missing.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> Settings.with(c, "batch", "0"));
        assertTrue(range.getMessage().startsWith("batch = 0"), range.getMessage());
    }

    @Test
    @DisplayName("seeds: each named stream is a fixed function of the root; streams and roots give distinct seeds; FNV-1a matches its published test value")
    void seeds() {
        assertEquals(0xaf63dc4c8601ec8cL, Seeds.fnv1a("a"));   // FNV-1a 64-bit of "a", the reference value
        Seeds s = new Seeds(1);
        assertEquals(s.data(), new Seeds(1).of("data"));
        Set<Long> all = new HashSet<>();
        for (long root = 0; root < 100; root++) {
            Seeds r = new Seeds(root);
            for (String name : new String[] {"data", "model", "training", "bound", "eq9", "samples"}) all.add(r.of(name));
        }
        assertEquals(600, all.size(), "600 streams, 600 distinct seeds");
        assertNotEquals(new Seeds(1).data(), new Seeds(2).data());
        assertThrows(IllegalArgumentException.class, () -> s.of(" "));
    }

    @Test
    @DisplayName("the registry finds experiments by name and refuses an unknown name listing the names there are")
    void registry() {
        assertEquals("swiss-roll", Experiments.get("swiss-roll").name());
        assertEquals(SwissRollExperiment.Config.class, Experiments.get("swiss-roll").settingsType());
        var e = assertThrows(IllegalArgumentException.class, () -> Experiments.get("cifar"));
        assertTrue(e.getMessage().contains("expected one of [swiss-roll, heartbeat"), e.getMessage());
    }
}
