package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class Cifar10Test {
    @TempDir Path dir;

    @Test
    @DisplayName("a batch of 3,073-byte records reads back its labels and pixel bytes")
    void readBatch() throws Exception {
        Path f = dir.resolve("b.bin");
        Files.write(f, TestData.cifarBatch(4, 20));
        Cifar10.Batch b = Cifar10.readBatch(f);
        assertEquals(4, b.count());
        assertArrayEquals(new int[] {0, 1, 2, 3}, b.labels());
        assertEquals((byte) ((22 * 7 + 1000) % 256), b.images()[2 * 3072 + 1000]);
    }

    @Test
    @DisplayName("a batch cut inside a record fails at the offset where that record starts")
    void truncatedRecord() throws Exception {
        byte[] full = TestData.cifarBatch(3, 0);
        Path f = dir.resolve("cut.bin");
        Files.write(f, java.util.Arrays.copyOf(full, 2 * Cifar10.RECORD + 100));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10.readBatch(f));
        assertEquals(2L * Cifar10.RECORD, e.offset());
        assertTrue(e.getMessage().contains("truncated record 2"), e.getMessage());
    }

    @Test
    @DisplayName("a label outside 0..9 fails at its record's offset")
    void badLabel() throws Exception {
        byte[] b = TestData.cifarBatch(3, 0);
        b[Cifar10.RECORD] = 10;
        Path f = dir.resolve("label.bin");
        Files.write(f, b);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10.readBatch(f));
        assertEquals(Cifar10.RECORD, e.offset());
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    @DisplayName("load: five training batches and the test batch, channel-major (red plane first), limits honoured")
    void load() throws Exception {
        writeBatches(dir, 3);
        DataSet ds = Cifar10.load(dir, 100, 100);
        assertEquals(15, ds.train().rows());
        assertEquals(3, ds.test().rows());
        assertEquals(3, ds.channels());
        assertEquals(1024, ds.pixels());
        INDArray x = ds.scaling().toStored(ds.train());
        int rec = 4 * 3 + 1; // batch 5, record 1
        int j = Cifar10.SHAPE.index(2, 5, 7); // blue, row 5, column 7
        assertEquals(((rec * 7 + j) % 256) / 255.0, x.getDouble(rec, j), 1e-12);
        assertEquals(rec % 10, ds.trainLabels()[rec]);
        assertEquals(7, Cifar10.load(dir, 7, 2).train().rows());
    }

    @Test
    @DisplayName("missing batches name the path and say CIFAR-10 is not packaged, pointing at the stand-in")
    void missing() {
        MissingDataException e = assertThrows(MissingDataException.class, () -> Cifar10.load(dir, 10, 10));
        assertTrue(e.getMessage().contains(dir.resolve("data_batch_1.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("StandIns.photoPatches"), e.getMessage());
    }

    /** data_batch_1..5.bin and test_batch.bin with n records each, record indices running on across batches. */
    static void writeBatches(Path dir, int n) throws Exception {
        for (int b = 1; b <= 5; b++) Files.write(dir.resolve("data_batch_" + b + ".bin"), TestData.cifarBatch(n, (b - 1) * n));
        Files.write(dir.resolve("test_batch.bin"), TestData.cifarBatch(n, 0));
    }
}
