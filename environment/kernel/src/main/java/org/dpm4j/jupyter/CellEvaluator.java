package org.dpm4j.jupyter;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * A JShell session that evaluates notebook cells: a cell is split into JShell's snippets, run one by one, and the
 * value of its last expression is returned as the object itself. Failures come back as a {@link CellError} that names
 * the cell's line and carries the Java message. Independent of Jupyter's messages, so it is tested on its own.
 */
final class CellEvaluator implements AutoCloseable {
    /** Imports the jshell tool starts with, so a cell written there runs here too. */
    static final List<String> DEFAULT_IMPORTS = List.of("java.io.*", "java.math.*", "java.net.*", "java.nio.file.*",
            "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*", "java.util.regex.*",
            "java.util.stream.*");

    private static final String INDENT = "    ";
    private static final int MAX_FRAMES = 30;

    /** Where a snippet came from: the cell (execution count) and the cell's line of the snippet's first line. */
    private record Origin(int cell, int firstLine) {}

    private final CellExecutionControl control;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    /** A session whose snippets see the given class path entries (a directory ending in "*" means its jars). */
    CellEvaluator(List<String> classPath) {
        CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
        this.control = provider.control();
        this.shell = JShell.builder().executionEngine(provider, Map.of()).build();
        this.analysis = shell.sourceCodeAnalysis();
        for (String entry : expand(classPath)) shell.addToClasspath(entry);
        for (String imp : DEFAULT_IMPORTS) shell.eval("import " + imp + ";");
    }

    /** The class path string's entries, with "dir/*" expanded to the jars in dir (as the java launcher does). */
    static List<String> expand(List<String> classPath) {
        List<String> out = new ArrayList<>();
        for (String entry : classPath) {
            if (entry.isBlank()) continue;
            if (entry.endsWith("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1).replaceAll("[/\\\\]$", "")).toAbsolutePath();
                if (!Files.isDirectory(dir)) continue;
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    List<String> found = new ArrayList<>();
                    jars.forEach(p -> found.add(p.toString()));
                    found.sort(null);
                    out.addAll(found);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot list class path folder " + dir, e);
                }
            } else {
                out.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return out;
    }

    /** Splits a class path string (File.pathSeparator) into entries. */
    static List<String> split(String classPath) {
        if (classPath == null || classPath.isBlank()) return List.of();
        return List.of(classPath.split(File.pathSeparator));
    }

    /**
     * Evaluates a cell and returns the value of its last snippet when that snippet is an expression (else
     * {@link Optional#empty()}; a null value is {@code Optional.of(NULL)}).
     *
     * @param cell the execution count, used to name the cell in tracebacks of later cells
     */
    Optional<Object> eval(String code, int cell) throws CellError {
        control.beginCell();
        String rest = code;
        Object value = null;
        boolean hasValue = false;
        while (true) {
            int start = code.length() - rest.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) break;
            String source = info.completeness().isComplete() ? info.source() : rest;
            String consumed = info.completeness().isComplete() ? rest.substring(0, rest.length() - info.remaining().length()) : rest;
            // JShell counts a snippet's lines (stack traces, diagnostics) from the first character it is given, so
            // it is given the snippet from its first code character and that character's cell line is remembered.
            int lead = codeStart(source);
            source = source.substring(lead);
            int firstLine = lineOf(code, start + codeStart(consumed));
            rest = info.completeness().isComplete() ? info.remaining() : "";
            List<SnippetEvent> events = shell.eval(source);
            if (control.stopRequested()) throw interrupted();
            hasValue = false;
            value = null;
            for (SnippetEvent e : events) {
                if (e.causeSnippet() != null) continue;  // updates of other snippets this one touched
                Snippet s = e.snippet();
                origins.put(s.id(), new Origin(cell, firstLine));
                if (e.exception() != null) throw runtimeError(e.exception());
                if (e.status() == Snippet.Status.REJECTED) throw compileError(s, source, firstLine);
                if (!e.status().isDefined()) {
                    // RECOVERABLE_NOT_DEFINED: a declaration that refers to something not yet declared
                    throw new CellError("CompilationError", "cell line " + firstLine + ": " + unresolved(s),
                            List.of("cell line " + firstLine + ": " + firstLineOf(source)));
                }
                if (isExpression(s)) {
                    value = control.takeLastValue();
                    hasValue = true;
                }
            }
            if (rest.isBlank()) break;
        }
        return hasValue ? Optional.of(value == null ? NULL : value) : Optional.empty();
    }

    /** Stands for a null value, which Optional cannot hold. */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** Stops the running cell (from another thread); a no-op between cells. */
    void interrupt() { control.stop(); }

    /** Completion candidates at the cursor: the replacement texts and the range [start, cursor) they replace. */
    record Completion(List<String> matches, int start, int end) {}

    Completion complete(String code, int cursor) {
        int segment = segmentStart(code, cursor);
        String text = code.substring(segment, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(text, text.length(), anchor);
        boolean anyTypeMatch = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        List<String> matches = suggestions.stream()
                .filter(s -> !anyTypeMatch || s.matchesType())
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completion(matches, segment + anchor[0], cursor);
    }

    /** Jupyter's is_complete status: "complete", "incomplete" (more lines expected), "invalid" or "unknown". */
    String isComplete(String code) {
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return "complete";
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    rest = info.remaining();
                    if (rest.isBlank()) return "complete";
                    break;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "incomplete";
                case UNKNOWN:
                    return "invalid";
                default:
                    return "unknown";
            }
        }
    }

