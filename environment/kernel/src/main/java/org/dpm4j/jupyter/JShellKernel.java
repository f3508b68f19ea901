package org.dpm4j.jupyter;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * dpm4j's Java kernel: JJava's {@link BaseKernel} (the Jupyter protocol) with cells evaluated by a
 * {@link CellEvaluator} (JShell in this JVM). The JShell session is built on a background thread while the kernel
 * already answers kernel_info, so a start never waits for the compiler; the first cell waits for it instead.
 */
final class JShellKernel extends BaseKernel {
    static final String VERSION = "1.0.0";

    private final CompletableFuture<CellEvaluator> evaluator;
    private final KernelIO kernelIO;
    private final Display.Sink sink;
    private final java.util.concurrent.CountDownLatch shutDown = new java.util.concurrent.CountDownLatch(1);

    JShellKernel(List<String> classPath) {
        this(new KernelIO(), classPath);
    }

    private JShellKernel(KernelIO io, List<String> classPath) {
        super("dpm4j-java", VERSION,
                new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("java")
                        .build(),
                List.of(), null, io, new CommManager(), new Renderer(), null, null, false,
                new StringStyler.Builder().build());
        this.kernelIO = io;
        this.evaluator = CompletableFuture.supplyAsync(() -> warm(new CellEvaluator(classPath)),
                r -> {
                    Thread t = new Thread(r, "dpm4j-jshell-start");
                    t.setDaemon(true);
                    t.start();
                });
        this.sink = new Display.Sink() {
            @Override public void display(String id, String mime, Object content) {
                kernelIO.display.display(data(id, mime, content));
            }

            @Override public void update(String id, String mime, Object content) {
                kernelIO.display.updateDisplay(id, data(id, mime, content));
            }
        };
    }

    /** Compiles one trivial snippet, so the first cell does not also pay for loading the compiler. */
    private static CellEvaluator warm(CellEvaluator e) {
        try {
            e.eval("0", 0);
        } catch (CellError ignored) {
            // a failure here shows again, with its message, in the first real cell
        }
        return e;
    }

    private static DisplayData data(String id, String mime, Object content) {
        DisplayData d = new DisplayData();
        d.putData(mime, ValueDisplay.content(mime, content));
        d.setDisplayId(id);
        return d;
    }

    CellEvaluator evaluator() throws CellError {
        try {
            return evaluator.get();
        } catch (ExecutionException e) {
            throw kernelFailure("the JShell session did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kernelFailure("interrupted while the JShell session started", e);
        }
    }

    @Override
    public void onStartup() {
        super.onStartup();
        Display.attach(sink);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        Display.detach(sink);
        evaluator.thenAccept(e -> {
            e.interrupt();
            e.close();
        });
        super.onShutdown(isRestarting);
        shutDown.countDown();
    }

    /** Waits until a shutdown_request has been handled. */
    void awaitShutdown() throws InterruptedException { shutDown.await(); }

    @Override
    public void interrupt() {
        CellEvaluator e = evaluator.getNow(null);
        if (e != null) e.interrupt();
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = request.shouldStoreHistory() ? executionCount.getAndIncrement() : executionCount.get();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        System.setOut(kernelIO.out);
        System.setErr(kernelIO.err);
        System.setIn(kernelIO.in);
        kernelIO.attach(env, request.isStdinEnabled());
        Optional<Object> value;
        CellError failure = null;
        DisplayData shown = null;
        try {
            value = evaluator().eval(request.getCode(), count);
            if (value.isPresent() && !request.isSilent()) shown = render(value.get());
        } catch (CellError e) {
            failure = e;
        } catch (Throwable t) {  // the kernel's own failure: report it, and keep serving
            failure = kernelFailure("the kernel failed", t);
        } finally {
            kernelIO.detach(env);
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
        if (failure == null) {
            if (shown != null) env.publish(new PublishExecuteResult(count, shown));
            env.reply(new ExecuteReply(count, Map.of()));
        } else {
            env.publish(new PublishError(failure.ename(), failure.evalue(), failure.traceback()));
            ErrorReply reply = new ErrorReply(failure.ename(), failure.evalue(), failure.traceback());
            reply.setExecutionCount(count);
            env.replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    private static DisplayData render(Object value) throws CellError {
        try {
            DisplayData d = new DisplayData();
            ValueDisplay.bundle(value).forEach(d::putData);
            return d;
        } catch (RuntimeException e) {
            throw kernelFailure("cannot display the value of type " + value.getClass().getName(), e);
        }
    }

    private static CellError kernelFailure(String what, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        List<String> lines = new ArrayList<>(List.of(trace.toString().split("\\R")));
        return new CellError(t.getClass().getName(), what + ": " + t.getMessage(), lines);
    }

    @Override
    public Object evalRaw(String source) {
        try {
            return evaluator().eval(source, executionCount.get()).orElse(null);
        } catch (CellError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;  // not offered: JShell's documentation lookup needs the JDK's sources, which are not installed
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEvaluator e = evaluator.getNow(null);
        if (e == null) return null;
        CellEvaluator.Completion c = e.complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        CellEvaluator e = evaluator.getNow(null);
        if (e == null) return IS_COMPLETE_MAYBE;
        String s = e.isComplete(code);
        switch (s) {
            case "complete": return IS_COMPLETE_YES;
            case "invalid": return IS_COMPLETE_BAD;
            case "incomplete": return "    ";
            default: return IS_COMPLETE_MAYBE;
        }
    }
}
