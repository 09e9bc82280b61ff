package dev.lanes.kernels;

/**
 * The two pieces of Lanes' numeric contract that are not plain IEEE operations on one element: the
 * {@code exp} of the softmax and the order in which a row of exponentials is summed. Both are defined
 * here, as scalar code, and every kernel implementation at every vector width reproduces them bit for
 * bit; everything else a kernel computes is element by element or one fma chain in index order. So the
 * scalar kernels and the vector kernels at 128, 256 or 512 bits train the same model, to the byte.
 *
 * <p>Why not {@link Math#exp} and a left-to-right sum: {@code Math.exp} is a double-precision library
 * call that no vector unit reproduces, and a left-to-right sum of a long row is one dependency chain
 * that a vector unit cannot split without changing the result. The summation order chosen here
 * vectorises at any width up to 16 lanes.
 */
public final class Numerics {

    /** {@code log2(e)}, rounded to float. */
    public static final float LOG2E = 1.44269504088896341f;
    /**
     * {@code ln 2} split Cody–Waite style: the high part has 9 significant bits, so {@code n·LN2_HI} is
     * exact for every {@code |n| ≤ 126} and the reduction {@code x − n·ln 2} loses nothing.
     */
    public static final float LN2_HI = 0.693359375f;
    /** The rest of {@code ln 2} after {@link #LN2_HI}. */
    public static final float LN2_LO = -2.12194440e-4f;
    /** Cephes {@code expf} minimax coefficients for {@code (e^r − 1 − r)/r²} on {@code |r| ≤ ln2/2}. */
    public static final float P0 = 1.9875691500e-4f;
    /** @see #P0 */
    public static final float P1 = 1.3981999507e-3f;
    /** @see #P0 */
    public static final float P2 = 8.3334519073e-3f;
    /** @see #P0 */
    public static final float P3 = 4.1665795894e-2f;
    /** @see #P0 */
    public static final float P4 = 1.6666665459e-1f;
    /** @see #P0 */
    public static final float P5 = 5.0000001201e-1f;
    /**
     * {@code 1.5·2^23}: adding it to a value of magnitude below {@code 2^22} rounds that value to the
     * nearest integer (ties to even), and leaves the integer in the low mantissa bits.
     */
    public static final float ROUNDER = 12582912f;
    /** The bits of {@link #ROUNDER} less the float exponent bias 127: {@code bits(ROUNDER + n) − this = n + 127}. */
    public static final int ROUNDER_BITS_MINUS_BIAS = Float.floatToRawIntBits(ROUNDER) - 127;
    /**
     * {@code ln(Float.MIN_NORMAL)}: below it {@code e^x} is subnormal and {@link #exp} returns 0 (an
     * absolute error below {@code 1.2e-38}); the clamp also keeps {@code 2^n} a normal float.
     */
    public static final float EXP_LOWEST = -87.33654f;

    /** The number of interleaved partial sums of {@link #sum}. */
    public static final int PARTIALS = 16;

    private Numerics() {
    }

    /**
     * {@code e^x} for {@code x ≤ 0} (the softmax's shifted logits), within about 1 ulp: round
     * {@code x·log2(e)} to an integer {@code n}, reduce {@code r = x − n·ln 2} in two exact steps,
     * evaluate the polynomial in fma steps, and scale by {@code 2^n} built from its bits. NaN gives NaN,
     * and anything below {@link #EXP_LOWEST} (−∞ included) gives 0.
     *
     * @param x the argument
     * @return {@code e^x}
     */
    public static float exp(float x) {
        boolean under = x < EXP_LOWEST;
        float arg = under ? EXP_LOWEST : x;
        float t = Math.fma(arg, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, arg);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float poly = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUNDER_BITS_MINUS_BIAS) << 23);
        return under ? 0f : poly * scale;
    }

    /**
     * {@code x[off] + … + x[off+n−1]} in Lanes' one summation order. The elements of the whole blocks of
     * {@value #PARTIALS} are added into {@value #PARTIALS} partial sums, element {@code i} into partial
     * {@code i mod 16}, in index order; the partials are then folded pairwise, each {@code p[j]} with
     * {@code p[j+8]}, then with {@code p[j+4]}, {@code p[j+2]} and {@code p[j+1]}; the last
     * {@code n mod 16} elements are then added to the result left to right. Rows shorter than 16 are
     * therefore summed left to right from 0.
     *
     * @param x   the values
     * @param off the first one
     * @param n   how many
     * @return their sum
     */
    public static float sum(float[] x, int off, int n) {
        int blocks = n - n % PARTIALS;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        float s8 = 0f, s9 = 0f, s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f, s14 = 0f, s15 = 0f;
        for (int i = off; i < off + blocks; i += PARTIALS) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
            s8 += x[i + 8];
            s9 += x[i + 9];
            s10 += x[i + 10];
            s11 += x[i + 11];
            s12 += x[i + 12];
            s13 += x[i + 13];
            s14 += x[i + 14];
            s15 += x[i + 15];
        }
        // The folds: j with j+8, then j+4, j+2, j+1 (in that order, as a vector unit folds its lanes).
        float q0 = s0 + s8, q1 = s1 + s9, q2 = s2 + s10, q3 = s3 + s11;
        float q4 = s4 + s12, q5 = s5 + s13, q6 = s6 + s14, q7 = s7 + s15;
        float r0 = q0 + q4, r1 = q1 + q5, r2 = q2 + q6, r3 = q3 + q7;
        float total = (r0 + r2) + (r1 + r3);
        for (int i = off + blocks; i < off + n; i++) {
            total += x[i];
        }
        return total;
    }
}
