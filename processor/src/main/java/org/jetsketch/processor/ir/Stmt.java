package org.jetsketch.processor.ir;

import java.util.List;

/** A statement of a circuit body. */
public sealed interface Stmt {

    SourceRef ref();

    record Block(SourceRef ref, List<Stmt> statements) implements Stmt {}

    /** A local declaration; {@code init} may be null. */
    record LocalDecl(SourceRef ref, IrType type, String name, Expr init) implements Stmt {}

    /** An assignment, increment or call used as a statement. */
    record ExprStmt(SourceRef ref, Expr expr) implements Stmt {}

    record If(SourceRef ref, Expr condition, Stmt then, Stmt otherwise) implements Stmt {}

    /** {@code condition} may be null (an endless loop). */
    record For(SourceRef ref, List<Stmt> init, Expr condition, List<Stmt> update, Stmt body) implements Stmt {}

    record While(SourceRef ref, Expr condition, Stmt body) implements Stmt {}

    record DoWhile(SourceRef ref, Stmt body, Expr condition) implements Stmt {}

    record Break(SourceRef ref) implements Stmt {}

    record Continue(SourceRef ref) implements Stmt {}

    /** {@code value} is null in a void method. */
    record Return(SourceRef ref, Expr value) implements Stmt {}
}
