package org.dpm4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.function.Executable;

/** Shared assertion for the house rule on bad input: an IllegalArgumentException naming parameter, value, expectation. */
public final class BadInput {
    private BadInput() {}

    public static void assertRejected(Executable call, String parameter, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(parameter) && e.getMessage().contains(value) && e.getMessage().contains("expected"),
                "message should name " + parameter + " and " + value + ": " + e.getMessage());
    }

    /**
     * Runs call on this thread, expecting it to throw {@code type}, and returns the exception together with the heap
     * bytes this thread allocated meanwhile (HotSpot's per-thread allocation counter), so a test can show that a
     * header claiming a huge length is refused before the claimed length is allocated.
     */
    public static <E extends Throwable> Thrown<E> thrownWithAllocation(Class<E> type, Executable call) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId(), before = bean.getThreadAllocatedBytes(id);
        E e = assertThrows(type, call);
        return new Thrown<>(e, bean.getThreadAllocatedBytes(id) - before);
    }

    /** An exception and the bytes allocated by the call that threw it. */
    public record Thrown<E extends Throwable>(E exception, long allocatedBytes) {
        public String message() { return exception.getMessage(); }
    }
}
