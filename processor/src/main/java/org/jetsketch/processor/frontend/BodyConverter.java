package org.jetsketch.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.jetsketch.processor.ir.Diagnostic;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr.Role;
import org.jetsketch.processor.ir.SourceRef;
import org.jetsketch.processor.ir.Stmt;
import org.jetsketch.processor.primitives.Functions;

/**
 * Converts one method body into IR, checking the syntactic subset on the way. Each error is
 * reported on the offending tree; the conversion then goes on where it can (so one compile shows
 * every error) and abandons the method where it cannot.
 */
final class BodyConverter {

    /** A call of a helper method, for the work list and the recursion check. */
    record Call(ExecutableElement target, TreePath path) {}

    /**
     * Object types a value of a circuit cannot have: a boxed number could hold an active value
     * (which is a tape slot in the generated code), and Object or Number could hold anything.
     * Other object types (the example, Strings, records read from it) stay passive data.
     */
    private static final Set<String> BOXED_OR_OBJECT = Set.of("java.lang.Object", "java.lang.Number",
            "java.lang.Double", "java.lang.Float", "java.lang.Integer", "java.lang.Long", "java.lang.Short",
            "java.lang.Byte", "java.lang.Character", "java.lang.Boolean");

    private final Trees trees;
    private final Reporter reporter;
    private final TypeElement circuit;
    private final Role role;
    private final Map<Element, String> names = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<Call> calls = new ArrayList<>();
    /** Locals whose declaration was reported (an unsupported type): their uses are skipped silently. */
    private final Set<Element> unusable = new HashSet<>();
    private Element example;

    BodyConverter(Trees trees, Reporter reporter, TypeElement circuit, Role role) {
        this.trees = trees;
        this.reporter = reporter;
        this.circuit = circuit;
        this.role = role;
    }

    List<Call> calls() { return calls; }

    /** Gives a local or parameter its method-unique IR name (sibling scopes may reuse a name). */
    String declare(VariableElement v) {
        String base = v.getSimpleName().toString();
        String name = base;
        for (int i = 2; !usedNames.add(name); i++) name = base + "$" + i;
        names.put(v, name);
        if (role == Role.LOSS && v.getKind() == ElementKind.PARAMETER && example == null) example = v;
        return name;
    }

    // ---------------------------------------------------------------- types

    IrType typeOf(TypeMirror t, TreePath at) {
        IrType type = typeOrNull(t);
        if (type == null) {
            reporter.error(at, Diagnostic.UNSUPPORTED_TYPE, t);
            throw new Reporter.Abort();
        }
        return type;
    }

    private static IrType typeOrNull(TypeMirror t) {
        switch (t.getKind()) {
            case DOUBLE: return IrType.DOUBLE;
            case INT: return IrType.INT;
            case SHORT: return new IrType(IrType.Base.INT, 0, "short");
            case BYTE: return new IrType(IrType.Base.INT, 0, "byte");
            case LONG: return IrType.LONG;
            case BOOLEAN: return IrType.BOOLEAN;
            case CHAR: return IrType.CHAR;
            case VOID: return IrType.VOID;
            case DECLARED: return BOXED_OR_OBJECT.contains(t.toString()) ? null
                    : new IrType(IrType.Base.OBJECT, 0, t.toString());
            case ARRAY: {
                IrType component = typeOrNull(((ArrayType) t).getComponentType());
                if (component == null || component.base() == IrType.Base.VOID) return null;
                if (component.dims() >= 2 && component.base() != IrType.Base.OBJECT) return null;
                return new IrType(component.base(), component.dims() + 1, component.javaName() + "[]");
            }
            default: return null;
        }
    }

    private IrType typeAt(TreePath path) {
        TypeMirror t = trees.getTypeMirror(path);
        if (t == null) {
            reporter.error(path, Diagnostic.INTERNAL, "javac gave no type for '" + path.getLeaf() + "'");
            throw new Reporter.Abort();
        }
        return typeOf(t, path);
    }

