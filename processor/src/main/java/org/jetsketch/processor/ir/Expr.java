package org.jetsketch.processor.ir;

import java.util.List;

/** An expression of a circuit body, typed and resolved by the frontend. */
public sealed interface Expr {

    SourceRef ref();

    IrType type();

    /** A literal; {@code value} is a Double, Integer, Long, Boolean, Character or String. */
    record Literal(SourceRef ref, IrType type, Object value) implements Expr {}

    /** A local variable or method parameter, by its method-unique name. */
    record Local(SourceRef ref, IrType type, String name) implements Expr {}

    /** A field of the circuit class. */
    record Field(SourceRef ref, IrType type, FieldKind kind, String owner, String name) implements Expr {}

    enum FieldKind {
        /** A {@code @Param} field: always active. */
        PARAM,
        /** A non-parameter instance field: passive, read from the circuit instance. */
        INSTANCE,
        /** A static field that is not a compile-time constant (constants become literals). */
        STATIC
    }

    record ArrayAccess(SourceRef ref, IrType type, Expr array, Expr index) implements Expr {}

    record Length(SourceRef ref, Expr array) implements Expr {
        @Override
        public IrType type() { return IrType.INT; }
    }

    /** {@code new T[d0][d1]...[]}: {@code dims} are the given sizes, {@code type} the full array type. */
    record NewArray(SourceRef ref, IrType type, List<Expr> dims) implements Expr {}

    /** {@code new T[] {e0, e1, ...}} or a declaration's initializer {@code {e0, e1}}. */
    record ArrayLiteral(SourceRef ref, IrType type, List<Expr> elements) implements Expr {}

    record Unary(SourceRef ref, IrType type, UnaryOp op, Expr operand) implements Expr {}

    record Binary(SourceRef ref, IrType type, BinaryOp op, Expr left, Expr right) implements Expr {}

    record Conditional(SourceRef ref, IrType type, Expr condition, Expr ifTrue, Expr ifFalse) implements Expr {}

    record Cast(SourceRef ref, IrType type, Expr operand) implements Expr {}

    /** A call of a helper method of the circuit class, by its method key. */
    record CallHelper(SourceRef ref, IrType type, String methodKey, List<Expr> args) implements Expr {}

    /**
     * A call of a function that has a rule in the primitive table ({@code Math.exp},
     * {@code Fn.gelu}, ...). {@code function} is {@code "Math.exp"}-style; {@code args} are all the
     * call's arguments.
     */
    record CallFunction(SourceRef ref, IrType type, String owner, String function, List<Expr> args) implements Expr {}

    /**
     * A passive call: a method of the example or of a value read from it (record accessor,
     * {@code String.charAt}), or a static library function applied to passive values only.
     * {@code receiver} is null for a static call, whose {@code owner} is then a class name.
     */
    record PassiveCall(SourceRef ref, IrType type, Expr receiver, String owner, String method, List<Expr> args)
            implements Expr {}

    /** A field of a passive object ({@code example.label}). */
    record PassiveField(SourceRef ref, IrType type, Expr receiver, String name) implements Expr {}

    /** {@code target op= value} (op null for plain {@code =}); as a statement or a passive expression. */
    record Assign(SourceRef ref, IrType type, Expr target, BinaryOp op, Expr value) implements Expr {}

    /** {@code ++x}, {@code x--}, ... */
    record IncDec(SourceRef ref, IrType type, Expr target, boolean increment, boolean prefix) implements Expr {}

    enum UnaryOp { NEG, PLUS, NOT, BIT_NOT }

    enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), REM("%"),
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="),
        AND("&&"), OR("||"), BIT_AND("&"), BIT_OR("|"), BIT_XOR("^"), SHL("<<"), SHR(">>"), USHR(">>>");

        public final String symbol;

        BinaryOp(String symbol) { this.symbol = symbol; }

        public boolean isComparison() {
            return this == LT || this == LE || this == GT || this == GE || this == EQ || this == NE;
        }

        /** +, -, *, /: the operators with a rule on active operands. */
        public boolean isArithmetic() { return this == ADD || this == SUB || this == MUL || this == DIV; }
    }
}
