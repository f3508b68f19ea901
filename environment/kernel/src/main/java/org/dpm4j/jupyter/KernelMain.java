package org.dpm4j.jupyter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the kernel: {@code java -jar dpm4j-kernel.jar <connection file>}. JShell's class path comes from the
 * environment variable {@value #CLASSPATH_ENV} (entries separated by the platform's path separator; "dir/*" means the
 * jars in dir), which environment/java-kernel.sh sets to the repository's lib/*.
 *
 * <p>Order matters for a start that always answers: every message handler is registered before the sockets are
 * bound, and the JShell session is built in the background while kernel_info is already answered.
 */
public final class KernelMain {
    public static final String CLASSPATH_ENV = "DPM4J_KERNEL_CLASSPATH";

    /** How long shutdown may wait for the channel threads to end before the process exits anyway. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar dpm4j-kernel.jar <connection file>");
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JShellKernel kernel = new JShellKernel(CellEvaluator.split(System.getenv(CLASSPATH_ENV)));
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        installSignalInterrupt(kernel);
        connection.connect();

        kernel.awaitShutdown();
        // The reply to shutdown_request goes out after onShutdown; the channels then close. Wait for that, bounded,
        // and leave with 0 whatever non-daemon threads a cell may have started.
        Thread closer = new Thread(connection::waitUntilClose, "dpm4j-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        System.exit(0);
    }

    /** SIGINT interrupts the running cell (a kernelspec with interrupt_mode "signal"), instead of ending the JVM. */
    private static void installSignalInterrupt(JShellKernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> kernel.interrupt());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            System.err.println("dpm4j kernel: SIGINT cannot be handled here (" + e.getMessage() + "); use interrupt_mode message");
        }
    }
}
