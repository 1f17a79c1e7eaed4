package org.jetsketch.processor.frontend;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Diagnostic;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.MethodIr.ParamKind;
import org.jetsketch.processor.ir.MethodIr.Role;
import org.jetsketch.processor.ir.Stmt;

/**
 * Reads one {@code @Circuit} class into a {@link CircuitIr}: validates its shape (parameters, the
 * loss, the step, measurements), then converts the bodies of the annotated methods and of every
 * helper they reach. Reports every problem it finds and returns null if there was any.
 *
 * <p>Bodies are read after javac attributed the class: {@code Trees.getElement} on a method's body
 * makes javac attribute the enclosing class in place (an undocumented but stable side effect on
 * JDK 17 and 25, pinned by {@code AttributionTest}); from then on every expression has its type
 * and every call its element.
 */
public final class CircuitReader {
    static final String DSL = "org.jetsketch.dsl.";

    private final ProcessingEnvironment env;
    private final Trees trees;
    private final Elements elements;
    private final Reporter reporter;

    public CircuitReader(ProcessingEnvironment env, Trees trees, Reporter reporter) {
        this.env = env;
        this.trees = trees;
        this.elements = env.getElementUtils();
        this.reporter = reporter;
    }

    public CircuitIr read(TypeElement type) {
        String qualified = type.getQualifiedName().toString();
        checkClass(type);
        List<CircuitIr.ParamField> params = readParams(type);

        ExecutableElement loss = null;
        ExecutableElement step = null;
        List<ExecutableElement> measurements = new ArrayList<>();
        for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (has(m, "Loss")) {
                if (loss != null) reporter.error(m, Diagnostic.DUPLICATE_ROLE, qualified, "@Loss");
                else loss = m;
            }
            if (has(m, "TrainingStep")) {
                if (step != null) reporter.error(m, Diagnostic.DUPLICATE_ROLE, qualified, "@TrainingStep");
                else step = m;
            }
            if (has(m, "Measurement")) measurements.add(m);
        }
        if (loss == null) reporter.error(type, Diagnostic.NO_LOSS, qualified);
        if (step == null) reporter.error(type, Diagnostic.NO_STEP, qualified);

        String exampleType = loss == null ? null : checkLoss(loss);
        if (step != null) checkStep(step);
        for (ExecutableElement m : measurements) checkMeasurement(m);
        if (reporter.errorCount() > 0) return null;

        attribute(loss);
        Map<String, MethodIr> methods = new LinkedHashMap<>();
        Map<String, ExecutableElement> byKey = new HashMap<>();
        Map<String, Integer> nameUses = new HashMap<>();
        Map<String, List<BodyConverter.Call>> calls = new HashMap<>();
        Deque<ExecutableElement> work = new ArrayDeque<>();
        Map<ExecutableElement, Role> roles = new LinkedHashMap<>();
        roles.put(loss, Role.LOSS);
        roles.put(step, Role.TRAINING_STEP);
        for (ExecutableElement m : measurements) roles.put(m, Role.MEASUREMENT);
        work.addAll(roles.keySet());
        while (!work.isEmpty()) {
            ExecutableElement m = work.removeFirst();
            String key = methodKey(m);
            if (byKey.containsKey(key)) continue;
            byKey.put(key, m);
            Role role = roles.getOrDefault(m, Role.HELPER);
            MethodTree tree = trees.getTree(m);
            if (tree == null || tree.getBody() == null) {
                reporter.error(m, Diagnostic.UNSUPPORTED_CALL, key + " (it has no body in this compilation)");
                continue;
            }
            TreePath bodyPath = TreePath.getPath(trees.getPath(m).getCompilationUnit(), tree.getBody());
            String emitted = "$" + m.getSimpleName() + suffix(nameUses, m.getSimpleName().toString());
            BodyConverter converter = new BodyConverter(trees, reporter, type, role);
            try {
                List<MethodIr.ParamIr> irParams = new ArrayList<>();
                for (VariableElement p : m.getParameters()) {
                    irParams.add(new MethodIr.ParamIr(converter.declare(p), paramType(converter, p),
                            paramKind(role, p)));
                }
                IrType returnType = converter.typeOf(m.getReturnType(), trees.getPath(m));
                Stmt.Block body = converter.block(bodyPath);
                methods.put(key, new MethodIr(key, m.getSimpleName().toString(), emitted, role,
                        m.getModifiers().contains(Modifier.STATIC), irParams, returnType, body,
                        reporter.ref(trees.getPath(m))));
                calls.put(key, converter.calls());
                for (BodyConverter.Call call : converter.calls()) work.add(call.target());
            } catch (Reporter.Abort abort) {
                // reported; go on with the other methods so the user sees every error at once
            }
        }
        checkRecursion(calls);
        if (reporter.errorCount() > 0) return null;

