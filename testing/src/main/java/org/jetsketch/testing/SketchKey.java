package org.jetsketch.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * Everything that determines a set of sketches, as text, and the directory name derived from it.
 * The trained parameters θ_0 are part of it: the circuit's code fingerprint does not see
 * hyperparameters held in instance fields, θ_0 does.
 *
 * @param name a directory name: the circuit's simple name and 16 hex digits of the text's SHA-256
 * @param text one "field: value" line per determinant, stored as key.txt next to the sketches
 * @param directions m, the number of sketches (indices 0..m-1) the directory holds
 * @param degree k
 * @param dataDigest the first 64 bits of the data's SHA-256, recorded in the store's header
 */
public record SketchKey(String name, String text, int directions, int degree, long dataDigest) {

    static <E> SketchKey of(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule, double[] initial,
                            long seed, int degree, int directions, Function<? super E, ?> exampleKey,
                            Supplier<double[]> trainedParameters) {
        StringBuilder t = new StringBuilder("jetsketch sketch cache key 1\n");
        t.append("store format: ").append(SketchStore.FORMAT_VERSION).append('\n');
        t.append("circuit: ").append(circuit.circuitName()).append('\n');
        t.append("code and layout fingerprint: ").append(Long.toHexString(Sketcher.fingerprint(circuit))).append('\n');
        t.append("layout: ").append(circuit.layout().describe()).append('\n');
        t.append("examples: ").append(data.size()).append('\n');
        String dataSha = ExampleDigest.of(data, exampleKey);
        t.append("data sha-256: ").append(dataSha).append('\n');
        t.append("schedule: ").append(schedule.descriptor()).append('\n');
        t.append("schedule batches sha-256: ").append(batches(schedule)).append('\n');
        t.append("initial parameters sha-256: ").append(digest(initial)).append('\n');
        t.append("trained parameters sha-256: ").append(digest(trainedParameters.get())).append('\n');
        t.append("direction seed: ").append(seed).append('\n');
        t.append("degree: ").append(degree).append('\n');
        t.append("directions: ").append(directions).append('\n');
        String text = t.toString();
        String simple = circuit.circuitName().substring(circuit.circuitName().lastIndexOf('.') + 1)
                .replaceAll("[^A-Za-z0-9_-]", "_");
        return new SketchKey(simple + "-" + sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 16), text,
                directions, degree, Long.parseUnsignedLong(dataSha.substring(0, 16), 16));
    }

    private static String batches(Schedule schedule) {
        MessageDigest md = sha256();
        ByteBuffer b = ByteBuffer.allocate(8);
        for (int s = 0; s < schedule.steps(); s++) {
            int[] batch = schedule.batchOf(s);
            md.update(b.clear().putInt(-1).putInt(batch.length).array(), 0, 8);
            for (int i : batch) md.update(b.clear().putInt(i).array(), 0, 4);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String digest(double[] values) {
        MessageDigest md = sha256();
        ByteBuffer b = ByteBuffer.allocate(8);
        md.update(b.putInt(values.length).array(), 0, 4);
        for (double v : values) md.update(b.clear().putLong(Double.doubleToLongBits(v)).array(), 0, 8);
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
