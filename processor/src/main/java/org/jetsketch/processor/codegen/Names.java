package org.jetsketch.processor.codegen;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeVariableName;
import org.jetsketch.processor.ir.IrType;

/**
 * The generated code's contract with the runtime, by name only: the processor never links
 * against runtime classes.
 */
final class Names {
    private Names() {}

    static final ClassName JETS = ClassName.get("org.jetsketch.jet", "Jets");
    static final ClassName REAL_MATH = ClassName.get("org.jetsketch.jet", "RealMath");
    static final ClassName COMPILED_CIRCUIT = ClassName.get("org.jetsketch.circuit", "CompiledCircuit");
    static final ClassName BOUND_MEASUREMENT = ClassName.get("org.jetsketch.circuit", "BoundMeasurement");
    static final ClassName PARAM_LAYOUT = ClassName.get("org.jetsketch.circuit", "ParamLayout");
    static final ClassName FLAT_ARRAYS = ClassName.get("org.jetsketch.circuit", "FlatArrays");
    static final ClassName REAL_WORKSPACE = ClassName.get("org.jetsketch.circuit", "RealWorkspace");
    static final ClassName JET_WORKSPACE = ClassName.get("org.jetsketch.circuit", "JetWorkspace");
    static final ClassName ELEMENTWISE_CHUNKS = ClassName.get("org.jetsketch.circuit", "ElementwiseChunks");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    static final String PROCESSOR = "org.jetsketch.processor.CircuitProcessor";

    /** Members of the runtime's workspaces, which a parameter's field in a generated workspace must not hide. */
    private static final java.util.Set<String> WORKSPACE_MEMBERS = java.util.Set.of("jets", "stride", "val", "adj",
            "scratch", "argumentAdjoints", "resultAdjoint", "resultAdjoint2", "SCRATCH_JETS");

    /** The field of a generated workspace holding {@code @Param} {@code name}. */
    static String stateField(String name) {
        String base = name.endsWith("Bar") ? name.substring(0, name.length() - 3) : name;
        String suffix = name.endsWith("Bar") ? "Bar" : "";
        return WORKSPACE_MEMBERS.contains(base) ? base + "Param" + suffix : name;
    }

    /** A JavaPoet type for a source spelling such as {@code "int[]"} or {@code "org.x.Example"}. */
    static TypeName typeName(String javaName) {
        if (javaName.endsWith("[]")) return ArrayTypeName.of(typeName(javaName.substring(0, javaName.length() - 2)));
        switch (javaName) {
            case "double": return TypeName.DOUBLE;
            case "int": return TypeName.INT;
            case "long": return TypeName.LONG;
            case "boolean": return TypeName.BOOLEAN;
            case "char": return TypeName.CHAR;
            case "short": return TypeName.SHORT;
            case "byte": return TypeName.BYTE;
            case "void": return TypeName.VOID;
            default:
                try {
                    return ClassName.bestGuess(javaName);
                } catch (IllegalArgumentException notASimpleClassName) {
                    // e.g. a parameterized type: JavaPoet then writes the spelling verbatim
                    return TypeVariableName.get(javaName);
                }
        }
    }
}