    // ---------------------------------------------------------------- statements

    Stmt.Block block(TreePath path) {
        BlockTree tree = (BlockTree) path.getLeaf();
        List<Stmt> out = new ArrayList<>();
        for (StatementTree s : tree.getStatements()) {
            Stmt converted = statement(new TreePath(path, s));
            if (converted != null) out.add(converted);
        }
        return new Stmt.Block(ref(path), out);
    }

    private Stmt statement(TreePath path) {
        Tree tree = path.getLeaf();
        try {
            switch (tree.getKind()) {
                case BLOCK:
                    return block(path);
                case EMPTY_STATEMENT:
                    return null;
                case VARIABLE: {
                    VariableTree v = (VariableTree) tree;
                    VariableElement element = (VariableElement) trees.getElement(path);
                    IrType type;
                    try {
                        type = typeOf(element.asType(), path);
                    } catch (Reporter.Abort abort) {
                        unusable.add(element); // reported once here, not again at every use
                        throw abort;
                    }
                    // declared before its initializer is converted: an error there must not make
                    // every later use of the variable an error too
                    String name = declare(element);
                    Expr init = v.getInitializer() == null ? null
                            : initializer(new TreePath(path, v.getInitializer()), type);
                    return new Stmt.LocalDecl(ref(path), type, name, init);
                }
                case EXPRESSION_STATEMENT: {
                    TreePath e = new TreePath(path, ((ExpressionStatementTree) tree).getExpression());
                    return new Stmt.ExprStmt(ref(path), expression(e));
                }
                case IF: {
                    IfTree t = (IfTree) tree;
                    Stmt otherwise = t.getElseStatement() == null ? null
                            : statementOrEmpty(new TreePath(path, t.getElseStatement()));
                    return new Stmt.If(ref(path), expression(new TreePath(path, t.getCondition())),
                            statementOrEmpty(new TreePath(path, t.getThenStatement())), otherwise);
                }
                case FOR_LOOP: {
                    ForLoopTree t = (ForLoopTree) tree;
                    List<Stmt> init = new ArrayList<>();
                    for (StatementTree s : t.getInitializer()) init.add(statement(new TreePath(path, s)));
                    List<Stmt> update = new ArrayList<>();
                    for (ExpressionStatementTree s : t.getUpdate()) update.add(statement(new TreePath(path, s)));
                    Expr cond = t.getCondition() == null ? null : expression(new TreePath(path, t.getCondition()));
                    return new Stmt.For(ref(path), init, cond, update,
                            statementOrEmpty(new TreePath(path, t.getStatement())));
                }
                case WHILE_LOOP: {
                    WhileLoopTree t = (WhileLoopTree) tree;
                    return new Stmt.While(ref(path), expression(new TreePath(path, t.getCondition())),
                            statementOrEmpty(new TreePath(path, t.getStatement())));
                }
                case DO_WHILE_LOOP: {
                    DoWhileLoopTree t = (DoWhileLoopTree) tree;
                    return new Stmt.DoWhile(ref(path), statementOrEmpty(new TreePath(path, t.getStatement())),
                            expression(new TreePath(path, t.getCondition())));
                }
                case BREAK:
                    if (((BreakTree) tree).getLabel() != null) throw unsupportedStatement(path, "a labelled break",
                            "restructure the loop or use a boolean flag");
                    return new Stmt.Break(ref(path));
                case CONTINUE:
                    if (((ContinueTree) tree).getLabel() != null) throw unsupportedStatement(path,
                            "a labelled continue", "restructure the loop or use a boolean flag");
                    return new Stmt.Continue(ref(path));
                case RETURN: {
                    ExpressionTree e = ((ReturnTree) tree).getExpression();
                    return new Stmt.Return(ref(path), e == null ? null : expression(new TreePath(path, e)));
                }
                case ENHANCED_FOR_LOOP:
                    throw unsupportedStatement(path, "an enhanced for loop",
                            "write an indexed loop: for (int i = 0; i < a.length; i++)");
                case SWITCH:
                    throw unsupportedStatement(path, "switch", "use if/else");
                case TRY:
                    throw unsupportedStatement(path, "try/catch", "check the input before the circuit runs");
                case THROW:
                    throw unsupportedStatement(path, "throw", "check the input before the circuit runs");
                case SYNCHRONIZED:
                    throw unsupportedStatement(path, "synchronized", "remove it: circuits are single-threaded");
                case LABELED_STATEMENT:
                    throw unsupportedStatement(path, "a labelled statement", "remove the label");
                case ASSERT:
                    throw unsupportedStatement(path, "assert", "check the input before the circuit runs");
                case CLASS:
                    throw unsupportedStatement(path, "a local class", "move it out of the circuit body");
                default:
                    throw unsupportedStatement(path, "this statement (" + tree.getKind() + ")",
                            "keep to declarations, assignments, if, for, while, do, break, continue and return");
            }
        } catch (Reporter.Abort abort) {
            // reported where it was found; skip this statement and check the rest
            return null;
        }
    }

