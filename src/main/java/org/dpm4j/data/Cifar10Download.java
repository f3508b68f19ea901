package org.dpm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads the CIFAR-10 binary archive into the data cache, verifies its published MD5 checksum and extracts the
 * batches. An interrupted download leaves name.part behind and the next call resumes it with an HTTP Range request;
 * a checksum mismatch deletes the partial file and fails, naming both checksums; a corrupt archive fails with the
 * byte offset. Nothing is downloaded at run time on this project's machines (the host is not reachable here):
 * tests run it against a local server.
 */
public final class Cifar10Download {
    /** Where to get an archive and the checksum its publisher gives for it. */
    public record Source(URI url, String md5, String archiveName) {
        public Source {
            if (md5 == null || !md5.matches("[0-9a-f]{32}")) throw org.dpm4j.util.Check.bad("md5", md5, "32 lower-case hex digits");
            if (archiveName == null || archiveName.isBlank() || archiveName.contains("/"))
                throw org.dpm4j.util.Check.bad("archiveName", archiveName, "a plain file name");
        }
    }

    /** The official binary version (Krizhevsky 2009), with the MD5 published on its page. */
    public static final Source OFFICIAL = new Source(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            "c32a1d4ab5d03f1284b67883e8d87530", "cifar-10-binary.tar.gz");

    private static final String DONE = ".extracted";

    private Cifar10Download() {}

    /** The official archive into DataCache.root()/cifar-10; returns the directory of the batch files. */
    public static Path fetch() {
        return fetch(OFFICIAL, DataCache.root().resolve("cifar-10"),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    /**
     * Ensures dir/cifar-10-batches-bin holds the extracted batches of source: does nothing when a previous call
     * finished, else downloads (or resumes) dir/archiveName, checks its MD5 and extracts it.
     */
    public static Path fetch(Source source, Path dir, HttpClient client) {
        Path batches = dir.resolve(Cifar10.BATCH_DIR);
        if (Files.exists(batches.resolve(DONE))) return batches;
        Path archive = dir.resolve(source.archiveName());
        try {
            Files.createDirectories(dir);
            if (!Files.exists(archive) || !md5(archive).equals(source.md5())) {
                Files.deleteIfExists(archive);
                download(source, archive, client);
            }
            Tar.extract(archive, dir);
            for (int b = 1; b <= 5; b++) Cifar10.readBatch(requireBatch(batches, "data_batch_" + b + ".bin", archive));
            Cifar10.readBatch(requireBatch(batches, "test_batch.bin", archive));
            Files.writeString(batches.resolve(DONE), source.url() + " md5 " + source.md5() + "\n");
            return batches;
        } catch (IOException e) {
            throw new UncheckedIOException("CIFAR-10 download into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static Path requireBatch(Path batches, String name, Path archive) {
        Path p = batches.resolve(name);
        if (!Files.exists(p)) throw new CorruptDataException(archive, 0, "the archive has no " + Cifar10.BATCH_DIR + "/" + name);
        return p;
    }

    private static void download(Source source, Path archive, HttpClient client) throws IOException {
        Path part = archive.resolveSibling(archive.getFileName() + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(source.url()).timeout(Duration.ofSeconds(60)).GET();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot reach " + source.url() + " (" + e + ")"
                    + (have > 0 ? "; " + have + " bytes kept in " + part + " for a resume" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + source.url(), e);
        }
        int status = resp.statusCode();
        boolean append;
        if (status == 206 && have > 0) append = true;
        else if (status == 200) append = false;                 // server ignored the range: start over
        else if (status == 416 && have > 0) append = true;      // nothing left to send: the part may be complete
        else {
            resp.body().close();
            throw new IOException("HTTP " + status + " from " + source.url() + ", expected 200"
                    + (have > 0 ? " or 206 (resuming at byte " + have + ")" : ""));
        }
        long written = append ? have : 0;
        if (status != 416) {
            try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    out.write(buf, 0, r);
                    written += r;
                }
            } catch (IOException e) {
                throw new IOException("download of " + source.url() + " interrupted after " + written + " bytes ("
                        + e + "); they are kept in " + part + " and the next fetch resumes from there", e);
            }
        } else {
            resp.body().close();
        }
        String got = md5(part);
        if (!got.equals(source.md5())) {
            Files.delete(part);
            throw new IOException("checksum mismatch for " + source.url() + ": md5 " + got + ", expected the published "
                    + source.md5() + "; the " + written + " downloaded bytes were deleted, fetch again to retry");
        }
        Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING);
    }

    /** MD5 of a file as 32 lower-case hex digits. */
    static String md5(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) >= 0) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
