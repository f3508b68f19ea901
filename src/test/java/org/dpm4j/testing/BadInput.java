package org.dpm4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Shared assertion for the house rule on bad input: an IllegalArgumentException naming parameter, value, expectation. */
public final class BadInput {
    private BadInput() {}

    public static void assertRejected(Executable call, String parameter, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(parameter) && e.getMessage().contains(value) && e.getMessage().contains("expected"),
                "message should name " + parameter + " and " + value + ": " + e.getMessage());
    }
}
