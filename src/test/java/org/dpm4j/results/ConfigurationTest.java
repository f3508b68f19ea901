package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    enum Kind { FULL }

    record Net(int hidden, double scale) {}

    record Config(int T, double beta1, Kind kind, int[] widths, Net net, String name, List<String> tags) {}

    @Test
    @DisplayName("a record flattens to sorted field -> value strings: nested records dotted, arrays and lists printed, enums by name")
    void flattensRecords() {
        SortedMap<String, String> m = Configuration.of(new Config(40, 1e-5, Kind.FULL, new int[] {50, 50},
                new Net(16, 0.5), null, List.of("a", "b")));
        assertEquals(new TreeMap<>(Map.of("T", "40", "beta1", "1.0E-5", "kind", "FULL", "widths", "[50, 50]",
                "net.hidden", "16", "net.scale", "0.5", "name", "null", "tags", "[a, b]")), m);
        assertEquals(List.copyOf(m.keySet()), m.keySet().stream().sorted().toList());
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", "y"));
    }

    @Test
    @DisplayName("JSON round trip preserves every entry, including quotes, backslashes, newlines and non-ASCII; keys come out sorted")
    void jsonRoundTrip() {
        Map<String, String> m = Map.of("z", "last", "a", "say \"hi\", \\ then\nnext", "β", "1e-5 ≈ small");
        String json = Configuration.toJson(m);
        assertTrue(json.indexOf("\"a\"") < json.indexOf("\"z\"") && json.indexOf("\"z\"") < json.indexOf("\"β\""), json);
        assertEquals(new TreeMap<>(m), Configuration.fromJson(json));
        assertEquals(Map.of(), Configuration.fromJson(Configuration.toJson(Map.of())));
    }

    @Test
    @DisplayName("text that is not a JSON object of strings is rejected naming configuration; a blank key or null value too")
    void rejects() {
        var e = assertThrows(IllegalArgumentException.class, () -> Configuration.fromJson("[1, 2]"));
        assertTrue(e.getMessage().startsWith("configuration = [1, 2], expected a JSON object"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Configuration.fromJson("{\"a\": "));
        var m = new TreeMap<String, String>();
        m.put(" ", "v");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Configuration.copy(m)).getMessage()
                .startsWith("configuration key"));
        var n = new java.util.HashMap<String, String>();
        n.put("T", null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Configuration.copy(n)).getMessage()
                .startsWith("configuration[T] = null"));
    }

    @Test
    @DisplayName("compact() prints k=v pairs in key order")
    void compact() {
        assertEquals("T=40, beta1=1e-05", Configuration.compact(new TreeMap<>(Map.of("beta1", "1e-05", "T", "40"))));
    }
}
