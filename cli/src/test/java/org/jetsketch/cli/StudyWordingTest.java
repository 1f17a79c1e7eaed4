package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Texts name a study's examples by the study's own noun ({@code Problem.exampleNoun}): churn's
 * examples are customers (its id column), the example studies' are examples, microgpt's names; an
 * index column is "index" except for microgpt, where example s is trained at step s.
 */
class StudyWordingTest {

    @Test
    void churnListsCustomers() {
        CliTest.Result r = CliTest.ok("influence", "--exact", "--study", "churn", "--steps", 5, "--top", 2,
                "--degree", 1);
        assertTrue(r.out().contains("exact first-order leave-one-out for all 200 customers"), r::toString);
        assertTrue(r.out().matches("(?s).*\\n  rank index  customer +first order\\n.*"), r::toString);
        assertFalse(r.out().contains("names"), r::toString);
    }

    @Test
    void exampleStudiesSayExamples() {
        CliTest.Result r = CliTest.fails(1, "none of the ", "retrain", "--study", "linear", "--delete-containing",
                "no such text");
        assertTrue(r.err().matches("(?s).*none of the \\d+ training examples contains \"no such text\".*"), r::toString);
        CliTest.Result outside = CliTest.fails(1, "outside the training range", "retrain", "--study", "linear",
                "--delete-indices", "100000");
        assertTrue(outside.err().matches("(?s).*outside the training range 0\\.\\.\\d+ \\(\\d+ training examples\\).*"),
                outside::toString);
    }
}
