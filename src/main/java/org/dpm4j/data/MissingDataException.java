package org.dpm4j.data;

import java.nio.file.Path;

/** A data file that is not installed; the message names the path and the command that installs it. */
public final class MissingDataException extends RuntimeException {
    private final Path path;

    public MissingDataException(Path path, String what, String howToGet) {
        super("missing " + what + ": " + path + " does not exist. " + howToGet);
        this.path = path;
    }

    public Path path() { return path; }
}
