package org.dpm4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An export for the PyTorch side: manifest.json (scalar fields, one list, and the arrays) and the little-endian raw
 * arrays it names, in one directory. Hand-written: the format is this benchmark's own, read by torch_bench.py and
 * torch_image_bench.py.
 */
class Manifest {
    private final Path dir;
    private final List<String> fields = new ArrayList<>(), arrays = new ArrayList<>();

    Manifest(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field: doubles to 17 significant digits, anything else as its string (quote strings yourself). */
    Manifest field(String name, Object value) {
        String v = value instanceof Double x ? String.format(Locale.ROOT, "%.17g", x) : String.valueOf(value);
        fields.add("\"" + name + "\": " + v);
        return this;
    }

    void f64(String name, double[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        put(name, "f64", b, shape);
    }

    void f32(String name, float[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        put(name, "f32", b, shape);
    }

    private void put(String name, String type, ByteBuffer b, long[] shape) {
        String file = name + "." + type;
        try {
            Files.write(dir.resolve(file), b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        arrays.add(String.format("\"%s\": {\"file\": \"%s\", \"dtype\": \"%s\", \"shape\": %s}", name, file, type, Arrays.toString(shape)));
    }

    /** Writes manifest.json: the fields, {@code list} under {@code listName} (JSON values), then the arrays. */
    void write(String listName, List<String> list) {
        String json = "{" + String.join(", ", fields) + ",\n\"" + listName + "\": [" + String.join(", ", list) + "],\n\"arrays\": {"
                + String.join(",\n", arrays) + "}}\n";
        try {
            Files.writeString(dir.resolve("manifest.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
