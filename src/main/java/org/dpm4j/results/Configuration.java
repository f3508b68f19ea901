package org.dpm4j.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dpm4j.util.Check;

/**
 * A run's configuration as structured provenance: a sorted map from field name to value, so two rows can be compared
 * field by field (Tribuo's provenance idea) and the map survives the run log as JSON.
 */
public final class Configuration {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

    private Configuration() {}

    /**
     * The components of a configuration record as field -> value strings. A nested record becomes dotted names
     * ({@code net.hidden}); arrays print as {@code [50, 50, 50]}; enums by name; null as "null".
     */
    public static SortedMap<String, String> of(Record config) {
        if (config == null) throw Check.bad("config", null, "a configuration record");
        TreeMap<String, String> out = new TreeMap<>();
        flatten("", config, out);
        return Collections.unmodifiableSortedMap(out);
    }

    /** An unmodifiable sorted copy, every key non-blank and every value non-null (names the bad entry). */
    public static SortedMap<String, String> copy(Map<String, String> config) {
        if (config == null) throw Check.bad("configuration", null, "a map of field -> value (may be empty)");
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) throw Check.bad("configuration key", e.getKey(), "a field name");
            if (e.getValue() == null) throw Check.bad("configuration[" + e.getKey() + "]", null, "a value string");
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The map as a JSON object with keys in sorted order, e.g. {@code {"T":"40","beta1":"1.0E-5"}}. */
    public static String toJson(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings did not serialise", e);
        }
    }

    /** Reads {@link #toJson}'s output; anything else is rejected naming the text. */
    public static SortedMap<String, String> fromJson(String json) {
        try {
            return copy(JSON.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw Check.bad("configuration", json, "a JSON object of field -> string value (" + e.getOriginalMessage() + ")");
        }
    }

    /** The map on one line, {@code k=v, k=v}, for tables meant for reading. */
    public static String compact(Map<String, String> config) {
        StringBuilder sb = new StringBuilder();
        config.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static void flatten(String prefix, Object value, TreeMap<String, String> out) {
        if (value instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v;
                try {
                    c.getAccessor().setAccessible(true);
                    v = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
                }
                flatten(prefix.isEmpty() ? c.getName() : prefix + "." + c.getName(), v, out);
            }
        } else {
            out.put(prefix, render(value));
        }
    }

    private static String render(Object v) {
        if (v == null) return "null";
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof int[] a) return Arrays.toString(a);
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof double[] a) return Arrays.toString(a);
        if (v instanceof Object[] a) return Arrays.deepToString(a);
        if (v instanceof Collection<?> c) return c.toString();
        return String.valueOf(v);
    }
}
