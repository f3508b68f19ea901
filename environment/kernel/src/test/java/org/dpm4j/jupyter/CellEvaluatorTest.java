package org.dpm4j.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JShell side of the kernel: state across cells, values, error rendering, interrupt, completion. */
class CellEvaluatorTest {
    private static CellEvaluator shell;
    private static int cell;

    @BeforeAll
    static void start() { shell = new CellEvaluator(List.of()); }

    @AfterAll
    static void stop() { shell.close(); }

    private static Optional<Object> run(String code) throws CellError { return shell.eval(code, ++cell); }

    @Test
    void stateIsKeptAcrossCellsAndTheLastExpressionIsTheValue() throws CellError {
        assertEquals(Optional.empty(), run("int kept = 20;"), "a declaration has no value to show");
        assertEquals(Optional.of(21), run("kept + 1"));
        assertEquals(Optional.of(42), run("int twice = 2 * kept;\nString s = \"x\";\ntwice + 2"),
                "three snippets in one cell: the value is the last one's");
        assertEquals(Optional.of(CellEvaluator.NULL), run("String none = null; none"), "a null value is still a value");
        assertEquals(Optional.empty(), run("System.out.print(\"\");"), "a void call has no value");
    }

    @Test
    void theJshellToolsDefaultImportsArePresent() throws CellError {
        assertEquals(Optional.of(List.of(1, 2)), run("List<Integer> l = new ArrayList<>(List.of(1, 2)); l"));
    }

    @Test
    void anExceptionNamesItsClassMessageAndCellLine() {
        CellError e = assertThrows(CellError.class,
                () -> run("int a = 1;\n// a comment line\nif (a == 1) throw new IllegalStateException(\"deliberate\");"));
        assertEquals("java.lang.IllegalStateException", e.ename());
        assertTrue(e.evalue().startsWith("deliberate"), e.evalue());
        assertTrue(e.evalue().contains("line 3"), "the throwing statement is on the cell's line 3: " + e.evalue());
        assertEquals("java.lang.IllegalStateException: deliberate", e.traceback().get(0));
    }

    @Test
    void anExceptionInAMethodOfAnEarlierCellNamesThatCellAndLine() throws CellError {
        run("int half(int n) {\n    if (n < 0) throw new IllegalArgumentException(\"n = \" + n);\n    return n / 2;\n}");
        int declared = cell;
        CellError e = assertThrows(CellError.class, () -> run("int ok = half(4);\nhalf(-3)"));
        String trace = String.join("\n", e.traceback());
        assertTrue(trace.contains("half(cell [" + declared + "] line 2)"), trace);
        assertTrue(trace.contains("cell [" + cell + "] line 2"), trace);
        assertEquals("java.lang.IllegalArgumentException", e.ename());
        assertTrue(e.evalue().startsWith("n = -3"), e.evalue());
    }

    @Test
    void aCompileErrorNamesTheCellLineAndTheCompilersMessage() {
        CellError e = assertThrows(CellError.class, () -> run("int fine = 1;\n\nint bad = noSuchVariable + 1;"));
        assertEquals("CompilationError", e.ename());
        assertTrue(e.evalue().startsWith("cell line 3: cannot find symbol"), e.evalue());
        assertTrue(e.traceback().contains("    int bad = noSuchVariable + 1;"), e.traceback().toString());
        assertTrue(e.traceback().contains("              ^"), "the caret stands under the symbol: " + e.traceback());
    }

    @Test
    void callingAMethodWhoseDependencyIsMissingNamesTheMissingName() throws CellError {
        assertEquals(Optional.empty(), run("void usesMissing() { missingHelper(); }"),
                "JShell accepts a method that calls a method declared later");
        CellError e = assertThrows(CellError.class, () -> run("usesMissing()"));
        assertEquals("UnresolvedReference", e.ename());
        assertTrue(e.evalue().contains("missingHelper"), e.evalue());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void interruptStopsASleepingLoopAndTheSessionStaysUsable() throws Exception {
        assertInterrupted("while (true) Thread.sleep(10);");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void interruptStopsABusyLoopThatIgnoresInterrupts() throws Exception {
        assertInterrupted("long spins = 0;\nwhile (true) { spins++; }");
    }

    private static void assertInterrupted(String code) throws Exception {
        int n = ++cell;
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return shell.eval(code, n);
            } catch (CellError e) {
                return e;
            }
        });
        Thread.sleep(500);
        assertFalse(running.isDone(), "the loop runs until interrupted");
        long t0 = System.nanoTime();
        shell.interrupt();
        Object outcome = running.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(outcome instanceof CellError e && e.ename().equals("Interrupted"), "outcome " + outcome);
        assertTrue(seconds < 5, "stopped in " + seconds + " s");
        assertEquals(Optional.of(2), run("1 + 1"), "the next cell runs");
    }

    @Test
    void anInterruptBetweenCellsDoesNotStopTheNextCell() throws CellError {
        shell.interrupt();
        assertEquals(Optional.of(3), run("1 + 2"));
    }

    @Test
    void completionOffersNamesAndTheRangeTheyReplace() throws CellError {
        run("int completionTarget = 5;");
        String code = "int other = 1;\ncompletionTar";
        CellEvaluator.Completion c = shell.complete(code, code.length());
        assertTrue(c.matches().contains("completionTarget"), c.matches().toString());
        assertEquals(code.indexOf("completionTar"), c.start(), "the replacement starts where the word does");
        assertEquals(code.length(), c.end());
        CellEvaluator.Completion m = shell.complete("\"abc\".toUpperC", 14);
        assertTrue(m.matches().contains("toUpperCase("), m.matches().toString());
    }

    @Test
    void isCompleteTellsCompleteFromUnfinishedCode() {
        assertEquals("complete", shell.isComplete("int x = 1;"));
        assertEquals("complete", shell.isComplete("int x = 1;\nx + 1"));
        assertEquals("incomplete", shell.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", shell.isComplete(""));
    }

    @Test
    void cellsSeeTheKernelsDisplayClassButNotItsOwnJars() throws CellError {
        assertEquals(Optional.of(Display.class), run("Class.forName(\"org.dpm4j.jupyter.Display\")"),
                "the cells' Display is the kernel's, so a display reaches the running kernel");
        assertEquals(Optional.of(false), run("boolean seen; try { Class.forName(\"org.zeromq.ZMQ\"); seen = true; }"
                + " catch (ClassNotFoundException e) { seen = false; }\nseen"), "the kernel's ZMQ stays hidden");
        assertEquals(Optional.of(true), run("Thread.currentThread().getContextClassLoader() == getClass().getClassLoader()"
                .replace("getClass()", "new Object(){}.getClass()")), "a cell's context loader is the cells' loader");
    }

    @Test
    void classPathWildcardsExpandToTheFoldersJars(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.createFile(dir.resolve("b.jar"));
        java.nio.file.Files.createFile(dir.resolve("a.jar"));
        java.nio.file.Files.createFile(dir.resolve("notes.txt"));
        assertEquals(List.of(dir.resolve("a.jar").toString(), dir.resolve("b.jar").toString()),
                CellEvaluator.expand(List.of(dir + "/*")));
        assertEquals(List.of(), CellEvaluator.split(""));
    }
}
