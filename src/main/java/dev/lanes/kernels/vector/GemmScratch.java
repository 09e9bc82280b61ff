package dev.lanes.kernels.vector;

/**
 * Per-thread work space of the GEMM driver: packed panels of {@code A} and {@code B}, an edge tile and a transposed result for the blocked driver, and the
 * zero-padded panel of {@link GemmSkinny}. Buffers only grow, so after the first call at the largest
 * shape a thread multiplies without allocating; two threads never share one.
 */
final class GemmScratch {

    private static final ThreadLocal<GemmScratch> PER_THREAD = ThreadLocal.withInitial(GemmScratch::new);

    /** One edge tile of {@code C}, {@code MR × NR} floats; also {@link GemmSkinny}'s staging tile. */
    final float[] edge = new float[GemmMicroKernels.MR * GemmMicroKernels.NR];
    private float[] packed = new float[0];
    private float[] packedA = new float[0];
    private float[] skinny = new float[0];
    private float[] transposed = new float[0];

    private GemmScratch() {
    }

    static GemmScratch get() {
        return PER_THREAD.get();
    }

    /** @return a buffer of at least {@code size} floats for packed {@code B} panels (contents undefined) */
    float[] packed(int size) {
        if (packed.length < size) {
            packed = new float[size];
        }
        return packed;
    }

    /** @return a buffer of at least {@code size} floats for packed {@code A} panels (contents undefined) */
    float[] packedA(int size) {
        if (packedA.length < size) {
            packedA = new float[size];
        }
        return packedA;
    }

    /** @return a buffer of at least {@code size} floats for a result computed through its transpose (contents undefined) */
    float[] transposed(int size) {
        if (transposed.length < size) {
            transposed = new float[size];
        }
        return transposed;
    }

    /** @return a buffer of at least {@code size} floats for {@link GemmSkinny}'s panel (contents undefined) */
    float[] skinny(int size) {
        if (skinny.length < size) {
            skinny = new float[size];
        }
        return skinny;
    }
}
