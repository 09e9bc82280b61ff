package dev.lanes.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The test JVM's one Spark session. Starting the first takes seconds, later ones a fraction of a
 * second, so tests share it and switch master only where the master is what they test.
 */
final class Spark {

    private static SparkSession session;
    private static String master;

    private Spark() {
    }

    /** @return the session on {@code local[2]} */
    static synchronized SparkSession local2() {
        return on("local[2]", new SparkConf());
    }

    /** @return a session on the given master, stopping one on another master first */
    static synchronized SparkSession on(String wanted, SparkConf extra) {
        if (session != null && session.sparkContext().isStopped()) {
            session = null; // the command line stops the session it used
            master = null;
        }
        if (session != null && wanted.equals(master) && extra.getAll().length == 0) {
            return session;
        }
        stop();
        SparkConf conf = new SparkConf().setMaster(wanted).setAppName("lanes-spark-test")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                // Result and broadcast sizes of a 235k-parameter network are ~1 MB; keep Spark quiet about them.
                .set("spark.driver.maxResultSize", "1g")
                .setAll(scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(extra.getAll())));
        session = SparkSession.builder().config(conf).getOrCreate();
        master = extra.getAll().length == 0 ? wanted : null;
        return session;
    }

    static synchronized JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
            master = null;
        }
    }
}
