/**
 * JMH benchmarks of Lanes. They are compiled with the tests (so they cannot rot), smoke-run by the test
 * suite, and packaged into {@code target/benchmarks.jar} by the {@code bench} Maven profile.
 *
 * <p>Every benchmark class takes a {@code kernels} parameter ({@code scalar} or {@code vector}, see
 * {@link dev.lanes.jmh.BenchKernels#named}) and forks JVMs with
 * {@link dev.lanes.jmh.BenchKernels#VECTOR_FLAG}. A new group (a training step, an epoch) is one
 * more class here following the same pattern; the smoke test picks it up without changes.
 */
package dev.lanes.jmh;
