package org.jetsketch.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starting a Spark context for jetsketch's commands and tests. */
public final class SparkContexts {
    private SparkContexts() {}

    /**
     * A context on {@code master} ({@code local[N]}, {@code local[N,F]}, {@code spark://host:7077},
     * {@code yarn}, ...; null: whatever spark-submit configured). For a local master the driver
     * binds to 127.0.0.1, so that it works on a machine whose host name does not resolve, and the
     * web UI is off.
     */
    public static JavaSparkContext start(String master, String appName) {
        return start(master, appName, null);
    }

    /**
     * As {@link #start(String, String)}; on a cluster master, {@code applicationJar} (if not null
     * and {@code spark.jars} is not set) is shipped to the executors, which need the classes of
     * the recipes (spark-submit ships its application jar itself).
     */
    public static JavaSparkContext start(String master, String appName, String applicationJar) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) conf.setMaster(master);
        String m = conf.get("spark.master", "");
        if (applicationJar != null && !m.startsWith("local")) conf.setIfMissing("spark.jars", applicationJar);
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
