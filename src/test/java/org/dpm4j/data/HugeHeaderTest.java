package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.dpm4j.testing.BadInput;
import org.dpm4j.testing.BadInput.Thrown;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files whose header claims far more data than the file holds: each loader refuses them naming the file and
 * the claimed length, having allocated a small fraction of that length (measured with the thread's allocation
 * counter), instead of allocating what the header says and ending in OutOfMemoryError under a 1 GB heap.
 */
class HugeHeaderTest {
    /** Generous allowance for buffers, exception text and class loading; every claim below is at least 16 times it. */
    static final long SMALL = 64L << 20;

    @TempDir Path dir;

    private static byte[] idxHeader(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    @Test
    @DisplayName("IDX: a plain file of 8 bytes claiming 2^30 values, and one claiming dimension 0x7fff0000, are refused before allocating")
    void idxPlain() throws Exception {
        for (int claim : new int[] {1 << 30, 0x7fff0000}) {
            Path p = dir.resolve("claim-" + claim);
            Files.write(p, idxHeader(claim));
            Thrown<CorruptDataException> t = BadInput.thrownWithAllocation(CorruptDataException.class, () -> Idx.read(p));
            assertTrue(t.message().startsWith(p.toString()) && t.message().contains("expected " + claim + " bytes")
                    && t.message().contains("the file has 8 bytes"), t.message());
            assertEquals(8, t.exception().offset(), "the data ends at the end of the 8-byte file");
            assertTrue(t.allocatedBytes() < SMALL, "allocated " + t.allocatedBytes() + " bytes for a claim of " + claim);
        }
    }

    @Test
    @DisplayName("IDX: dimensions whose product exceeds a Java array are refused at the dimension that overflows")
    void idxBeyondIntRange() throws Exception {
        Path p = dir.resolve("wide");
        Files.write(p, idxHeader(1 << 16, 1 << 16, 1));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Idx.read(p));
        assertEquals(8, e.offset(), "the second dimension, at byte 8, makes the product 2^32");
        assertTrue(e.getMessage().contains("[65536, 65536]") && e.getMessage().contains("largest Java array"), e.getMessage());
    }

    @Test
    @DisplayName("IDX gzip: a claim beyond deflate's 1032-fold expansion is refused; a plausible one reads only what arrives")
    void idxGzip() throws Exception {
        Path small = dir.resolve("small.gz");
        Files.write(small, TestData.gzip(idxHeader(1 << 30)));
        Thrown<CorruptDataException> t = BadInput.thrownWithAllocation(CorruptDataException.class, () -> Idx.read(small));
        assertTrue(t.message().startsWith(small.toString()) && t.message().contains("claims " + (1 << 30))
                && t.message().contains("1032"), t.message());
        assertTrue(t.allocatedBytes() < SMALL, "allocated " + t.allocatedBytes());

        // 4 MB of incompressible bytes: 1032 x the file size exceeds the claim, so only reading can tell it is short
        byte[] body = new byte[4 << 20];
        new SplittableRandom(7).nextBytes(body);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(idxHeader(0x7fff0000));
        raw.write(body);
        Path big = dir.resolve("big.gz");
        Files.write(big, TestData.gzip(raw.toByteArray()));
        Thrown<CorruptDataException> u = BadInput.thrownWithAllocation(CorruptDataException.class, () -> Idx.read(big));
        assertTrue(u.message().contains("truncated: expected " + 0x7fff0000 + " bytes")
                && u.message().contains("data ends after " + body.length), u.message());
        assertEquals(8 + body.length, u.exception().offset());
        assertTrue(u.allocatedBytes() < 0x7fff0000L / 16, "allocated " + u.allocatedBytes() + " bytes to find "
                + body.length + " bytes of data");
    }

    /** One-entry tar whose header's size field says {@code size} (octal text as given), checksum recomputed. */
    private static byte[] tarClaiming(String sizeField) throws Exception {
        byte[] tar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                TestData.tarGz(Map.of("a.bin", new byte[] {1, 2, 3})))).readAllBytes();
        java.util.Arrays.fill(tar, 124, 136, (byte) 0);
        byte[] s = sizeField.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, tar, 124, s.length);
        java.util.Arrays.fill(tar, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[i] & 0xff;
        byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, tar, 148, c.length);
        return tar;
    }

    @Test
    @DisplayName("tar: an entry claiming 1 GB or 64 GB in a small archive, plain or gzipped, and a negative size, are refused")
    void tar() throws Exception {
        for (String field : new String[] {"10000000000", "777777777777"}) { // 2^30 and 2^36 - 1 bytes
            long claim = Long.parseLong(field, 8);
            Path plain = dir.resolve("t-" + field + ".tar"), gz = dir.resolve("t-" + field + ".tar.gz");
            Files.write(plain, tarClaiming(field));
            Files.write(gz, TestData.gzip(tarClaiming(field)));
            for (Path p : new Path[] {plain, gz}) {
                Thrown<CorruptDataException> t = BadInput.thrownWithAllocation(CorruptDataException.class,
                        () -> Tar.extract(p, dir.resolve("out")));
                assertTrue(t.message().startsWith(p.toString()) && t.message().contains(Long.toString(claim)), t.message());
                assertTrue(t.allocatedBytes() < SMALL, "allocated " + t.allocatedBytes() + " for " + p);
            }
        }
        Path negative = dir.resolve("negative.tar");
        Files.write(negative, tarClaiming("-1"));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Tar.extract(negative, dir.resolve("out")));
        assertEquals(124, e.offset());
        assertTrue(e.getMessage().contains("entry size -1, expected >= 0"), e.getMessage());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A valid PNG header for a grey 8-bit image of width x height, with one short row of image data. */
    private static byte[] pngClaiming(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater())) {
            d.write(new byte[17]);
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    @Test
    @DisplayName("image: a PNG header claiming more pixels than an array or this heap holds is refused before decoding")
    void picture() throws Exception {
        Path ok = dir.resolve("ok.png");
        Files.write(ok, pngClaiming(4, 1));
        Path wide = dir.resolve("wide.png");
        Files.write(wide, pngClaiming(50_000, 50_000)); // 2.5e9 pixels: no Java array holds them
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Picture.read(wide));
        assertTrue(e.getMessage().startsWith(wide.toString()) && e.getMessage().contains("50000 x 50000"), e.getMessage());

        // within array range but beyond this JVM's heap (or, with a heap over ~20 GB, beyond the array range)
        long pixels = Runtime.getRuntime().maxMemory() / Picture.BYTES_PER_PIXEL + 1;
        int w = 20_000, h = (int) Math.min(Integer.MAX_VALUE, (pixels + w - 1) / w);
        Path tall = dir.resolve("tall.png");
        Files.write(tall, pngClaiming(w, h));
        Thrown<CorruptDataException> t = BadInput.thrownWithAllocation(CorruptDataException.class, () -> Picture.read(tall));
        assertTrue(t.message().contains(w + " x " + h), t.message());
        assertTrue(t.allocatedBytes() < SMALL, "allocated " + t.allocatedBytes());
    }
}
