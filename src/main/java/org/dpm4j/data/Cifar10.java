package org.dpm4j.data;

import java.nio.file.Path;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CIFAR-10 from its standard binary batches: records of 3,073 bytes, a label 0..9 then 3 x 32 x 32 bytes (red,
 * green, blue planes, rows top to bottom). data_batch_1..5.bin are the 50,000 training images, test_batch.bin the
 * 10,000 held-out ones. The data is not packaged anywhere reachable from this machine: {@link Cifar10Download}
 * fetches the official archive where the internet is reachable; here the labelled stand-in is
 * {@link StandIns#photoPatches}.
 */
public final class Cifar10 {
    public static final ImageShape SHAPE = ImageShape.colour(32, 32);
    public static final int RECORD = 1 + 3 * 32 * 32;
    public static final String BATCH_DIR = "cifar-10-batches-bin";

    private Cifar10() {}

    /** The images (row-major records without labels, 3072 bytes each) and labels of one batch file. */
    public record Batch(byte[] images, int[] labels) {
        public int count() { return labels.length; }
    }

    /** Reads one batch file; its length must be a whole number of records and every label 0..9. */
    public static Batch readBatch(Path file) {
        DataCache.require(file, "CIFAR-10 batch file", HOW_TO_GET);
        try (ByteReader r = ByteReader.open(file, "CIFAR-10 batch file")) {
            java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
            java.util.List<Integer> labels = new java.util.ArrayList<>();
            int first;
            while ((first = r.read()) >= 0) {
                long at = r.offset() - 1;
                if (first > 9) throw new CorruptDataException(file, at, "label " + first + " of record " + labels.size() + ", expected 0..9");
                byte[] px;
                try {
                    px = r.readFully(RECORD - 1, "pixels");
                } catch (CorruptDataException e) {
                    throw new CorruptDataException(file, at, "truncated record " + labels.size() + ": the file ends "
                            + "inside it; a batch is a whole number of " + RECORD + "-byte records", e);
                }
                images.writeBytes(px);
                labels.add(first);
            }
            if (labels.isEmpty()) throw new CorruptDataException(file, 0, "empty batch file, expected " + RECORD + "-byte records");
            return new Batch(images.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** The full data set from the cache (cifar-10/cifar-10-batches-bin), as downloaded by {@link Cifar10Download}. */
    public static DataSet load() { return load(DataCache.root().resolve("cifar-10").resolve(BATCH_DIR), Integer.MAX_VALUE, Integer.MAX_VALUE); }

    /**
     * Reads dir/data_batch_1..5.bin and dir/test_batch.bin, keeping at most maxTrain and maxTest images (in file
     * order; 50,000 x 3,072 doubles is 1.2 GB).
     */
    public static DataSet load(Path dir, int maxTrain, int maxTest) {
        if (dir == null) throw Check.bad("dir", null, "the directory of the CIFAR-10 batch files");
        Check.positive("maxTrain", maxTrain);
        Check.positive("maxTest", maxTest);
        java.io.ByteArrayOutputStream train = new java.io.ByteArrayOutputStream();
        java.util.List<int[]> trainLabels = new java.util.ArrayList<>();
        int n = 0;
        for (int b = 1; b <= 5 && n < maxTrain; b++) {
            Batch batch = readBatch(DataCache.require(dir.resolve("data_batch_" + b + ".bin"), "CIFAR-10 batch", HOW_TO_GET));
            int take = Math.min(batch.count(), maxTrain - n);
            train.write(batch.images(), 0, take * (RECORD - 1));
            trainLabels.add(java.util.Arrays.copyOf(batch.labels(), take));
            n += take;
        }
        Batch test = readBatch(DataCache.require(dir.resolve("test_batch.bin"), "CIFAR-10 batch", HOW_TO_GET));
        int m = Math.min(test.count(), maxTest);
        INDArray trainX = Pixels.unit(train.toByteArray(), 0, n, RECORD - 1);
        INDArray testX = Pixels.unit(test.images(), 0, m, RECORD - 1);
        int[] ytrain = trainLabels.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        return DataSet.fromStored("cifar-10", "CIFAR-10 (binary batches in " + dir + ")", false, SHAPE, trainX, testX,
                ytrain, java.util.Arrays.copyOf(test.labels(), m), true);
    }

    static final String HOW_TO_GET = "CIFAR-10 is not packaged for Debian or npm: Cifar10Download.fetch() downloads the "
            + "official archive into the data cache where the internet is reachable; without it, use the labelled "
            + "stand-in StandIns.photoPatches() (which is not CIFAR-10).";
}
