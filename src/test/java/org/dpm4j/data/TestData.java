package org.dpm4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Assumptions;

/** Small files written by the tests themselves, and the assumption that guards real-data tests. */
final class TestData {
    private TestData() {}

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A ustar archive of the given regular files (name -> content), gzipped. */
    static byte[] tarGz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, e.getKey());
            put(h, 100, "0000644\0");
            put(h, 108, "0000000\0");
            put(h, 116, "0000000\0");
            put(h, 124, String.format("%011o\0", e.getValue().length));
            put(h, 136, "00000000000\0");
            h[156] = '0';
            put(h, 257, "ustar\0");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            long sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o\0 ", sum));
            tar.write(h);
            tar.write(e.getValue());
            tar.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        return gzip(tar.toByteArray());
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** n CIFAR records: label i % 10, pixel j of record i = (i * 7 + j) % 256. */
    static byte[] cifarBatch(int n, int firstIndex) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int i = 0; i < n; i++) {
            int rec = firstIndex + i;
            b[i * Cifar10.RECORD] = (byte) (rec % 10);
            for (int j = 0; j < Cifar10.RECORD - 1; j++) b[i * Cifar10.RECORD + 1 + j] = (byte) ((rec * 7 + j) % 256);
        }
        return b;
    }

    /** Skips (with the reason) when packaged data is not installed in the data cache. */
    static Path installed(String relative) {
        Path p = DataCache.root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), () -> "real data not installed: " + p
                + " is missing (run environment/setup.sh, which runs environment/fetch-data.sh)");
        return p;
    }
}
