package org.dpm4j.jupyter;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * The class loader of the cells: JShell's snippet classes and the class path given to the session (lib/), over the
 * JDK. Of the kernel itself the cells see only {@link Display}: the kernel's own jars (ZMQ, Gson, slf4j) stay out of
 * their way, so lib/'s slf4j with the library's logging settings is the one the library uses, as in a plain JVM.
 *
 * <p>Hand-written because JShell's own loader delegate is not public and is a child of the application class
 * loader, which would show the cells every jar of the kernel.
 */
final class SnippetLoader implements LoaderDelegate {
    /** The kernel classes a cell may use. */
    private static final String SHARED_PREFIX = Display.class.getName();

    private final Loader loader = new Loader(new KernelApi(Display.class.getClassLoader()));

    ClassLoader classLoader() { return loader; }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) loader.bytes.put(c.name(), c.bytecodes());
        int i = 0;
        try {
            for (ClassBytecodes c : classes) {
                loader.loadClass(c.name());
                installed[i++] = true;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ClassInstallException("cannot load snippet class " + classes[i].name() + ": " + e, installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) loader.bytes.put(c.name(), c.bytecodes());
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : CellEvaluator.split(path)) {
            try {
                loader.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new InternalException("bad class path entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    /** Snippet classes by their bytes, then the class path's jars. */
    private static final class Loader extends URLClassLoader {
        private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();

        Loader(ClassLoader parent) { super("dpm4j-cells", new URL[0], parent); }

        void add(URL url) { addURL(url); }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytes.get(name);
            if (b != null) return defineClass(name, b, 0, b.length);
            return super.findClass(name);
        }
    }

    /** The JDK (platform loader) plus {@link Display} and its nested types from the kernel's loader. */
    private static final class KernelApi extends ClassLoader {
        private final ClassLoader kernel;

        KernelApi(ClassLoader kernel) {
            super("dpm4j-kernel-api", ClassLoader.getPlatformClassLoader());
            this.kernel = kernel;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(SHARED_PREFIX) || name.startsWith(SHARED_PREFIX + "$")) return kernel.loadClass(name);
            return super.loadClass(name, resolve);
        }
    }
}
