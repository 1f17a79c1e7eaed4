package org.jetsketch.jet;

/**
 * The run-time switch between the scalar kernels and {@link VectorKernels}. The Vector API is an
 * incubating module that a JVM resolves only when asked ({@code --add-modules
 * jdk.incubator.vector}, which {@code ./jetsketch} passes), so it is used only if it is present and
 * not switched off with {@code -Djetsketch.simd=false}; otherwise the scalar loops run. Both give
 * the same bits. A caller may still choose the scalar kernels for a small amount of work (the
 * sketcher does); {@code -Djetsketch.simd=true} overrides that choice ({@link #requestedEverywhere}).
 */
public final class Simd {
    /** Whether new {@link Jets} use the Vector API kernels. */
    public static final boolean ENABLED = decide();

    private Simd() {}

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getProperty("jetsketch.simd"))) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
        try {
            return VectorKernels.lanes() >= 2;
        } catch (LinkageError e) {
            return false; // the module is there but unusable: keep the scalar kernels
        }
    }

    /**
     * Whether {@code -Djetsketch.simd=true} asks for the Vector API kernels everywhere, also where a
     * caller would choose the scalar ones for a small amount of work (the sketcher does: the vector
     * kernels cost JIT warm-up first). Read when asked, so that a test can set it. Never without
     * {@link #ENABLED}.
     */
    public static boolean requestedEverywhere() {
        return ENABLED && "true".equalsIgnoreCase(System.getProperty("jetsketch.simd"));
    }

    /** A line for reports: which kernels run. */
    public static String describe() {
        return ENABLED ? "Vector API (jdk.incubator.vector, " + VectorKernels.lanes() + " doubles per vector)"
                : "scalar (jdk.incubator.vector not enabled)";
    }
}
