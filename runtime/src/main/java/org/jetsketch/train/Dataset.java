package org.jetsketch.train;

import java.util.List;

/** n training examples, indexed 0..n-1. Example {@code i} carries data weight {@code w_i}. */
public interface Dataset<E> {

    int size();

    E get(int index);

    /** A dataset over an immutable copy of {@code examples}; null examples are rejected. */
    static <E> Dataset<E> of(List<E> examples) {
        List<E> copy = List.copyOf(examples);
        if (copy.isEmpty()) throw new IllegalArgumentException("a dataset needs at least one example");
        return new Dataset<>() {
            @Override
            public int size() { return copy.size(); }

            @Override
            public E get(int index) { return copy.get(index); }
        };
    }
}
