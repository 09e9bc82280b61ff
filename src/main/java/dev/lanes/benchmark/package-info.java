/**
 * The self-benchmark behind {@code lanes bench}: kernel GFLOPS (scalar against vector) at the shapes
 * the MNIST networks use, and epoch times of the standard training configurations.
 *
 * <p>Every figure comes from the same recipe: run the work until the JIT compiler has gone quiet and
 * the timing has stopped improving (within a time box), then time several repeats and report their
 * median, minimum and maximum. {@link dev.lanes.benchmark.SelfBenchmark} runs the cases and hands
 * each {@link dev.lanes.benchmark.Measurement} to a listener as soon as it is taken;
 * {@link dev.lanes.benchmark.Report} prints them as a table or as JSON Lines.
 */
package dev.lanes.benchmark;
