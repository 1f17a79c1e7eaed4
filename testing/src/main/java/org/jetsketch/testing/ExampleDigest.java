package org.jetsketch.testing;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import org.jetsketch.train.Dataset;

/**
 * A content digest of a data set for the sketch cache: a record is read through its components,
 * arrays element by element, numbers by their bits, strings by their characters. A type it cannot
 * read by content (whose {@code hashCode} might be identity) is an error that says how to supply a
 * key, never a silent fallback that could serve stale sketches.
 */
final class ExampleDigest {
    private ExampleDigest() {}

    private static final int MAX_DEPTH = 32;

    static <E> String of(Dataset<E> data, Function<? super E, ?> key) {
        MessageDigest md = SketchKey.sha256();
        for (int i = 0; i < data.size(); i++) {
            E e = data.get(i);
            tag(md, 'E');
            try {
                if (key != null) {
                    string(md, String.valueOf(key.apply(e)));
                } else {
                    value(md, e, 0);
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("cannot digest example " + i + " for the sketch cache: "
                        + ex.getMessage() + "; give Deletions.exampleKey(e -> ...) a value whose toString() "
                        + "changes whenever the example does", ex);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void value(MessageDigest md, Object v, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep");
        if (v == null) {
            tag(md, 'N');
        } else if (v instanceof Double d) {
            tag(md, 'D');
            md.update(ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(d)).array());
        } else if (v instanceof Float f) {
            tag(md, 'F');
            md.update(ByteBuffer.allocate(4).putInt(Float.floatToIntBits(f)).array());
        } else if (v instanceof Number n && (v instanceof Long || v instanceof Integer || v instanceof Short
                || v instanceof Byte)) {
            tag(md, 'J');
            md.update(ByteBuffer.allocate(8).putLong(n.longValue()).array());
        } else if (v instanceof Boolean b) {
            tag(md, b ? 'T' : 'U');
        } else if (v instanceof Character c) {
            tag(md, 'C');
            md.update(ByteBuffer.allocate(2).putChar(c).array());
        } else if (v instanceof CharSequence s) {
            tag(md, 'S');
            string(md, s.toString());
        } else if (v instanceof Enum<?> e) {
            tag(md, 'Q');
            string(md, e.getDeclaringClass().getName() + "." + e.name());
        } else if (v.getClass().isArray()) {
            tag(md, 'A');
            int n = Array.getLength(v);
            md.update(ByteBuffer.allocate(4).putInt(n).array());
            for (int i = 0; i < n; i++) value(md, Array.get(v, i), depth + 1);
        } else if (v instanceof Record r) {
            tag(md, 'R');
            string(md, r.getClass().getName());
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object component;
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    component = accessor.invoke(r);
                } catch (IllegalAccessException | InvocationTargetException | RuntimeException ex) {
                    throw new IllegalArgumentException("record component " + r.getClass().getName() + "." + c.getName()
                            + " cannot be read (" + ex + ")");
                }
                value(md, component, depth + 1);
            }
        } else if (v instanceof java.util.List<?> list) {
            tag(md, 'L');
            md.update(ByteBuffer.allocate(4).putInt(list.size()).array());
            for (Object o : list) value(md, o, depth + 1);
        } else if (v instanceof Map<?, ?> map && v instanceof java.util.SortedMap<?, ?>) {
            tag(md, 'M');
            for (Map.Entry<?, ?> en : map.entrySet()) {
                value(md, en.getKey(), depth + 1);
                value(md, en.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException("an example contains a " + v.getClass().getName()
                    + ", which is not a record, array, string, number, enum, list or sorted map");
        }
    }

    private static void tag(MessageDigest md, char c) {
        md.update((byte) c);
    }

    private static void string(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }
}