    private Stmt statementOrEmpty(TreePath path) {
        Stmt s = statement(path);
        return s != null ? s : new Stmt.Block(ref(path), List.of());
    }

    private Reporter.Abort unsupportedStatement(TreePath path, String what, String instead) {
        reporter.error(path, Diagnostic.UNSUPPORTED_STATEMENT, what, instead);
        return new Reporter.Abort();
    }

    private Reporter.Abort unsupportedExpression(TreePath path, String what, String instead) {
        reporter.error(path, Diagnostic.UNSUPPORTED_EXPRESSION, what, instead);
        return new Reporter.Abort();
    }

    /** A declaration's initializer: a bare array initializer {@code {1, 2}} gets the declared type. */
    private Expr initializer(TreePath path, IrType declared) {
        if (path.getLeaf() instanceof NewArrayTree n && n.getType() == null) {
            return arrayLiteral(path, n, declared);
        }
        return expression(path);
    }

    // ---------------------------------------------------------------- expressions

    Expr expression(TreePath path) {
        Tree tree = path.getLeaf();
        switch (tree.getKind()) {
            case PARENTHESIZED:
                return expression(new TreePath(path, ((ParenthesizedTree) tree).getExpression()));
            case INT_LITERAL:
            case LONG_LITERAL:
            case DOUBLE_LITERAL:
            case BOOLEAN_LITERAL:
            case CHAR_LITERAL:
            case STRING_LITERAL:
                return new Expr.Literal(ref(path), typeAt(path), ((LiteralTree) tree).getValue());
            case FLOAT_LITERAL:
                throw unsupportedExpression(path, "a float literal", "write a double literal (drop the f)");
            case NULL_LITERAL:
                throw unsupportedExpression(path, "null", "circuits work on numbers and arrays only");
            case IDENTIFIER:
                return identifier(path);
            case MEMBER_SELECT:
                return memberSelect(path);
            case ARRAY_ACCESS: {
                ArrayAccessTree t = (ArrayAccessTree) tree;
                return new Expr.ArrayAccess(ref(path), typeAt(path), expression(new TreePath(path, t.getExpression())),
                        expression(new TreePath(path, t.getIndex())));
            }
            case NEW_ARRAY: {
                NewArrayTree t = (NewArrayTree) tree;
                IrType type = typeAt(path);
                if (t.getInitializers() != null) return arrayLiteral(path, t, type);
                List<Expr> dims = new ArrayList<>();
                for (ExpressionTree d : t.getDimensions()) dims.add(expression(new TreePath(path, d)));
                return new Expr.NewArray(ref(path), type, dims);
            }
            case CONDITIONAL_EXPRESSION: {
                ConditionalExpressionTree t = (ConditionalExpressionTree) tree;
                return new Expr.Conditional(ref(path), typeAt(path), expression(new TreePath(path, t.getCondition())),
                        expression(new TreePath(path, t.getTrueExpression())),
                        expression(new TreePath(path, t.getFalseExpression())));
            }
            case TYPE_CAST: {
                TypeCastTree t = (TypeCastTree) tree;
                return new Expr.Cast(ref(path), typeAt(path), expression(new TreePath(path, t.getExpression())));
            }
            case METHOD_INVOCATION:
                return invocation(path);
            case ASSIGNMENT: {
                AssignmentTree t = (AssignmentTree) tree;
                Expr target = assignable(new TreePath(path, t.getVariable()));
                return new Expr.Assign(ref(path), target.type(), target, null,
                        expression(new TreePath(path, t.getExpression())));
            }
            case PLUS_ASSIGNMENT:
            case MINUS_ASSIGNMENT:
            case MULTIPLY_ASSIGNMENT:
            case DIVIDE_ASSIGNMENT:
            case REMAINDER_ASSIGNMENT:
            case AND_ASSIGNMENT:
            case OR_ASSIGNMENT:
            case XOR_ASSIGNMENT:
            case LEFT_SHIFT_ASSIGNMENT:
            case RIGHT_SHIFT_ASSIGNMENT:
            case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT: {
                CompoundAssignmentTree t = (CompoundAssignmentTree) tree;
                Expr target = assignable(new TreePath(path, t.getVariable()));
                return new Expr.Assign(ref(path), target.type(), target, compoundOp(tree.getKind()),
                        expression(new TreePath(path, t.getExpression())));
            }
            case PREFIX_INCREMENT:
            case PREFIX_DECREMENT:
            case POSTFIX_INCREMENT:
            case POSTFIX_DECREMENT: {
                UnaryTree t = (UnaryTree) tree;
                Expr target = assignable(new TreePath(path, t.getExpression()));
                boolean inc = tree.getKind() == Tree.Kind.PREFIX_INCREMENT || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT;
                boolean prefix = tree.getKind() == Tree.Kind.PREFIX_INCREMENT || tree.getKind() == Tree.Kind.PREFIX_DECREMENT;
                return new Expr.IncDec(ref(path), target.type(), target, inc, prefix);
            }
            case UNARY_MINUS:
            case UNARY_PLUS:
            case LOGICAL_COMPLEMENT:
            case BITWISE_COMPLEMENT: {
                UnaryTree t = (UnaryTree) tree;
                Expr.UnaryOp op = switch (tree.getKind()) {
                    case UNARY_MINUS -> Expr.UnaryOp.NEG;
                    case UNARY_PLUS -> Expr.UnaryOp.PLUS;
                    case LOGICAL_COMPLEMENT -> Expr.UnaryOp.NOT;
                    default -> Expr.UnaryOp.BIT_NOT;
                };
                return new Expr.Unary(ref(path), typeAt(path), op, expression(new TreePath(path, t.getExpression())));
            }
            case LAMBDA_EXPRESSION:
                throw unsupportedExpression(path, "a lambda", "write a helper method of the circuit class");
            case MEMBER_REFERENCE:
                throw unsupportedExpression(path, "a method reference", "call a helper method of the circuit class");
            case NEW_CLASS:
                throw unsupportedExpression(path, "object creation", "use arrays of double, int, long or boolean");
            case INSTANCE_OF:
                throw unsupportedExpression(path, "instanceof", "circuits work on numbers and arrays only");
            default:
                if (tree instanceof BinaryTree b) return binary(path, b);
                throw unsupportedExpression(path, "this expression (" + tree.getKind() + ")",
                        "keep to arithmetic, comparisons, array access and calls of supported functions");
        }
    }

