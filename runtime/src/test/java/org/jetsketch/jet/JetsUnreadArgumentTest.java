package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code …Prime} kernels' read contracts ("Reads y only", "Reads a only") hold: passed
 * {@link Jets#UNREAD} for the argument they do not read, each gives exactly the bits it gives with
 * the real argument. The compiler relies on this to record only what an adjoint reads. And
 * {@link Jets#divReal}: the constant term is the real quotient, the rest scaled by the reciprocal.
 */
class JetsUnreadArgumentTest {
    /** A derivative kernel with the uniform signature (a, y, out). */
    interface PrimeKernel {
        void apply(Jets j, double[] a, int ao, double[] y, int yo, double[] out, int oo);
    }

    record Contract(String name, boolean readsA, boolean readsY, double a0, PrimeKernel kernel) {
        @Override public String toString() { return name; }
    }

    static List<Contract> contracts() {
        return List.of(
                new Contract("expPrime", false, true, 0.4, Jets::expPrime),
                new Contract("expm1Prime", false, true, 0.4, Jets::expm1Prime),
                new Contract("tanhPrime", false, true, 0.4, Jets::tanhPrime),
                new Contract("sigmoidPrime", false, true, 0.4, Jets::sigmoidPrime),
                new Contract("logPrime", true, false, 1.3, Jets::logPrime),
                new Contract("log1pPrime", true, false, 0.3, Jets::log1pPrime),
                new Contract("softplusPrime", true, false, -0.6, Jets::softplusPrime),
                new Contract("erfPrime", true, false, 0.7, Jets::erfPrime),
                new Contract("geluPrime", true, false, -0.8, Jets::geluPrime),
                new Contract("reluPrime", true, false, 0.5, Jets::reluPrime),
                new Contract("absPrime", true, false, -0.5, Jets::absPrime),
                new Contract("squarePrime", true, false, 1.1, Jets::squarePrime));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void theUnreadArgumentMayBeAbsent(Contract c) {
        Jets j = new Jets(3, 2);
        int s = j.stride();
        Random r = new Random(c.name().hashCode());
        double[] a = new double[s];
        double[] y = new double[s];
        for (int i = 1; i < s; i++) {
            a[i] = r.nextDouble() - 0.5;
            y[i] = r.nextDouble() - 0.5;
        }
        a[0] = c.a0();
        y[0] = 0.3;
        double[] both = new double[s];
        c.kernel().apply(j, a, 0, y, 0, both, 0);
        double[] without = new double[s];
        c.kernel().apply(j, c.readsA() ? a : Jets.UNREAD, 0, c.readsY() ? y : Jets.UNREAD, 0, without, 0);
        assertArrayEquals(both, without, 0.0, c.name());
    }

    @Test
    void aKernelThatReadsItsArgumentCannotBePassedUnread() {
        Jets j = new Jets(2, 1);
        double[] y = new double[j.stride()];
        y[0] = 0.5;
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> j.logPrime(Jets.UNREAD, 0, y, 0, new double[j.stride()], 0));
    }

    @Test
    void divRealDividesTheConstantTermAndScalesTheRest() {
        Jets j = new Jets(3, 2);
        int s = j.stride();
        double[] a = new double[s];
        for (int i = 1; i < s; i++) a[i] = 0.1 + 0.37 * i;
        a[0] = -2.5;
        double c = -1.5;
        double[] out = new double[s];
        j.divReal(a, 0, c, out, 0);
        assertEquals(Double.doubleToRawLongBits(RealMath.div(a[0], c)), Double.doubleToRawLongBits(out[0]));
        for (int i = 1; i < s; i++) assertEquals(a[i] * (1.0 / c), out[i], 0.0);
        // −2.5 / −1.5 and −2.5 · (1/−1.5) differ in the last bit: the point of dividing the constant term
        assertEquals(false, a[0] / c == a[0] * (1.0 / c));
        j.divReal(a, 0, c, a, 0); // out may be a
        assertArrayEquals(out, a, 0.0);
        assertThrows(JetDomainException.class, () -> j.divReal(out, 0, 0.0, new double[s], 0));
    }
}
