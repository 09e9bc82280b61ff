/**
 * PNG pictures of a training run: {@link dev.lanes.plot.TrainingCurves} (loss and accuracy per epoch),
 * {@link dev.lanes.plot.ConfusionMatrixChart}, and {@link dev.lanes.plot.DigitGrid} (digit images with
 * their predictions, such as the misclassified test digits).
 *
 * <p>Everything is drawn off-screen: loading any of these classes sets {@code java.awt.headless=true}
 * unless the property was set explicitly, so no display is needed. Text needs at least one font that
 * Java can find; where none is found the methods fail with an {@link dev.lanes.InputException} saying
 * so rather than a stack trace. Every file is written atomically (a temporary file in the same folder,
 * then a rename), so an existing picture is either replaced whole or left untouched.
 *
 * <p>Loading these classes loads AWT, and {@code TrainingCurves} also XChart, which takes the better
 * part of a second; callers that draw nothing should not touch them.
 */
package dev.lanes.plot;
