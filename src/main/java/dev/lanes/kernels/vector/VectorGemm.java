package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiplies on the Vector API, in the three forms backprop needs.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> F = VectorKernels.F;

    private VectorGemm() {
    }

    // TEMPORARY during bring-up: a straightforward broadcast-FMA loop; blocking and packing come next.
    static void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (GemmSkinny.fits(n)) {
            GemmSkinny.multiply(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int lanes = F.length();
        for (int i = 0; i < m; i++) {
            int j = 0;
            for (; j + lanes <= n; j += lanes) {
                FloatVector acc = accumulate ? FloatVector.fromArray(F, c, cOff + i * ldc + j) : FloatVector.zero(F);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(F, b, bOff + p * ldb + j)
                            .fma(FloatVector.broadcast(F, a[aOff + i * lda + p]), acc);
                }
                acc.intoArray(c, cOff + i * ldc + j);
            }
            for (; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    static void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + i * lda + p], b[bOff + j * ldb + p], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    static void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (GemmSkinny.fits(n)) {
            GemmSkinny.multiply(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int lanes = F.length();
        for (int i = 0; i < m; i++) {
            int j = 0;
            for (; j + lanes <= n; j += lanes) {
                FloatVector acc = accumulate ? FloatVector.fromArray(F, c, cOff + i * ldc + j) : FloatVector.zero(F);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(F, b, bOff + p * ldb + j)
                            .fma(FloatVector.broadcast(F, a[aOff + p * lda + i]), acc);
                }
                acc.intoArray(c, cOff + i * ldc + j);
            }
            for (; j < n; j++) {
                float sum = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + p * lda + i], b[bOff + p * ldb + j], sum);
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }
}
