package org.dpm4j.notebook;

import org.dpm4j.experiments.Profile;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class NotebookTest {

    @Test
    @DisplayName("profile names parse case-insensitively and round-trip through id()")
    void profileRoundTrip() {
        for (Profile p : Profile.values()) {
            assertEquals(p, Profile.parse(p.id()));
            assertEquals(p, Profile.parse(" " + p.id().toUpperCase() + " "));
        }
    }

    @Test
    @DisplayName("an unknown profile is rejected with a message naming the parameter, the value and the choices")
    void badProfileNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.parse("fast"));
        assertTrue(e.getMessage().contains("profile"), e.getMessage());
        assertTrue(e.getMessage().contains("fast"), e.getMessage());
        assertTrue(e.getMessage().contains("quick, standard, paper"), e.getMessage());
    }

    @Test
    @DisplayName("a Tablesaw table renders as an HTML table with one header cell per column and one row per record")
    void tableAsHtml() {
        Table t = Table.create("rows",
                StringColumn.create("data set", "Swiss roll", "heartbeat"),
                DoubleColumn.create("K (bits)", 2.35, -2.414));
        String html = Notebook.html(t);
        assertTrue(html.contains("<table"), html);
        assertEquals(2, count(html, "<th>"), html);
        assertEquals(3, count(html, "<tr>"), html); // header row + 2 data rows
        assertTrue(html.contains("Swiss roll") && html.contains("-2.414"), html);
    }

    @Test
    @DisplayName("decimal columns render to five significant digits, without changing the table")
    void significantDigits() {
        Table t = Table.create("x", DoubleColumn.create("v", 0.7499999999999999, 9.9173e-4, -1.2596454885942987, 2.0, 1.5e-9));
        String html = Notebook.html(t);
        assertTrue(html.contains("<td>0.75</td>"), html);
        assertTrue(html.contains("<td>0.00099173</td>"), html);
        assertTrue(html.contains("<td>-1.2596</td>"), html);
        assertTrue(html.contains("<td>2</td>"), html);
        assertTrue(html.contains("<td>1.5000e-09</td>"), html);
        assertEquals(0.7499999999999999, t.doubleColumn("v").get(0));
    }

    @Test
    @DisplayName("outside the Java kernel, inKernel() is false and display degrades to printing (returns no id)")
    void outsideKernel() {
        assertFalse(Notebook.inKernel());
        assertNull(Notebook.display("text/plain", "hello"));
    }

    @Test
    @DisplayName("home() finds the repository root holding pom.xml")
    void homeHoldsPom() {
        assertTrue(java.nio.file.Files.isRegularFile(Notebook.home().resolve("pom.xml")), Notebook.home().toString());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }
}
