/**
 * File output shared by the model files, the charts and the command line: {@link dev.lanes.io.AtomicFile}
 * writes a file so that a crash, a full disk or a concurrent reader never meets half of it.
 */
package dev.lanes.io;
