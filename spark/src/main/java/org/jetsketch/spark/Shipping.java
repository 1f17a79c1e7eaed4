package org.jetsketch.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkEnv;

/**
 * What travels from the driver to the executors, and the single message a failure to make it
 * travel gives: Java serialization checked on the driver before a job starts (a local master runs
 * in one JVM and never proves it), the class at fault named when an executor cannot rebuild, and
 * one rebuilt value per executor and job.
 */
final class Shipping {
    private Shipping() {}

    /**
     * An executor could not rebuild what the driver sent; the message names the class and the
     * remedy. Thrown in tasks, found again in the job's failure on the driver.
     */
    static final class RebuildException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        RebuildException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A copy of {@code value} made by Java serialization, as executors will receive it.
     *
     * @throws IllegalArgumentException naming the class that cannot be serialized or read back
     */
    static <T extends Serializable> T roundTrip(T value, String what) {
        if (value == null) throw new IllegalArgumentException(what + " is null");
        String name = value.getClass().getName();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the " + what + " " + name + " cannot be sent to executors: class "
                    + e.getMessage() + " (held by it) is not serializable; make it Serializable or hold what it is "
                    + "made from instead", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + what + " " + name + " cannot be serialized: " + e, e);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            @SuppressWarnings("unchecked")
            T copy = (T) in.readObject();
            return copy;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new IllegalArgumentException("the " + what + " " + name + " cannot be read back after serialization: "
                    + cause(e), e);
        }
    }

    /** The class at fault in a failure to deserialize or rebuild, in words. */
    static String cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClassNotFoundException) {
                return "class " + t.getMessage() + " is not on the class path";
            }
            if (t instanceof NoClassDefFoundError) {
                return "class " + String.valueOf(t.getMessage()).replace('/', '.') + " is not on the class path";
            }
            if (t instanceof InvalidClassException ice) {
                return "class " + ice.classname + " differs from the driver's (" + ice.getMessage()
                        + "): the same jar must be on both";
            }
            if (t instanceof NotSerializableException) {
                return "class " + t.getMessage() + " is not serializable";
            }
            if (t.getCause() == null || t.getCause() == t) break;
        }
        return String.valueOf(failure);
    }

    /** Runs {@code step}; a failure becomes a {@link RebuildException} naming the class at fault. */
    static <T> T rebuilding(String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (RebuildException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new RebuildException("cannot rebuild the " + what + " on executor: " + cause(e)
                    + " (put the application's jar on the executors' class path: spark-submit --jars, or spark.jars)", e);
        }
    }

    /** The {@link RebuildException} behind a failed job, if any. */
    static RebuildException rebuildFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RebuildException r) return r;
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** The first line of a failure's message (Spark appends the executor's stack trace). */
    static String firstLine(Throwable failure) {
        String m = String.valueOf(failure.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static final int CACHED = 4;
    private static final Map<String, Object> PER_EXECUTOR = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * The value of type {@code type} rebuilt for broadcast {@code id} in this JVM, built once by
     * {@code build}: the tasks of one job on one executor share it, and the few most recent jobs
     * are kept. Broadcast ids restart with every Spark context, so the key has the application's id.
     */
    static <T> T perExecutor(Class<T> type, long id, Supplier<T> build) {
        SparkEnv env = SparkEnv.get();
        String app = env == null ? "" : env.conf().getAppId();
        String key = app + "/" + id + "/" + type.getName();
        synchronized (PER_EXECUTOR) {
            Object v = PER_EXECUTOR.get(key);
            if (v == null) {
                v = build.get();
                PER_EXECUTOR.put(key, v);
            }
            return type.cast(v);
        }
    }
}