    private Expr arrayLiteral(TreePath path, NewArrayTree t, IrType type) {
        List<Expr> elements = new ArrayList<>();
        for (ExpressionTree e : t.getInitializers()) {
            TreePath p = new TreePath(path, e);
            elements.add(e instanceof NewArrayTree n && n.getType() == null ? arrayLiteral(p, n, type.element())
                    : expression(p));
        }
        return new Expr.ArrayLiteral(ref(path), type, elements);
    }

    private Expr binary(TreePath path, BinaryTree t) {
        BinaryOp op = switch (t.getKind()) {
            case PLUS -> BinaryOp.ADD;
            case MINUS -> BinaryOp.SUB;
            case MULTIPLY -> BinaryOp.MUL;
            case DIVIDE -> BinaryOp.DIV;
            case REMAINDER -> BinaryOp.REM;
            case LESS_THAN -> BinaryOp.LT;
            case LESS_THAN_EQUAL -> BinaryOp.LE;
            case GREATER_THAN -> BinaryOp.GT;
            case GREATER_THAN_EQUAL -> BinaryOp.GE;
            case EQUAL_TO -> BinaryOp.EQ;
            case NOT_EQUAL_TO -> BinaryOp.NE;
            case CONDITIONAL_AND -> BinaryOp.AND;
            case CONDITIONAL_OR -> BinaryOp.OR;
            case AND -> BinaryOp.BIT_AND;
            case OR -> BinaryOp.BIT_OR;
            case XOR -> BinaryOp.BIT_XOR;
            case LEFT_SHIFT -> BinaryOp.SHL;
            case RIGHT_SHIFT -> BinaryOp.SHR;
            case UNSIGNED_RIGHT_SHIFT -> BinaryOp.USHR;
            default -> throw unsupportedExpression(path, "operator " + t.getKind(), "use arithmetic and comparisons");
        };
        IrType type = typeAt(path);
        if (type.base() == IrType.Base.OBJECT) {
            throw unsupportedExpression(path, "string concatenation", "circuits compute numbers only");
        }
        return new Expr.Binary(ref(path), type, op, expression(new TreePath(path, t.getLeftOperand())),
                expression(new TreePath(path, t.getRightOperand())));
    }

