package dev.lanes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of Lanes. */
public final class Lanes {

    private Lanes() {
    }

    /** @return the Lanes version, e.g. {@code 0.1.0} */
    public static String version() {
        try (InputStream in = Lanes.class.getResourceAsStream("/lanes-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