    @Override
    public void close() {
        shell.close();
    }

    private int segmentStart(String code, int cursor) {
        int start = 0;
        while (start < cursor) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code.substring(start));
            if (!info.completeness().isComplete()) break;
            int end = code.length() - info.remaining().length();
            if (end >= cursor || end <= start) break;
            start = end;
        }
        return start;
    }

    private static boolean isExpression(Snippet s) {
        return s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || s.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND
                || s.subKind() == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
    }

    private CellError compileError(Snippet s, String source, int firstLine) {
        List<Diag> diags = shell.diagnostics(s).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) {
            return new CellError("CompilationError", "cell line " + firstLine + ": the snippet was rejected",
                    List.of("cell line " + firstLine + ": " + firstLineOf(source)));
        }
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            int pos = (int) Math.max(0, Math.min(d.getPosition(), source.length()));
            int line = firstLine + countNewlines(source, pos);
            String message = oneLine(d.getMessage(Locale.ROOT));
            if (first == null) first = "cell line " + line + ": " + message;
            tb.add("cell line " + line + ": " + message);
            int lineStart = source.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = source.indexOf('\n', pos);
            String text = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            tb.add(INDENT + text);
            tb.add(INDENT + " ".repeat(Math.max(0, pos - lineStart)) + "^");
        }
        return new CellError("CompilationError", first, tb);
    }

    private CellError runtimeError(JShellException ex) {
        String name;
        if (ex instanceof EvalException ee) name = ee.getExceptionClassName();
        else if (ex instanceof UnresolvedReferenceException ure) {
            return new CellError("UnresolvedReference", unresolved(ure.getSnippet()), List.of(unresolved(ure.getSnippet())));
        } else name = ex.getClass().getName();
        String message = ex.getMessage() == null ? "" : ex.getMessage();
        List<String> tb = new ArrayList<>();
        String where = null;
        Throwable t = ex;
        boolean top = true;
        while (t != null) {
            String cls = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
            tb.add((top ? "" : "Caused by: ") + cls + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            List<StackTraceElement> frames = userFrames(t.getStackTrace());
            int shown = 0;
            for (StackTraceElement f : frames) {
                if (shown++ == MAX_FRAMES) {
                    tb.add(INDENT + "... " + (frames.size() - MAX_FRAMES) + " more");
                    break;
                }
                String at = describe(f);
                if (top && where == null && at.contains("(cell")) where = at.substring(at.indexOf("(cell") + 1, at.length() - 1);
                tb.add(INDENT + "at " + at);
            }
            top = false;
            t = t.getCause();
        }
        String evalue = where == null ? message : message + " (" + where + ")";
        return new CellError(name, evalue, tb);
    }

    /** The frames up to the last snippet frame: below it lie only the kernel's reflection and thread frames. */
    private static List<StackTraceElement> userFrames(StackTraceElement[] trace) {
        int last = -1;
        for (int i = 0; i < trace.length; i++) if (isSnippetFrame(trace[i])) last = i;
        List<StackTraceElement> out = new ArrayList<>();
        for (int i = 0; i < trace.length && (last < 0 || i <= last); i++) out.add(trace[i]);
        return out;
    }

    private static boolean isSnippetFrame(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    /** A frame, with a snippet's file and line ("#12", 3) told as the cell and the cell's line. */
    private String describe(StackTraceElement f) {
        if (!isSnippetFrame(f)) return f.toString();
        Origin o = origins.get(f.getFileName().substring(1));
        String method = f.getMethodName().startsWith("do_it") ? "" : f.getMethodName();
        if (o == null) return method + "(snippet " + f.getFileName() + " line " + f.getLineNumber() + ")";
        int line = o.firstLine() + Math.max(0, f.getLineNumber() - 1);
        return method + "(cell [" + o.cell() + "] line " + line + ")";
    }

    private CellError interrupted() {
        return new CellError("Interrupted", "the cell was interrupted", List.of("Interrupted: the cell was interrupted"));
    }

    private String unresolved(Snippet s) {
        List<String> names = s instanceof jdk.jshell.DeclarationSnippet d
                ? shell.unresolvedDependencies(d).collect(Collectors.toList()) : List.of();
        return names.isEmpty() ? "cannot resolve " + firstLineOf(s.source())
                : "unresolved: " + String.join(", ", names) + " in " + firstLineOf(s.source());
    }

    private static String firstLineOf(String source) {
        String s = source.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    /** The offset of the first character that is neither white space nor inside a comment. */
    static int codeStart(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) i++;
            else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else break;
        }
        return i;
    }

    /** javac's message on one line, without the "location: class" of JShell's nameless wrapper. */
    private static String oneLine(String message) {
        return message.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.equals("location: class"))
                .collect(Collectors.joining("; "));
    }

    /** The 1-based line of a character offset. */
    static int lineOf(String text, int offset) { return 1 + countNewlines(text, offset); }

    private static int countNewlines(String text, int end) {
        int n = 0;
        for (int i = 0; i < Math.min(end, text.length()); i++) if (text.charAt(i) == '\n') n++;
        return n;
    }
}
