package org.jetsketch.testing;

import java.util.Arrays;
import java.util.Locale;

/** Number and deletion-set formatting shared by the failure messages. */
final class Fmt {
    private Fmt() {}

    /** Six significant digits, never in an exponent form for ordinary magnitudes. */
    static String num(double v) {
        if (v == 0) return "0";
        if (!Double.isFinite(v)) return Double.toString(v);
        double abs = Math.abs(v);
        if (abs >= 1e-4 && abs < 1e7) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
        return String.format(Locale.ROOT, "%.4e", v);
    }

    /** A signed number: "+0.5", "-1.2". */
    static String signed(double v) {
        String s = num(v);
        return v >= 0 ? "+" + s : s;
    }

    /** {2, 3, 4, 9} → "{2..4, 9}", ascending; at most about 60 characters of indices. */
    static String set(int[] indices) {
        int[] d = indices.clone();
        Arrays.sort(d);
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        while (i < d.length) {
            int j = i;
            while (j + 1 < d.length && d[j + 1] == d[j] + 1) j++;
            if (sb.length() > 1) sb.append(", ");
            if (sb.length() > 60) {
                sb.append("... (").append(d.length).append(" in all)");
                break;
            }
            sb.append(d[i]);
            if (j == i + 1) sb.append(", ").append(d[j]);
            else if (j > i) sb.append("..").append(d[j]);
            i = j + 1;
        }
        return sb.append('}').toString();
    }
}
