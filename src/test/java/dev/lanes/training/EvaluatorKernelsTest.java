package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One-off evaluations and predictions may run on the scalar kernels ({@link KernelsProvider#forWork}):
 * that is only allowed because every figure comes out the same on either.
 */
class EvaluatorKernelsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void scalarAndVectorKernelsEvaluateToTheSameBits(int threads) {
        Network net = Network.create(new int[] {64, 16, 8, 3}, Init.HE, 11);
        // 1000 rows: three whole evaluation blocks of 256 and a partial one.
        Dataset data = TrainerTest.blobs(1000, 5);
        Kernels scalar = KernelsProvider.scalar();
        Kernels vector = KernelsProvider.vector().orElseThrow();
        Evaluation s = Evaluator.evaluate(net, data, threads, scalar);
        Evaluation v = Evaluator.evaluate(net, data, threads, vector);
        assertEquals(Double.doubleToLongBits(s.loss()), Double.doubleToLongBits(v.loss()),
                "loss " + s.loss() + " against " + v.loss());
        assertEquals(s.accuracy(), v.accuracy());
        assertArrayEquals(s.confusion(), v.confusion());
        Evaluation chosen = Evaluator.evaluate(net, data, threads);
        assertEquals(Double.doubleToLongBits(s.loss()), Double.doubleToLongBits(chosen.loss()));
        assertArrayEquals(s.confusion(), chosen.confusion());
    }
}
