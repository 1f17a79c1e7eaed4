package org.jetsketch.processor.ir;

import java.util.List;

/**
 * One {@code @Circuit} class, as the frontend read it: everything the analyses and the code
 * generator need, and nothing of javac.
 *
 * @param packageName the class's package ("" for the default package)
 * @param simpleName the class's simple name; nested circuit classes are named by their flat
 *     binary-free name ({@code Outer_Inner}) in {@code generatedName}
 * @param qualifiedName the canonical name, used to reach the instance's fields
 * @param generatedName the generated class's simple name
 * @param exampleType the source spelling of the loss's example type
 * @param params the {@code @Param} fields, in declaration order
 * @param methods the loss, the step, the measurements and every helper they reach
 */
public record CircuitIr(
        String packageName,
        String simpleName,
        String qualifiedName,
        String generatedName,
        String exampleType,
        List<ParamField> params,
        List<MethodIr> methods) {

    /** A {@code @Param} field: {@code dims} is 0, 1 or 2. */
    public record ParamField(String name, int dims) {}

    public MethodIr method(String key) {
        for (MethodIr m : methods) if (m.key().equals(key)) return m;
        throw new IllegalArgumentException("no method " + key);
    }

    public MethodIr loss() { return only(MethodIr.Role.LOSS); }

    public MethodIr step() { return only(MethodIr.Role.TRAINING_STEP); }

    public List<MethodIr> measurements() {
        return methods.stream().filter(m -> m.role() == MethodIr.Role.MEASUREMENT).toList();
    }

    private MethodIr only(MethodIr.Role role) {
        return methods.stream().filter(m -> m.role() == role).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role));
    }
}
