package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.jetsketch.sketch.BranchSwitch;
import org.junit.jupiter.api.Test;

/** The branch-switch line, its warning below the requested t, and its JSON. */
class BranchReportTest {

    private static String print(BranchSwitch b, double reach) {
        StringWriter s = new StringWriter();
        try (PrintWriter o = new PrintWriter(s)) {
            BranchReport.print(o, b, reach, "");
        }
        return s.toString();
    }

    @Test
    void aSwitchBelowTheRequestedTIsAWarning() {
        BranchSwitch b = new BranchSwitch(0.025, "Huber.java:42");
        String below = print(b, 1.0);
        assertTrue(below.contains("branch at Huber.java:42 can switch at t ≈ 0.0250: predictions beyond it are extrapolations"),
                below);
        assertTrue(below.contains("warning: the branch at Huber.java:42 can switch at t ≈ 0.0250, below the requested t = 1"),
                below);
        String above = print(b, 0.02);
        assertTrue(above.contains("can switch at t ≈ 0.0250") && !above.contains("warning"), above);
        ObjectNode json = BranchReport.json(b, 1.0);
        assertEquals(0.025, json.get("t").asDouble());
        assertEquals("Huber.java:42", json.get("site").asText());
        assertTrue(json.get("beyondRequested").asBoolean());
    }

    @Test
    void noDecisionIsSaidAndNeverWarned() {
        String none = print(BranchSwitch.NONE, 1e9);
        assertTrue(none.startsWith("branches: no decision") && !none.contains("warning"), none);
        ObjectNode json = BranchReport.json(BranchSwitch.NONE, 1.0);
        assertTrue(json.get("t").isNull() && json.get("site").isNull());
        assertFalse(json.get("beyondRequested").asBoolean());
        assertEquals(2.0, BranchReport.reach(new double[] {0, -2, 0.5}, false));
        assertEquals(1.0, BranchReport.reach(new double[] {0.25, 0.5}, true));
    }
}
