package org.jetsketch.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jetsketch.jet.JetLayout;
import org.jetsketch.jet.Jets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per call of the core jet kernels for a block of B directions at degrees 1, 3, 6, 100.
 * The floor to compare with is the product's k(k+1)/2 complex multiply-adds per direction
 * (docs/scheme.md §3). The forked JVM enables the Vector API ({@code jdk.incubator.vector}); add
 * {@code -jvmArgsAppend -Djetsketch.simd=false} for the scalar kernels. Run:
 * <pre>
 *   mvn -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/benchmarks.jar JetKernelBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JetKernelBenchmark {

    @Param({"1", "3", "6", "100"})
    public int degree;

    @Param({"1", "16"})
    public int directions;

    private Jets jets;
    private double[] a;
    private double[] b;
    private double[] out;

    @Setup
    public void setup() {
        jets = new Jets(degree, directions);
        JetLayout layout = jets.layout();
        int s = jets.stride();
        a = new double[s];
        b = new double[s];
        out = new double[s];
        Random rnd = new Random(42);
        // Well-conditioned inputs: a_0 in [1, 2], |a_r| ≲ 0.5^r (as in the tests).
        a[0] = 1 + rnd.nextDouble();
        b[0] = 1 + rnd.nextDouble();
        for (int d = 0; d < directions; d++) {
            double scale = 1;
            for (int r = 1; r <= degree; r++) {
                scale *= 0.5;
                a[layout.re(0, r, d)] = scale * (rnd.nextDouble() - 0.5);
                a[layout.im(0, r, d)] = scale * (rnd.nextDouble() - 0.5);
                b[layout.re(0, r, d)] = scale * (rnd.nextDouble() - 0.5);
                b[layout.im(0, r, d)] = scale * (rnd.nextDouble() - 0.5);
            }
        }
    }

    @Benchmark
    public double[] mul() {
        jets.mul(a, 0, b, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] mulAdd() {
        jets.mulAdd(a, 0, b, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] exp() {
        jets.exp(a, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] div() {
        jets.div(a, 0, b, 0, out, 0);
        return out;
    }
}
