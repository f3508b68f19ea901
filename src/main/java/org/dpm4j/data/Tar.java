package org.dpm4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the regular files of a (gzipped) ustar/GNU tar archive such as the CIFAR-10 download. Header checksums
 * are verified; a bad header, a truncated entry or bad gzip is a {@link CorruptDataException} with the offset in
 * the decompressed stream. Entry names that would escape the destination (absolute, "..") are refused.
 */
final class Tar {
    private static final int BLOCK = 512;

    private Tar() {}

    /** Extracts every regular file into dest (creating directories); returns the extracted paths. */
    static List<Path> extract(Path archive, Path dest) {
        List<Path> out = new ArrayList<>();
        try (ByteReader r = ByteReader.open(archive, "tar archive")) {
            String longName = null;
            while (true) {
                long at = r.offset();
                byte[] h = r.readFully(BLOCK, "a tar header");
                if (allZero(h)) return out;
                checkHeader(archive, at, h);
                long size = octal(archive, at + 124, h, 124, 12);
                if (size < 0) throw new CorruptDataException(archive, at + 124, "entry size " + size + ", expected >= 0");
                char type = (char) h[156];
                // readFully checks the size against the archive's before allocating, and against the array limit
                byte[] body = r.readFully(size, "tar entry data (" + size + " bytes)");
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                r.readFully(pad, "tar padding");
                if (type == 'L') {                   // GNU long name for the next entry
                    longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                String name = longName != null ? longName : name(h);
                longName = null;
                if (type != '0' && type != '\0') continue; // directories, links, pax headers: not needed
                Path target = dest.resolve(name).normalize();
                if (name.startsWith("/") || !target.startsWith(dest.normalize()))
                    throw new CorruptDataException(archive, at, "entry name '" + name + "' escapes the destination directory");
                Files.createDirectories(target.getParent());
                Files.write(target, body);
                out.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write extracted files under " + dest, e);
        }
    }

    private static void checkHeader(Path archive, long at, byte[] h) {
        long stored = octal(archive, at + 148, h, 148, 8);
        long sum = 0, signed = 0; // some old tars summed signed bytes; both are accepted
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        if (sum != stored && signed != stored)
            throw new CorruptDataException(archive, at, "tar header checksum " + stored + ", computed " + sum + " (not a tar header)");
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix = "ustar".equals(cString(h, 257, 5)) ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long octal(Path archive, long offset, byte[] h, int from, int len) {
        String s = cString(h, from, len).trim();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new CorruptDataException(archive, offset, "tar header field '" + s + "' is not an octal number");
        }
    }

    private static String cString(byte[] h, int from, int len) {
        int end = from;
        while (end < from + len && h[end] != 0) end++;
        return new String(h, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }
}