    private static BinaryOp compoundOp(Tree.Kind kind) {
        return switch (kind) {
            case PLUS_ASSIGNMENT -> BinaryOp.ADD;
            case MINUS_ASSIGNMENT -> BinaryOp.SUB;
            case MULTIPLY_ASSIGNMENT -> BinaryOp.MUL;
            case DIVIDE_ASSIGNMENT -> BinaryOp.DIV;
            case REMAINDER_ASSIGNMENT -> BinaryOp.REM;
            case AND_ASSIGNMENT -> BinaryOp.BIT_AND;
            case OR_ASSIGNMENT -> BinaryOp.BIT_OR;
            case XOR_ASSIGNMENT -> BinaryOp.BIT_XOR;
            case LEFT_SHIFT_ASSIGNMENT -> BinaryOp.SHL;
            case RIGHT_SHIFT_ASSIGNMENT -> BinaryOp.SHR;
            default -> BinaryOp.USHR;
        };
    }

    /** The target of an assignment: checks that it writes neither the example nor a field. */
    private Expr assignable(TreePath path) {
        Expr target = expression(path);
        Expr root = target;
        while (root instanceof Expr.ArrayAccess a) root = a.array();
        String what = "this assignment";
        if (root instanceof Expr.Local l && example != null && l.name().equals(names.get(example))) {
            reporter.error(path, Diagnostic.EXAMPLE_WRITE, what);
        } else if (root instanceof Expr.PassiveCall || root instanceof Expr.PassiveField) {
            reporter.error(path, Diagnostic.EXAMPLE_WRITE, what);
        } else if (root instanceof Expr.Field f) {
            if (f.kind() == Expr.FieldKind.PARAM) reporter.error(path, Diagnostic.PARAM_WRITE, what, f.name());
            else reporter.error(path, Diagnostic.FIELD_WRITE, what, f.name());
        }
        return target;
    }

