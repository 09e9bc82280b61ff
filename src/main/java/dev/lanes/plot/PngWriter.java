package dev.lanes.plot;

import dev.lanes.InputException;
import dev.lanes.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes a picture as a PNG file, atomically: the old file is replaced whole or left untouched. */
final class PngWriter {

    private PngWriter() {
    }

    /**
     * Encodes to PNG in memory: {@link ImageIO#write} with a plain stream would otherwise buffer through
     * a temporary file in the system temporary folder.
     */
    static void write(Path file, BufferedImage img) throws InputException {
        AtomicFile.write(file, out -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) {
                throw new IOException("this Java has no PNG encoder");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(new IIOImage(img, null, null));
            } finally {
                writer.dispose();
            }
        });
    }
}
