package org.jetsketch.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;
import org.jetsketch.processor.ir.Diagnostic;
import org.jetsketch.processor.ir.SourceRef;

/**
 * Reports diagnostics on the exact tree they concern ({@code Trees.printMessage}), counts them, and
 * keeps the map from IR {@link SourceRef}s back to trees so that problems found on the IR land on
 * the offending sub-expression too. One reporter per circuit class.
 */
public final class Reporter {
    private final Trees trees;
    private final Messager messager;
    private final List<TreePath> paths = new ArrayList<>();
    private int errors;

    public Reporter(Trees trees, Messager messager) {
        this.trees = trees;
        this.messager = messager;
    }

    /** A handle to {@code path} for an IR node. */
    public SourceRef ref(TreePath path) {
        paths.add(path);
        return new SourceRef(paths.size() - 1);
    }

    /**
     * Where {@code ref} is in the source, as {@code File.java:line} (the file's simple name), for
     * messages at run time; {@code "?"} for a handle without a tree.
     */
    public String position(SourceRef ref) {
        int id = ref.id();
        if (id < 0 || id >= paths.size()) return "?";
        TreePath p = paths.get(id);
        CompilationUnitTree unit = p.getCompilationUnit();
        long start = trees.getSourcePositions().getStartPosition(unit, p.getLeaf());
        String file = unit.getSourceFile().getName();
        file = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        return start < 0 ? file : file + ":" + unit.getLineMap().getLineNumber(start);
    }

    public void error(TreePath path, Diagnostic d, Object... args) {
        print(path.getLeaf(), path.getCompilationUnit(), d.message(args));
    }

    public void error(Element element, Diagnostic d, Object... args) {
        errors++;
        messager.printMessage(Kind.ERROR, d.message(args), element);
    }

    /** Reports a problem found on the IR at the tree it came from. */
    public void report(Diagnostic.Problem problem, Element fallback) {
        int id = problem.ref().id();
        if (id >= 0 && id < paths.size()) {
            TreePath p = paths.get(id);
            print(p.getLeaf(), p.getCompilationUnit(), problem.message());
        } else {
            errors++;
            messager.printMessage(Kind.ERROR, problem.message(), fallback);
        }
    }

    private void print(Tree tree, CompilationUnitTree unit, String message) {
        errors++;
        trees.printMessage(Kind.ERROR, message, tree, unit);
    }

    public int errorCount() { return errors; }

    /** Thrown to abandon the current method or element after an error was reported. */
    public static final class Abort extends RuntimeException {
        public Abort() { super(null, null, false, false); }
    }
}