    private Expr identifier(TreePath path) {
        Element e = trees.getElement(path);
        if (e == null) {
            reporter.error(path, Diagnostic.INTERNAL, "unresolved name '" + path.getLeaf() + "'");
            throw new Reporter.Abort();
        }
        switch (e.getKind()) {
            case LOCAL_VARIABLE:
            case PARAMETER: {
                if (unusable.contains(e)) throw new Reporter.Abort();
                String name = names.get(e);
                if (name == null) {
                    reporter.error(path, Diagnostic.INTERNAL, "undeclared local '" + e.getSimpleName() + "'");
                    throw new Reporter.Abort();
                }
                return new Expr.Local(ref(path), typeOf(e.asType(), path), name);
            }
            case FIELD:
                return field(path, (VariableElement) e);
            default:
                throw unsupportedExpression(path, "'" + e.getSimpleName() + "' (a " + e.getKind() + ")",
                        "use locals, fields, parameters and the example");
        }
    }

    private Expr field(TreePath path, VariableElement f) {
        Object constant = f.getConstantValue();
        if (constant != null) {
            if (constant instanceof Float) {
                throw unsupportedExpression(path, "float constant " + f.getSimpleName(), "declare it as double");
            }
            return new Expr.Literal(ref(path), typeOf(f.asType(), path), constant);
        }
        String owner = ((TypeElement) f.getEnclosingElement()).getQualifiedName().toString();
        if (CircuitReader.has(f, "Param")) {
            return new Expr.Field(ref(path), IrType.doubleArray(CircuitReader.doubleArrayDims(f.asType())),
                    Expr.FieldKind.PARAM, owner, f.getSimpleName().toString());
        }
        if (f.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.error(path, Diagnostic.PRIVATE_FIELD, "field " + f.getSimpleName(), "circuit");
            throw new Reporter.Abort();
        }
        boolean isStatic = f.getModifiers().contains(Modifier.STATIC);
        if (!isStatic && !f.getEnclosingElement().equals(circuit)) {
            reporter.error(path, Diagnostic.UNSUPPORTED_EXPRESSION, "field " + f.getSimpleName() + " of another class",
                    "read fields of the circuit class or of the example");
            throw new Reporter.Abort();
        }
        return new Expr.Field(ref(path), typeOf(f.asType(), path),
                isStatic ? Expr.FieldKind.STATIC : Expr.FieldKind.INSTANCE, owner, f.getSimpleName().toString());
    }