        String pkg = elements.getPackageOf(type).getQualifiedName().toString();
        String flatName = qualified.substring(pkg.isEmpty() ? 0 : pkg.length() + 1).replace('.', '_');
        return new CircuitIr(pkg, type.getSimpleName().toString(), qualified, flatName + "_Circuit",
                exampleType, params, new ArrayList<>(methods.values()));
    }

    /** The attribution trick: see the class comment. */
    private void attribute(ExecutableElement m) {
        MethodTree tree = trees.getTree(m);
        BlockTree body = tree.getBody();
        trees.getElement(TreePath.getPath(trees.getPath(m).getCompilationUnit(), body));
    }

    private static String suffix(Map<String, Integer> uses, String name) {
        int n = uses.merge(name, 1, Integer::sum);
        return n == 1 ? "" : "$" + n;
    }

    static String methodKey(ExecutableElement m) {
        StringBuilder sb = new StringBuilder(m.getSimpleName()).append('(');
        for (int i = 0; i < m.getParameters().size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(m.getParameters().get(i).asType());
        }
        return sb.append(')').toString();
    }

    private void checkClass(TypeElement type) {
        if (type.getKind() != ElementKind.CLASS) {
            reporter.error(type, Diagnostic.BAD_SIGNATURE, "@Circuit must be on a class, not on a " + type.getKind());
            throw new Reporter.Abort();
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)
                || (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC))
                || type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            reporter.error(type, Diagnostic.BAD_SIGNATURE,
                    "@Circuit class " + type.getSimpleName() + " must be top-level or a static nested class that is "
                            + "not private, so that the generated circuit can use it");
            throw new Reporter.Abort();
        }
        if (!type.getTypeParameters().isEmpty()) {
            reporter.error(type, Diagnostic.BAD_SIGNATURE, "@Circuit class " + type.getSimpleName()
                    + " must not be generic");
            throw new Reporter.Abort();
        }
    }

    private List<CircuitIr.ParamField> readParams(TypeElement type) {
        List<CircuitIr.ParamField> params = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (!has(f, "Param")) continue;
            int dims = doubleArrayDims(f.asType());
            boolean isStatic = f.getModifiers().contains(Modifier.STATIC);
            boolean isPrivate = f.getModifiers().contains(Modifier.PRIVATE);
            if (dims < 0) {
                reporter.error(f, Diagnostic.BAD_PARAM, f.getSimpleName(), f.asType());
                continue;
            }
            if (isStatic || isPrivate) {
                String modifiers = isPrivate && isStatic ? "private and static" : isPrivate ? "private" : "static";
                reporter.error(f, Diagnostic.BAD_PARAM_MODIFIER, f.getSimpleName(), modifiers);
                continue;
            }
            params.add(new CircuitIr.ParamField(f.getSimpleName().toString(), dims));
        }
        if (params.isEmpty()) {
            reporter.error(type, Diagnostic.NO_PARAM, type.getQualifiedName());
        }
        return params;
    }

    /** 0, 1 or 2 for double, double[], double[][]; -1 otherwise. */
    static int doubleArrayDims(TypeMirror t) {
        int dims = 0;
        while (t.getKind() == TypeKind.ARRAY) {
            t = ((ArrayType) t).getComponentType();
            dims++;
        }
        return t.getKind() == TypeKind.DOUBLE && dims <= 2 ? dims : -1;
    }

    private String checkLoss(ExecutableElement m) {
        checkInstanceDoubleMethod(m, "@Loss");
        if (m.getParameters().size() != 1 || m.getParameters().get(0).asType().getKind().isPrimitive()) {
            reporter.error(m, Diagnostic.BAD_SIGNATURE, "@Loss method " + m.getSimpleName()
                    + " must take exactly one parameter, the example (an object or array type)");
            return null;
        }
        checkAccessibleTypes(m, "@Loss");
        return m.getParameters().get(0).asType().toString();
    }

    /**
     * Signatures a measurement cannot have: the generated circuit gets a method of the
     * measurement's name and parameters, next to those of CompiledCircuit and Object.
     */
    private static final Set<String> GENERATED_SIGNATURES = Set.of("circuitName()", "layout()", "codeFingerprint()",
            "initialParameters()", "stateArrays()", "hashCode()", "toString()", "getClass()", "notify()",
            "notifyAll()", "wait()", "wait(long)", "wait(long,int)", "clone()", "finalize()",
            "equals(java.lang.Object)");

    private void checkMeasurement(ExecutableElement m) {
        checkInstanceDoubleMethod(m, "@Measurement");
        checkAccessibleTypes(m, "@Measurement");
        if (GENERATED_SIGNATURES.contains(methodKey(m))) {
            reporter.error(m, Diagnostic.BAD_SIGNATURE, "@Measurement method " + methodKey(m) + " has the signature "
                    + "of a method every generated circuit has (CompiledCircuit, Object); rename it");
        }
        if (has(m, "Loss") || has(m, "TrainingStep")) {
            reporter.error(m, Diagnostic.BAD_SIGNATURE, "method " + m.getSimpleName()
                    + " has more than one of @Loss, @TrainingStep, @Measurement; keep one");
        }
    }

    /** The generated circuit spells the parameter types of the loss and the measurements. */
    private void checkAccessibleTypes(ExecutableElement m, String what) {
        for (VariableElement p : m.getParameters()) {
            Element hidden = privateType(p.asType());
            if (hidden != null) {
                reporter.error(p, Diagnostic.BAD_SIGNATURE, what + " method " + m.getSimpleName() + " takes "
                        + p.asType() + ", which uses the private type " + hidden + "; the generated circuit "
                        + "names it, make it package-private");
            }
        }
    }

    /** A private class a type mentions (itself, an enclosing class, an array element, a type argument), or null. */
    private static Element privateType(TypeMirror t) {
        if (t.getKind() == TypeKind.ARRAY) return privateType(((ArrayType) t).getComponentType());
        if (!(t instanceof DeclaredType d)) return null;
        for (Element e = d.asElement(); e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) return e;
        }
        for (TypeMirror arg : d.getTypeArguments()) {
            Element hidden = privateType(arg);
            if (hidden != null) return hidden;
        }
        return null;
    }

    private void checkInstanceDoubleMethod(ExecutableElement m, String what) {
        if (m.getModifiers().contains(Modifier.STATIC) || m.getReturnType().getKind() != TypeKind.DOUBLE
                || m.getModifiers().contains(Modifier.ABSTRACT)) {
            reporter.error(m, Diagnostic.BAD_SIGNATURE, what + " method " + m.getSimpleName()
                    + " must be a non-static method with a body that returns double");
        }
    }

    private void checkStep(ExecutableElement m) {
        String name = m.getSimpleName().toString();
        if (m.getReturnType().getKind() != TypeKind.VOID) {
            reporter.error(m, Diagnostic.BAD_STEP, "@TrainingStep method " + name + " must return void");
        }
        int paramsCount = 0;
        int grads = 0;
        for (VariableElement p : m.getParameters()) {
            List<String> roles = new ArrayList<>();
            for (String r : List.of("Params", "Grads", "State", "Step", "Steps")) if (has(p, r)) roles.add(r);
            if (roles.size() != 1) {
                reporter.error(p, Diagnostic.BAD_STEP, "parameter " + p.getSimpleName() + " of @TrainingStep " + name
                        + " must carry exactly one of @Params, @Grads, @State, @Step, @Steps"
                        + (roles.isEmpty() ? "" : " (it has " + roles + ")"));
                continue;
            }
            String role = roles.get(0);
            boolean intRole = role.equals("Step") || role.equals("Steps");
            boolean ok = intRole ? p.asType().getKind() == TypeKind.INT : doubleArrayDims(p.asType()) == 1;
            if (!ok) {
                reporter.error(p, Diagnostic.BAD_STEP, "@" + role + " parameter " + p.getSimpleName() + " must be "
                        + (intRole ? "an int" : "a double[]") + ", not " + p.asType());
            }
            if (role.equals("Params")) paramsCount++;
            if (role.equals("Grads")) grads++;
        }
        if (paramsCount != 1 || grads != 1) {
            reporter.error(m, Diagnostic.BAD_STEP, "@TrainingStep method " + name
                    + " needs exactly one @Params double[] and exactly one @Grads double[] parameter (found "
                    + paramsCount + " and " + grads + ")");
        }
    }

    private IrType paramType(BodyConverter converter, VariableElement p) {
        return converter.typeOf(p.asType(), trees.getPath(p));
    }

    private ParamKind paramKind(Role role, VariableElement p) {
        if (role == Role.LOSS) return ParamKind.EXAMPLE;
        if (role == Role.TRAINING_STEP) {
            for (ParamKind k : List.of(ParamKind.PARAMS, ParamKind.GRADS, ParamKind.STATE, ParamKind.STEP)) {
                if (has(p, k == ParamKind.PARAMS ? "Params" : k == ParamKind.GRADS ? "Grads"
                        : k == ParamKind.STATE ? "State" : "Step")) {
                    return k;
                }
            }
            return ParamKind.STEPS;
        }
        return ParamKind.PLAIN;
    }

    private void checkRecursion(Map<String, List<BodyConverter.Call>> calls) {
        Map<String, Integer> state = new HashMap<>();
        for (String key : calls.keySet()) visit(key, calls, state);
    }

    /** Depth-first search; a call to a method on the current path is recursion. */
    private void visit(String key, Map<String, List<BodyConverter.Call>> calls, Map<String, Integer> state) {
        Integer s = state.get(key);
        if (s != null) return;
        state.put(key, 1);
        for (BodyConverter.Call call : calls.getOrDefault(key, List.of())) {
            String target = methodKey(call.target());
            if (Integer.valueOf(1).equals(state.get(target))) {
                reporter.error(call.path(), Diagnostic.RECURSION, target);
            } else {
                visit(target, calls, state);
            }
        }
        state.put(key, 2);
    }

    static boolean has(Element e, String simpleName) {
        String wanted = DSL + simpleName;
        return e.getAnnotationMirrors().stream()
                .anyMatch(a -> a.getAnnotationType().toString().equals(wanted));
    }

    /** The annotation types whose misuse outside a @Circuit class is reported. */
    public static final Set<String> MEMBER_ANNOTATIONS =
            Set.of(DSL + "Loss", DSL + "TrainingStep", DSL + "Measurement", DSL + "Param");
}
