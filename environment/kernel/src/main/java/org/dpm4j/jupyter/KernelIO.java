package org.dpm4j.jupyter;

import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/**
 * JJava's cell streams (stdout and stderr sent as stream messages on every print, so output appears while the cell
 * runs), with attaching to a request made reachable from the kernel's package.
 */
final class KernelIO extends JupyterIO {
    KernelIO() { super(StandardCharsets.UTF_8); }

    void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
    }

    void detach(ShellReplyEnvironment env) {
        out.flush();
        err.flush();
        retractEnv(env);
    }
}
