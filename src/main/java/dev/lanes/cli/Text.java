package dev.lanes.cli;

import java.math.BigDecimal;
import java.util.Locale;

/** How numbers and counts read in messages: as a person writes them, not as Java prints them. */
final class Text {

    private Text() {
    }

    /**
     * @param v a setting such as a learning rate
     * @return its shortest digits, plain for everyday magnitudes ({@code 0.1}, {@code 0.0001}, {@code 250})
     *         and as {@code 1e30} or {@code 2.5e-7} beyond them; {@code NaN}, {@code infinity}
     */
    static String number(float v) {
        return Float.isFinite(v) ? decimal(new BigDecimal(Float.toString(v))) : special(v);
    }

    /**
     * @param v a measured value
     * @return as {@link #number(float)}, rounded to six significant digits
     */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return special(v);
        }
        return decimal(new BigDecimal(String.format(Locale.ROOT, "%.5e", v)));
    }

    private static String special(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "infinity" : "-infinity";
    }

    private static String decimal(BigDecimal d) {
        d = d.stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 7) {
            return d.toPlainString();
        }
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /**
     * @param n    a count
     * @param noun its noun in the singular, made plural with "s"
     * @return e.g. {@code 1 epoch}, {@code 2 epochs}, {@code 1,000 images}
     */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    /**
     * @param bytes a size
     * @return it in MiB or GiB, e.g. {@code 5.9 GiB}
     */
    static String size(double bytes) {
        double mib = bytes / (1 << 20);
        return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
                : String.format(Locale.ROOT, "%.0f MiB", Math.max(1, mib));
    }
}