    private Expr memberSelect(TreePath path) {
        MemberSelectTree t = (MemberSelectTree) path.getLeaf();
        TreePath receiverPath = new TreePath(path, t.getExpression());
        String member = t.getIdentifier().toString();
        Element e = trees.getElement(path);
        TypeMirror receiverType = trees.getTypeMirror(receiverPath);
        if (member.equals("length") && receiverType != null && receiverType.getKind() == TypeKind.ARRAY) {
            return new Expr.Length(ref(path), expression(receiverPath));
        }
        if (e != null && e.getKind() == ElementKind.FIELD) {
            boolean qualifierIsThis = t.getExpression() instanceof IdentifierTree id
                    && id.getName().contentEquals("this");
            Element qualifier = trees.getElement(receiverPath);
            boolean qualifierIsType = qualifier != null && (qualifier.getKind().isClass() || qualifier.getKind().isInterface());
            if (qualifierIsThis || qualifierIsType || e.getModifiers().contains(Modifier.STATIC)) {
                return field(path, (VariableElement) e);
            }
            Expr receiver = expression(receiverPath);
            if (receiver.type().base() != IrType.Base.OBJECT || receiver.type().isArray()) {
                throw unsupportedExpression(path, "field access on " + receiver.type(), "read the example's fields");
            }
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                reporter.error(path, Diagnostic.PRIVATE_FIELD, "field " + member, "circuit");
                throw new Reporter.Abort();
            }
            return new Expr.PassiveField(ref(path), typeAt(path), receiver, member);
        }
        throw unsupportedExpression(path, "'" + t + "'", "use locals, fields, the example and array lengths");
    }

    private Expr invocation(TreePath path) {
        MethodInvocationTree t = (MethodInvocationTree) path.getLeaf();
        Element el = trees.getElement(path);
        if (!(el instanceof ExecutableElement m)) {
            reporter.error(path, Diagnostic.INTERNAL, "unresolved call '" + t + "'");
            throw new Reporter.Abort();
        }
        List<Expr> args = new ArrayList<>();
        for (ExpressionTree a : t.getArguments()) args.add(expression(new TreePath(path, a)));
        IrType type = typeAt(path);
        TypeElement owner = (TypeElement) m.getEnclosingElement();
        String ownerName = owner.getQualifiedName().toString();
        String name = m.getSimpleName().toString();
        if (owner.equals(circuit)) {
            if (!m.getModifiers().contains(Modifier.STATIC) && t.getMethodSelect() instanceof MemberSelectTree sel
                    && !(sel.getExpression() instanceof IdentifierTree id && id.getName().contentEquals("this"))) {
                throw unsupportedExpression(path, "a call on another instance", "call helpers on this instance");
            }
            calls.add(new Call(m, path));
            return new Expr.CallHelper(ref(path), type, CircuitReader.methodKey(m), varargs(path, m, args));
        }
        if (m.getModifiers().contains(Modifier.STATIC)) {
            String ownerKey = Functions.ownerKey(ownerName);
            if (ownerKey != null) {
                return new Expr.CallFunction(ref(path), type, ownerKey, name, args);
            }
            reporter.error(path, Diagnostic.UNSUPPORTED_CALL, ownerName + "." + name);
            throw new Reporter.Abort();
        }
        if (t.getMethodSelect() instanceof MemberSelectTree sel) {
            Expr receiver = expression(new TreePath(path, sel.getExpression()));
            boolean accessor = args.isEmpty() && type.base() != IrType.Base.VOID;
            boolean stringRead = ownerName.equals("java.lang.String") && (name.equals("charAt") || name.equals("length"));
            if (receiver.type().base() == IrType.Base.OBJECT && !receiver.type().isArray() && (accessor || stringRead)) {
                if (m.getModifiers().contains(Modifier.PRIVATE)) {
                    reporter.error(path, Diagnostic.PRIVATE_FIELD, "method " + name, "circuit");
                    throw new Reporter.Abort();
                }
                return new Expr.PassiveCall(ref(path), type, receiver, null, name, args);
            }
        }
        reporter.error(path, Diagnostic.UNSUPPORTED_CALL, ownerName + "." + name);
        throw new Reporter.Abort();
    }

    /**
     * The arguments of a helper call as the callee's declared parameters see them: a call in
     * variable-arity form ({@code sumsq(a, b)} for {@code sumsq(double... xs)}) passes its trailing
     * arguments as one array, exactly as javac does, so the helper is compiled as a method taking
     * that array. A call that already passes an array of the parameter's type is left alone.
     */
    private List<Expr> varargs(TreePath path, ExecutableElement m, List<Expr> args) {
        if (!m.isVarArgs()) return args;
        int fixed = m.getParameters().size() - 1;
        IrType arrayType = typeOf(m.getParameters().get(fixed).asType(), path);
        if (args.size() == fixed + 1) {
            IrType last = args.get(fixed).type();
            if (last.isArray() && last.dims() == arrayType.dims()) return args; // the array itself
        }
        List<Expr> packed = new ArrayList<>(args.subList(0, fixed));
        packed.add(new Expr.ArrayLiteral(ref(path), arrayType, List.copyOf(args.subList(fixed, args.size()))));
        return packed;
    }

    private SourceRef ref(TreePath path) { return reporter.ref(path); }
}
