package dev.lanes.spark;

import dev.lanes.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes data sets as Kaggle-layout CSV (label,pixel0,…), independently of the readers under test. */
public final class Csv {

    private Csv() {
    }

    public static Path write(Dataset d, Path file, boolean header) throws IOException {
        int f = d.features();
        StringBuilder b = new StringBuilder();
        if (header) {
            b.append("label");
            for (int p = 0; p < f; p++) {
                b.append(",pixel").append(p);
            }
            b.append('\n');
        }
        for (int i = 0; i < d.size(); i++) {
            b.append(d.label(i));
            for (int p = 0; p < f; p++) {
                b.append(',').append(d.pixels()[i * f + p] & 0xFF);
            }
            b.append('\n');
        }
        Files.writeString(file, b);
        return file;
    }
}
