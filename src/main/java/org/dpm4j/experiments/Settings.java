package org.dpm4j.experiments;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.util.Check;

/**
 * Named settings for any experiment's configuration record: build one by component names
 * ({@code Settings.build(Config.class, "T", 40, "steps", 10_000, ...)}, never a row of positional numbers), list one
 * as name = value pairs (what a result row records), and change one setting by name from text
 * ({@code Settings.with(config, "steps", "2000")}: what the command line's {@code --set steps=2000}, {@code --T},
 * {@code --steps}, {@code --batch} and {@code --schedule} do, and what a notebook or an ablation loop can do the same
 * way). Hand-written on the JDK's record reflection, because it is this project's idea of a configuration: no library
 * maps text onto records' canonical constructors with these types.
 */
public final class Settings {
    private Settings() {}

    /** A record of type {@code type} from name, value pairs naming every component exactly once. */
    public static <C extends Record> C build(Class<C> type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw Check.bad("namesAndValues", namesAndValues.length + " items", "name, value pairs");
        RecordComponent[] rc = type.getRecordComponents();
        Object[] args = new Object[rc.length];
        boolean[] set = new boolean[rc.length];
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int k = index(type, String.valueOf(namesAndValues[i]));
            if (set[k]) throw Check.bad("setting " + rc[k].getName(), namesAndValues[i + 1], "one value (it is given twice)");
            args[k] = coerce(rc[k], namesAndValues[i + 1]);
            set[k] = true;
        }
        for (int k = 0; k < rc.length; k++) {
            if (!set[k]) throw Check.bad("setting " + rc[k].getName() + " of " + type.getSimpleName(), "(missing)", "a value: every setting is named");
        }
        return construct(type, args);
    }

    /** The same settings with some changed, by name = value pairs (values of the settings' own types, or text). */
    @SuppressWarnings("unchecked")
    public static <C extends Record> C change(C config, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw Check.bad("namesAndValues", namesAndValues.length + " items", "name, value pairs");
        Class<C> type = (Class<C>) config.getClass();
        RecordComponent[] rc = type.getRecordComponents();
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) args[i] = get(config, rc[i]);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int k = index(type, String.valueOf(namesAndValues[i]));
            args[k] = coerce(rc[k], namesAndValues[i + 1]);
        }
        return construct(type, args);
    }

    /** The settings as name = value text, in the record's order. */
    public static Map<String, String> describe(Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) out.put(c.getName(), text(get(config, c)));
        return out;
    }

    /** The names of a configuration type's settings. */
    public static java.util.List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /** The same settings with one changed, the value given as text (parsed by the setting's type). */
    @SuppressWarnings("unchecked")
    public static <C extends Record> C with(C config, String name, String value) {
        Class<C> type = (Class<C>) config.getClass();
        RecordComponent[] rc = type.getRecordComponents();
        int k = index(type, name);
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) args[i] = i == k ? parse(rc[k], value) : get(config, rc[i]);
        return construct(type, args);
    }

    /** The same settings with several changed (name = value text), in the map's order. */
    public static <C extends Record> C with(C config, Map<String, String> changes) {
        C c = config;
        for (var e : changes.entrySet()) c = with(c, e.getKey(), e.getValue());
        return c;
    }

    /** One setting's value as text, as {@link #describe} gives it. */
    public static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof int[] a) return Arrays.toString(a).replace(" ", "");
        if (v instanceof double[] a) return Arrays.toString(a).replace(" ", "");
        if (v instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT);
        return String.valueOf(v);
    }

    private static int index(Class<?> type, String name) {
        RecordComponent[] rc = type.getRecordComponents();
        for (int i = 0; i < rc.length; i++) if (rc[i].getName().equals(name)) return i;
        for (int i = 0; i < rc.length; i++) if (rc[i].getName().equalsIgnoreCase(name)) return i;
        throw Check.bad("setting", name, "one of " + names(type.asSubclass(Record.class)) + " (" + type.getSimpleName() + ")");
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read setting " + c.getName(), e);
        }
    }

    private static <C> C construct(Class<C> type, Object[] args) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<C> k = type.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;   // the record's own checks name the setting
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Object coerce(RecordComponent c, Object v) {
        Class<?> t = c.getType();
        if (v instanceof String s && t != String.class) return parse(c, s);
        if (t == double.class && v instanceof Number n) return n.doubleValue();
        if (t == long.class && v instanceof Number n) return n.longValue();
        if (t == int.class && v instanceof Integer n) return n;
        if (v != null && !box(t).isInstance(v)) throw Check.bad("setting " + c.getName(), v, "a " + t.getSimpleName());
        return v;
    }

    private static Class<?> box(Class<?> t) {
        if (t == int.class) return Integer.class;
        if (t == long.class) return Long.class;
        if (t == double.class) return Double.class;
        if (t == boolean.class) return Boolean.class;
        return t;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(RecordComponent c, String s) {
        Class<?> t = c.getType();
        String v = s.trim();
        try {
            if (t == String.class) return s;
            if (t == int.class) return (int) Math.round(parseNumber(v, true));
            if (t == long.class) return Long.parseLong(v.replace("_", ""));
            if (t == double.class) return parseNumber(v, false);
            if (t == boolean.class) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new NumberFormatException();
                return Boolean.parseBoolean(v);
            }
            if (t == ScheduleSpec.class) return ScheduleSpec.parse(v);
            if (t.isEnum()) return Enum.valueOf((Class) t, v.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (t == int[].class) {
                String body = v.replaceAll("[\\[\\]\\s]", "");
                return body.isEmpty() ? new int[0] : Arrays.stream(body.split(",")).mapToInt(x -> (int) Math.round(parseNumber(x, true))).toArray();
            }
            if (t == double[].class) {
                String body = v.replaceAll("[\\[\\]\\s]", "");
                return body.isEmpty() ? new double[0] : Arrays.stream(body.split(",")).mapToDouble(x -> parseNumber(x, false)).toArray();
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("expected")) throw e;   // a schedule spec's own message
            throw Check.bad("setting " + c.getName(), s, expected(t));
        }
        throw Check.bad("setting " + c.getName(), s, "a setting that can be given as text (its type " + t.getSimpleName() + " cannot)");
    }

    /** Numbers as people write them: 1e-3, 10_000, 10000; an integer setting must be a whole number. */
    private static double parseNumber(String v, boolean integer) {
        double d = Double.parseDouble(v.replace("_", ""));
        if (!Double.isFinite(d) || (integer && (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE))) throw new NumberFormatException(v);
        return d;
    }

    private static String expected(Class<?> t) {
        if (t == int.class) return "a whole number";
        if (t == long.class) return "a whole number";
        if (t == double.class) return "a finite number";
        if (t == boolean.class) return "true or false";
        if (t.isEnum()) return "one of " + Arrays.stream(t.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList();
        if (t == int[].class) return "a list of whole numbers such as [50,50,50]";
        if (t == double[].class) return "a list of numbers such as [1e-4,1e-3]";
        return "a " + t.getSimpleName();
    }
}
