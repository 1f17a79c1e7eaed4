package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a child JVM of {@code bench} inherits from its parent's options (the figures: CliTest). */
class BenchCommandTest {

    @Test
    void childrenGetModulesHeapPropertiesAndFlagsButNoAgentsOrRecordings() {
        List<String> parent = List.of("--add-modules=jdk.incubator.vector", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-Xmx1g", "-Xss4m", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:StartFlightRecording=filename=rec.jfr", "-XX:FlightRecorderOptions=stackdepth=96",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/x/agent.jar", "-ea");
        assertEquals(List.of("--add-modules=jdk.incubator.vector", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-Xmx1g", "-Xss4m", "-XX:+IgnoreUnrecognizedVMOptions"),
                BenchCommand.childJvmOptions(parent));
        // a pair at the very end with its value missing is not passed on half
        assertEquals(List.of(), BenchCommand.childJvmOptions(List.of("--add-modules")));
    }
}
