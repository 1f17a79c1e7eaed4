package org.jetsketch.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void resultsComeInTaskOrderWhateverFinishesFirst() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int x = i;
            tasks.add(() -> {
                Thread.sleep(5L * (8 - x)); // later tasks finish first
                return x * x;
            });
        }
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49), Workers.runAll(tasks, 3, "test"));
        assertEquals(List.of(), Workers.runAll(List.<Callable<Integer>>of(), 2, "test"));
    }

    @Test
    void aTaskFailureIsRethrownAsItself() {
        IOException io = new IOException("disk");
        assertSame(io, assertThrows(IOException.class,
                () -> Workers.runAll(List.<Callable<Object>>of(() -> { throw io; }), 2, "test")));
        IllegalStateException state = new IllegalStateException("bad");
        assertSame(state, assertThrows(IllegalStateException.class,
                () -> Workers.runAll(List.<Callable<Object>>of(() -> 1, () -> { throw state; }), 2, "test")));
        Exception checked = new Exception("checked");
        IOException wrapped = assertThrows(IOException.class,
                () -> Workers.runAll(List.<Callable<Object>>of(() -> { throw checked; }), 1, "test"));
        assertSame(checked, wrapped.getCause());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Workers.runAll(List.of(() -> 1), 0, "test"))
                .getMessage().contains("threads"));
    }
}
