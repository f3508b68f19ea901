package org.dpm4j.jupyter;

import java.util.List;

/**
 * A cell that failed, as Jupyter shows it: {@code ename} (the Java exception's class, or "CompilationError",
 * "Interrupted"), {@code evalue} (the Java message, with the cell's line) and the traceback lines.
 */
final class CellError extends Exception {
    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = List.copyOf(traceback);
    }

    String ename() { return ename; }

    String evalue() { return evalue; }

    List<String> traceback() { return traceback; }
}
